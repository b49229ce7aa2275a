import { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OpenAPIObject, OperationObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { IS_PUBLIC, ROLES_KEY } from '../../modules/auth/auth.decorators';
import { ROLES, type Role } from '../../modules/users/user.entity';
import { APPEAL_ACTIONS, APPEAL_STATUSES } from '../../modules/workflow/appeal-state-machine';

/**
 * The OpenAPI document, built in one place from the routes' own metadata: every operation gets a
 * stable camelCase operationId (controller + method), a Chinese summary with its English key, its
 * security, the roles that may call it (read from @Roles / may(...), as `x-roles` and in words), its
 * success schema and every error status it can answer with, each with the SPEC §5 error body.
 * Controllers stay flat: nothing here is declared per route except the summary and success tables.
 */

/** `AppealsController` + `file` → `appealsFile`. */
export function operationIdFor(controllerKey: string, methodKey: string): string {
  const base = controllerKey.replace(/Controller$/, '');
  return `${base.charAt(0).toLowerCase()}${base.slice(1)}${methodKey.charAt(0).toUpperCase()}${methodKey.slice(1)}`;
}

/** Every operation's summary: what the people on the line call it, then the English key. */
export const SUMMARIES: Record<string, string> = {
  observabilityCheck: '健康检查 (health)',
  authLogin: '登录 (login)',
  authChangePassword: '修改本人密码 (change own password)',
  authResetPassword: '重置用户密码 (reset password)',
  authMe: '当前用户 (me)',
  usersCreate: '新建用户 (create user)',
  usersList: '用户列表 (list users)',
  usersUpdate: '修改用户 (update user)',
  departmentsCreate: '新建部门 (create department)',
  departmentsList: '部门列表 (list departments)',
  departmentsGet: '部门详情 (get department)',
  categoriesCreate: '新建诉求类别 (create category)',
  categoriesList: '诉求类别列表 (list categories)',
  enterprisesRegister: '企业注册 (register enterprise)',
  enterprisesList: '企业查询 (list enterprises)',
  enterprisesGet: '企业详情 (get enterprise)',
  enterprisesCreate: '代企业登记 (register an enterprise for a caller)',
  districtsCreate: '新建行政区划 (create district)',
  districtsList: '行政区划列表 (list districts)',
  appealsFile: '提交诉求 (file)',
  appealsList: '诉求列表 (list appeals)',
  appealsGet: '诉求详情 (get appeal)',
  appealsEvents: '诉求时间线 (events)',
  appealsAllowedActions: '可办理的操作 (allowed actions)',
  appealsVerify: '校验时间线 (verify events)',
  appealsReject: '不予受理 (reject)',
  appealsResolve: '即时办结 (resolve on the spot)',
  appealsMerge: '合并诉求 (merge)',
  appealsWithdraw: '撤回诉求 (withdraw)',
  appealsSupplement: '补充材料 (supplement)',
  appealsLeader: '领导领衔批示 (leader)',
  assignmentsDispatch: '派单 (dispatch)',
  assignmentsAcknowledge: '签收 (acknowledge)',
  assignmentsProgress: '办理进展 (progress)',
  assignmentsOpinion: '协办意见 (opinion)',
  assignmentsReply: '答复 (reply)',
  assignmentsReturnAppeal: '申请退回 (return)',
  assignmentsApproveReturn: '同意退回 (approve return)',
  assignmentsDenyReturn: '驳回退回 (deny return)',
  assignmentsRequestExtension: '申请延期 (request extension)',
  assignmentsApproveExtension: '同意延期 (approve extension)',
  assignmentsDenyExtension: '驳回延期 (deny extension)',
  queueList: '本部门待办 (queue)',
  appealSupervisionSupervise: '督办 (supervise)',
  supervisionsList: '督办列表 (list supervisions)',
  supervisionsAnswer: '督办回复 (answer supervision)',
  supervisionsClose: '办结督办 (close supervision)',
  appealWhistleRequest: '企业吹哨 (blow the whistle)',
  whistlesList: '吹哨列表 (list whistles)',
  whistlesGet: '吹哨详情 (get whistle)',
  whistlesApprove: '同意吹哨并派单 (approve whistle)',
  whistlesDeny: '不同意吹哨 (deny whistle)',
  whistlesCancel: '取消吹哨会议 (cancel whistle)',
  whistlesCheckIn: '部门报到 (check in)',
  whistlesMinutes: '会议纪要 (record minutes)',
  whistlesComplete: '承诺事项办结 (complete commitment)',
  whistlesClose: '吹哨销号 (close whistle)',
  assessmentSurvey: '满意度评价 (survey)',
  assessmentFileAssessmentAppeal: '考核申诉 (file assessment appeal)',
  assessmentApproveAssessmentAppeal: '同意考核申诉 (approve assessment appeal)',
  assessmentDenyAssessmentAppeal: '驳回考核申诉 (deny assessment appeal)',
  followUpLogContact: '登记联系企业 (log a contact)',
  followUpListContacts: '联系记录 (list contacts)',
  followUpStagedReply: '阶段性答复 (staged reply)',
  followUpListStagedReplies: '阶段性答复列表 (list staged replies)',
  plansList: '计划解决台账 (list plans)',
  plansGet: '计划解决详情 (get plan)',
  plansUpdate: '计划解决进展反馈 (post plan update)',
  plansFulfil: '计划解决完成 (fulfil plan)',
  plansConfirm: '确认计划解决结果 (confirm plan)',
  meetingsCreate: '新建恳谈会 (create meeting)',
  meetingsList: '恳谈会列表 (list meetings)',
  meetingsGet: '恳谈会详情 (get meeting)',
  meetingsFileIssues: '恳谈会问题转诉求 (file meeting issues)',
  calendarList: '节假日与调休 (list calendar days)',
  calendarPut: '设置日历日 (put calendar day)',
  calendarRemove: '删除日历日 (delete calendar day)',
  calendarDeadline: '计算期限 (deadline)',
  slaCreate: '新建时限策略 (create SLA policy)',
  slaList: '时限策略列表 (list SLA policies)',
  notificationsList: '我的通知 (notifications)',
  webhooksCreate: '新建回调 (create webhook)',
  webhooksList: '回调列表 (list webhooks)',
  webhooksGet: '回调详情 (get webhook)',
  webhooksUpdate: '修改回调 (update webhook)',
  webhooksRemove: '删除回调 (delete webhook)',
  webhooksDeliveries: '回调投递记录 (webhook deliveries)',
  routingCreate: '新建分拨规则 (create routing rule)',
  routingList: '分拨规则列表 (list routing rules)',
  routingUpdate: '修改分拨规则 (update routing rule)',
  routingRemove: '删除分拨规则 (delete routing rule)',
  reportsSummary: '总体指标 (summary report)',
  reportsDepartments: '部门排名 (departments report)',
  reportsTrend: '趋势 (trend report)',
  reportsMeetings: '恳谈会报表 (meetings report)',
  reportsCategories: '类别分布 (categories report)',
  knowledgeCreate: '新建知识条目 (create knowledge entry)',
  knowledgeList: '知识条目列表 (list knowledge entries)',
  knowledgeSearch: '检索知识库 (search the knowledge base)',
  knowledgeGet: '知识条目详情 (get knowledge entry)',
  knowledgeUpdate: '修改知识条目 (edit knowledge entry)',
  knowledgeVersions: '知识条目历次版本 (knowledge entry versions)',
  knowledgeSubmit: '提交审核 (submit for review)',
  knowledgePublish: '审核发布 (publish)',
  knowledgeReject: '审核退回 (reject)',
  knowledgeWithdraw: '撤回知识条目 (withdraw)',
  knowledgeConfirm: '确认仍然有效 (confirm still valid)',
  reportsWhistles: '吹哨报表 (whistles report)',
  targetsGet: '考核目标 (get targets)',
  targetsPut: '设置考核目标 (put targets)',
  attachmentsUpload: '上传附件 (upload attachment)',
  attachmentsList: '附件列表 (list attachments)',
  attachmentsContent: '下载附件 (download attachment)',
  attachmentsShare: '向承办单位共享附件 (share attachment)',
  privacyReveal: '查看完整联系方式 (reveal contact)',
  privacyRetention: '个人信息保存期限 (contact retention)',
};

const ref = (name: string): SchemaObject => ({ $ref: `#/components/schemas/${name}` }) as SchemaObject;
const str: SchemaObject = { type: 'string' };
const nullableStr: SchemaObject = { type: 'string', nullable: true };
const instant: SchemaObject = { type: 'string', format: 'date-time' };
const nullableInstant: SchemaObject = { type: 'string', format: 'date-time', nullable: true };
const uuid: SchemaObject = { type: 'string', format: 'uuid' };
const nullableUuid: SchemaObject = { type: 'string', format: 'uuid', nullable: true };
const obj = (required: string[], properties: Record<string, SchemaObject>): SchemaObject => ({
  type: 'object',
  required,
  properties,
});
const itemsOf = (item: SchemaObject): SchemaObject =>
  obj(['items'], { items: { type: 'array', items: item } });
const pageOf = (item: SchemaObject): SchemaObject =>
  obj(['items', 'nextCursor'], { items: { type: 'array', items: item }, nextCursor: nullableStr });

/** The response shapes shared by several operations. Fields beyond the listed ones may be added later. */
const RESPONSE_SCHEMAS: Record<string, SchemaObject> = {
  ErrorBody: {
    type: 'object',
    description: 'SPEC §5 错误体 (error body)',
    required: ['statusCode', 'code', 'message'],
    properties: {
      statusCode: { type: 'integer' },
      code: {
        type: 'string',
        enum: [
          'VALIDATION_FAILED',
          'UNAUTHENTICATED',
          'FORBIDDEN',
          'NOT_FOUND',
          'INVALID_TRANSITION',
          'VERSION_CONFLICT',
          'CONFLICT',
          'PAYLOAD_TOO_LARGE',
          'UNSUPPORTED_MEDIA_TYPE',
          'IDEMPOTENCY_KEY_REUSED',
          'RATE_LIMITED',
          'INTERNAL_ERROR',
          'SERVICE_UNAVAILABLE',
        ],
      },
      message: str,
      details: { description: 'for VALIDATION_FAILED: [{field, message}], one per failing field' },
    },
  },
  Assignment: obj(['id', 'departmentId', 'role', 'status'], {
    id: uuid,
    departmentId: uuid,
    departmentName: nullableStr,
    role: { type: 'string', enum: ['lead', 'co'] },
    status: str,
    ackDueAt: nullableInstant,
    replyDueAt: nullableInstant,
    acknowledgedAt: nullableInstant,
    repliedAt: nullableInstant,
    overdue: { type: 'boolean' },
    warning: { type: 'boolean' },
    contactDueAt: nullableInstant,
    contactedAt: nullableInstant,
    contactedOnTime: { type: 'boolean', nullable: true },
    contactOverdue: { type: 'boolean' },
    stagedDueAt: nullableInstant,
    stagedRepliedAt: nullableInstant,
    stagedOnTime: { type: 'boolean', nullable: true },
  }),
  Contact: obj(['id', 'assignmentId', 'departmentId', 'method', 'outcome', 'at'], {
    id: uuid,
    assignmentId: uuid,
    departmentId: uuid,
    departmentName: nullableStr,
    method: { type: 'string', enum: ['phone', 'sms', 'visit', 'online', 'three_way_call'] },
    methodLabel: str,
    outcome: { type: 'string', enum: ['reached', 'unreachable', 'left_message'] },
    outcomeLabel: str,
    at: instant,
    note: nullableStr,
    loggedBy: nullableUuid,
    loggedRole: str,
    createdAt: instant,
    counted: { type: 'boolean', description: "the lead's first contact counted with this attempt" },
  }),
  StagedReply: obj(['id', 'assignmentId', 'departmentId', 'content', 'createdAt'], {
    id: uuid,
    assignmentId: uuid,
    departmentId: uuid,
    departmentName: nullableStr,
    content: str,
    nextFeedbackAt: nullableInstant,
    createdBy: nullableUuid,
    createdAt: instant,
  }),
  Appeal: obj(
    ['id', 'number', 'type', 'categoryCode', 'title', 'content', 'channel', 'urgency', 'status', 'version'],
    {
      id: uuid,
      number: str,
      type: str,
      categoryCode: str,
      categoryName: nullableStr,
      title: str,
      content: str,
      channel: str,
      urgency: { type: 'string', enum: ['normal', 'urgent'] },
      district: nullableStr,
      confidential: { type: 'boolean' },
      enterpriseId: nullableUuid,
      enterpriseName: nullableStr,
      contactName: nullableStr,
      contactPhone: nullableStr,
      status: str,
      leadDepartmentId: nullableUuid,
      leadDepartment: {
        type: 'object',
        nullable: true,
        required: ['id', 'name'],
        properties: { id: uuid, name: nullableStr },
      },
      assignments: { type: 'array', items: ref('Assignment') },
      contacts: { type: 'array', items: ref('Contact') },
      stagedReplies: { type: 'array', items: ref('StagedReply') },
      reopenCount: { type: 'integer' },
      supervised: { type: 'boolean' },
      version: { type: 'integer' },
      whistle: {
        type: 'object',
        nullable: true,
        description: 'SPEC §12: the latest whistle (schema Whistle)',
      },
      survey: { type: 'object', nullable: true },
      plan: { type: 'object', nullable: true, description: 'SPEC §9.3: the latest plan (see Plan)' },
      pendingExtension: { type: 'object', nullable: true },
      // null for a department on a confidential appeal: the filing instant would tie it to its batch
      createdAt: nullableInstant,
      updatedAt: instant,
      closedAt: nullableInstant,
      closeReason: nullableStr,
    },
  ),
  // SPEC §9.3 计划解决
  Plan: obj(
    ['id', 'appealId', 'departmentId', 'content', 'promisedBy', 'nextFeedbackAt', 'status', 'updates'],
    {
      id: uuid,
      appealId: uuid,
      appealNumber: nullableStr,
      departmentId: uuid,
      departmentName: nullableStr,
      content: str,
      promisedBy: instant,
      nextFeedbackAt: instant,
      status: { type: 'string', enum: ['open', 'fulfilled', 'confirmed', 'cancelled'] },
      overdue: { type: 'boolean' },
      updates: {
        type: 'array',
        items: obj(['content', 'nextFeedbackAt', 'at'], {
          content: str,
          nextFeedbackAt: instant,
          at: instant,
        }),
      },
      fulfilledAt: nullableInstant,
      fulfilledOnTime: { type: 'boolean', nullable: true },
      confirmedAt: nullableInstant,
      confirmedResolved: { type: 'boolean', nullable: true },
      cancelledAt: nullableInstant,
    },
  ),
  AppealEvent: obj(['seq', 'action', 'createdAt'], {
    seq: { type: 'integer' },
    action: str,
    actorId: nullableUuid,
    actorRole: nullableStr,
    fromStatus: nullableStr,
    toStatus: nullableStr,
    data: { type: 'object', nullable: true },
    // null for a department on a confidential appeal's filing event
    createdAt: nullableInstant,
    // the enterprise's timeline: a Chinese label per item, no hashes
    label: str,
    prevHash: nullableStr,
    hash: str,
  }),
  User: obj(['id', 'username', 'role'], {
    id: uuid,
    username: str,
    role: { type: 'string', enum: [...ROLES] },
    departmentId: nullableUuid,
    enterpriseId: nullableUuid,
    displayName: nullableStr,
  }),
  Login: obj(['accessToken', 'user'], {
    accessToken: str,
    tokenType: { type: 'string', enum: ['Bearer'] },
    expiresIn: { type: 'integer' },
    user: ref('User'),
  }),
  Whistle: obj(['id', 'appealId', 'status', 'reason', 'departments', 'commitments'], {
    id: uuid,
    appealId: uuid,
    status: { type: 'string', enum: ['requested', 'approved', 'denied', 'cancelled', 'held', 'closed'] },
    statusName: str,
    reason: str,
    requestedRole: str,
    requestedDepartments: {
      type: 'array',
      items: obj(['id', 'name'], { id: uuid, name: nullableStr }),
    },
    createdAt: instant,
    reviewDueAt: instant,
    reviewedAt: nullableInstant,
    decisionReason: nullableStr,
    leadDepartmentId: nullableUuid,
    meetingAt: nullableInstant,
    location: nullableStr,
    meetingDueAt: nullableInstant,
    departments: {
      type: 'array',
      items: obj(['departmentId', 'role'], {
        departmentId: uuid,
        departmentName: nullableStr,
        role: { type: 'string', enum: ['lead', 'co'] },
        checkInDueAt: instant,
        checkedInAt: nullableInstant,
        attendeeName: nullableStr,
        missed: { type: 'boolean' },
      }),
    },
    minutes: { type: 'object', nullable: true },
    commitments: {
      type: 'array',
      items: obj(['id', 'departmentId', 'content', 'dueAt'], {
        id: uuid,
        departmentId: uuid,
        departmentName: nullableStr,
        content: str,
        dueAt: instant,
        completedAt: nullableInstant,
        completion: nullableStr,
        overdue: { type: 'boolean' },
      }),
    },
    closedAt: nullableInstant,
  }),
  Entity: obj(['id'], { id: uuid }),
  Object: { type: 'object' },
  NamedRef: obj(['id', 'name'], { id: uuid, name: nullableStr }),
  Department: obj(['id', 'code', 'name', 'kind', 'parentId', 'parentName', 'createdAt'], {
    id: uuid,
    code: str,
    name: str,
    kind: str,
    parentId: nullableUuid,
    parentName: nullableStr,
    createdAt: instant,
  }),
  District: obj(['code', 'name'], { code: str, name: str }),
  Category: obj(['id', 'code', 'name', 'parentCode', 'parentName', 'createdAt'], {
    id: uuid,
    code: str,
    name: str,
    parentCode: nullableStr,
    parentName: nullableStr,
    defaultDepartmentId: nullableUuid,
    defaultDepartmentName: nullableStr,
    createdAt: instant,
    children: {
      type: 'array',
      items: ref('Category'),
      description: 'with tree=true: the categories under it',
    },
  }),
  Enterprise: obj(['id', 'name', 'uscc', 'district', 'districtName', 'industry', 'createdAt'], {
    id: uuid,
    name: str,
    uscc: str,
    district: nullableStr,
    districtName: nullableStr,
    industry: nullableStr,
    contactName: nullableStr,
    contactPhone: nullableStr,
    createdAt: instant,
  }),
  Supervision: obj(['id', 'appealId', 'departmentId', 'level', 'source', 'status', 'createdAt'], {
    id: uuid,
    appealId: uuid,
    appealNumber: str,
    departmentId: uuid,
    departmentName: nullableStr,
    level: { type: 'string', enum: ['reminder', 'supervision', 'notice'] },
    source: str,
    note: nullableStr,
    status: str,
    answerDueAt: nullableInstant,
    answer: nullableStr,
    answeredAt: nullableInstant,
    answeredOnTime: { type: 'boolean', nullable: true },
    escalatedAt: nullableInstant,
    escalatedFromId: nullableUuid,
    closedAt: nullableInstant,
    closeNote: nullableStr,
    createdAt: instant,
  }),
  AssessmentAppeal: obj(['id', 'status', 'surveyId', 'reason', 'createdAt'], {
    id: uuid,
    status: str,
    surveyId: uuid,
    reason: str,
    explanation: nullableStr,
    recontacted: { type: 'boolean' },
    createdAt: instant,
  }),
  QueueItem: obj(
    ['awaiting', 'since', 'dueAt', 'appealId', 'number', 'title', 'type', 'categoryCode', 'appealStatus'],
    {
      awaiting: {
        type: 'string',
        description: 'what the desk owes: dispatch, acknowledge, reply, opinion, a review, an answer …',
      },
      since: nullableInstant,
      dueAt: nullableInstant,
      appealId: uuid,
      number: str,
      title: str,
      type: str,
      categoryCode: str,
      categoryName: nullableStr,
      urgency: str,
      appealStatus: str,
      leadDepartmentId: nullableUuid,
      leadDepartment: {
        type: 'object',
        nullable: true,
        required: ['id', 'name'],
        properties: { id: uuid, name: nullableStr },
      },
      supervised: { type: 'boolean' },
      leaderLed: { type: 'boolean' },
      leaderName: nullableStr,
      reopenCount: { type: 'integer' },
      contactName: { type: 'string', nullable: true, description: '张** for departments (SPEC §11)' },
      contactPhone: { type: 'string', nullable: true, description: '138****5678 for departments (SPEC §11)' },
      assignmentId: uuid,
      departmentId: uuid,
      departmentName: nullableStr,
      // product §9: what the lead still owes the enterprise
      contactDueAt: nullableInstant,
      contactedAt: nullableInstant,
      contactOverdue: { type: 'boolean' },
      contactWarning: { type: 'boolean' },
      stagedDueAt: nullableInstant,
      stagedRepliedAt: nullableInstant,
      stagedOverdue: { type: 'boolean' },
    },
  ),
  Meeting: obj(['id', 'title', 'heldAt', 'district', 'hostDepartmentId', 'attendeeCount', 'createdAt'], {
    id: uuid,
    title: str,
    heldAt: instant,
    district: nullableStr,
    districtName: nullableStr,
    hostDepartmentId: nullableUuid,
    hostDepartmentName: nullableStr,
    leaderName: nullableStr,
    attendeeCount: { type: 'integer' },
    enterpriseIds: { type: 'array', items: uuid },
    enterpriseCount: { type: 'integer' },
    createdAt: instant,
  }),
  CalendarDay: obj(['date', 'kind', 'name'], {
    date: { type: 'string', format: 'date' },
    kind: { type: 'string', enum: ['holiday', 'workday'] },
    name: nullableStr,
  }),
  SlaPolicy: obj(['id', 'name', 'clock', 'ackWithin', 'replyWithin', 'createdAt'], {
    id: uuid,
    name: str,
    categoryCode: nullableStr,
    categoryName: nullableStr,
    channel: nullableStr,
    type: nullableStr,
    urgency: nullableStr,
    clock: { type: 'string', enum: ['working', 'natural'] },
    ackWithin: str,
    replyWithin: str,
    warnAt: { type: 'number' },
    surveyWithin: nullableStr,
    returnWithin: nullableStr,
    assessmentAppealWithin: nullableStr,
    supervisionAnswerWithin: nullableStr,
    whistleReviewWithin: nullableStr,
    whistleMeetingWithin: nullableStr,
    contactWithin: nullableStr,
    stagedReplyWithin: nullableStr,
    planMaxWithin: nullableStr,
    planFeedbackEvery: nullableStr,
    createdAt: instant,
  }),
  Notification: obj(['id', 'kind', 'title', 'body', 'createdAt'], {
    id: uuid,
    recipientType: str,
    recipientId: uuid,
    kind: str,
    appealId: nullableUuid,
    title: str,
    body: str,
    createdAt: instant,
  }),
  Webhook: obj(['id', 'url', 'events', 'secretSet', 'enabled', 'confidentialAccess', 'createdAt'], {
    id: uuid,
    url: str,
    events: { type: 'array', items: str },
    secretSet: { type: 'boolean' },
    enabled: { type: 'boolean' },
    confidentialAccess: { type: 'boolean' },
    contactAccess: { type: 'boolean' },
    disabledReason: nullableStr,
    disabledAt: nullableInstant,
    failingSince: nullableInstant,
    createdBy: nullableUuid,
    createdAt: instant,
  }),
  WebhookDelivery: obj(
    ['id', 'webhookId', 'appealId', 'eventSeq', 'event', 'status', 'attemptCount', 'createdAt'],
    {
      id: uuid,
      webhookId: uuid,
      appealId: uuid,
      eventSeq: { type: 'integer' },
      event: str,
      occurredAt: instant,
      status: str,
      attemptCount: { type: 'integer' },
      nextAttemptAt: nullableInstant,
      lastStatusCode: { type: 'integer', nullable: true },
      lastError: nullableStr,
      deliveredAt: nullableInstant,
      createdAt: instant,
      attempts: {
        type: 'array',
        items: obj(['attempt', 'attemptedAt', 'ok'], {
          attempt: { type: 'integer' },
          attemptedAt: instant,
          statusCode: { type: 'integer', nullable: true },
          ok: { type: 'boolean' },
          error: nullableStr,
          durationMs: { type: 'integer', nullable: true },
        }),
      },
    },
  ),
  RoutingRule: obj(
    ['id', 'priority', 'keywords', 'leadDepartmentId', 'coDepartmentIds', 'autoDispatch', 'enabled'],
    {
      id: uuid,
      priority: { type: 'integer' },
      categoryCode: nullableStr,
      categoryName: nullableStr,
      keywords: { type: 'array', items: str },
      district: nullableStr,
      districtName: nullableStr,
      leadDepartmentId: uuid,
      leadDepartmentName: nullableStr,
      coDepartmentIds: { type: 'array', items: uuid },
      coDepartments: { type: 'array', items: ref('NamedRef') },
      autoDispatch: { type: 'boolean' },
      enabled: { type: 'boolean' },
      createdBy: nullableUuid,
      createdAt: instant,
    },
  ),
  Freshness: {
    ...obj(['source', 'asOf', 'ageSeconds'], {
      source: {
        type: 'string',
        enum: ['primary', 'replica'],
        description: '读自主库或只读副本 (read from the primary or the read replica, DATABASE_READ_URL)',
      },
      asOf: { ...instant, description: '数据截至 (the primary state these figures show)' },
      ageSeconds: {
        type: 'number',
        minimum: 0,
        description:
          '数据最多滞后秒数 (how many seconds the figures may lag the primary: 0 on the primary, at most READ_MAX_LAG_SECONDS on the replica)',
      },
    }),
    description: '报表数据的新鲜度 (where a report was read and how old its figures are)',
  },
  ReportFilters: obj([], {
    departmentId: nullableUuid,
    categoryCode: nullableStr,
    district: nullableStr,
    districtName: nullableStr,
    channel: nullableStr,
    leaderLed: { type: 'boolean', nullable: true },
  }),
  Figures: {
    type: 'object',
    description: 'product §4, §7 and §9 的指标 (the figures); labels in metric-labels.js',
    required: [
      'received',
      'valid',
      'closed',
      'rated',
      'closureRate',
      'satisfactionRate',
      'overdueOpen',
      'score',
    ],
    properties: Object.fromEntries([
      ...['received', 'valid', 'rejected', 'withdrawn', 'merged', 'closed', 'rated', 'overdueOpen'].map(
        (k) => [k, { type: 'integer' }],
      ),
      ...[
        'returnsDenied',
        'ratedAll',
        'assessmentAppeals',
        'assessmentAppealsApproved',
        'supervisions',
        'notices',
        'planned',
        'plansOpen',
        'plansOverdue',
        'plansConfirmedResolved',
        'resolvedOnSpot',
        'whistlesSummoned',
      ].map((k) => [k, { type: 'integer' }]),
      // product §9: by source department, in force and stale now (summary and department rows)
      ...['knowledgeEntriesPublished', 'knowledgeEntriesStale'].map((k) => [k, { type: 'integer' }]),
      ...[
        'closureRate',
        'responseRate',
        'onTimeReplyRate',
        'satisfactionRate',
        'resolutionRate',
        'oneTimeResolutionRate',
        'avgReplyWorkingHours',
        'score',
        'returnRate',
        'satisfactionRateAll',
        'supervisionAnsweredOnTimeRate',
        'firstContactOnTimeRate',
        'contactRate',
        'stagedReplyOnTimeRate',
        'planFulfilledOnTimeRate',
        'directResolutionRate',
        'knowledgeCitedShare',
        'whistleCheckInRate',
        'whistleCommitmentsOnTimeRate',
      ].map((k) => [k, { type: 'number', nullable: true, description: 'null when its denominator is 0' }]),
    ]) as Record<string, SchemaObject>,
  },
  KnowledgeVersion: obj(
    ['version', 'status', 'categoryCode', 'title', 'answer', 'kind', 'keywords', 'public'],
    {
      version: { type: 'integer' },
      // a version's: draft, pending_review, published, superseded, withdrawn (an entry's own overrides it)
      status: str,
      categoryCode: str,
      categoryName: nullableStr,
      title: str,
      question: nullableStr,
      answer: str,
      kind: str,
      keywords: { type: 'array', items: str },
      policyRef: nullableStr,
      effectiveFrom: instant,
      expiresAt: nullableInstant,
      reviewDueAt: nullableInstant,
      public: { type: 'boolean' },
      rejectReason: nullableStr,
      createdAt: instant,
      updatedAt: instant,
      submittedAt: nullableInstant,
      publishedAt: nullableInstant,
    },
  ),
  KnowledgeEntry: {
    allOf: [
      ref('KnowledgeVersion'),
      obj(['id', 'status', 'stale', 'version', 'latestVersion', 'publishedVersion', 'draft'], {
        id: uuid,
        status: { type: 'string', enum: ['draft', 'pending_review', 'published', 'expired', 'withdrawn'] },
        versionStatus: str,
        stale: { type: 'boolean' },
        sourceDepartmentId: nullableUuid,
        sourceDepartmentName: nullableStr,
        latestVersion: { type: 'integer' },
        publishedVersion: { type: 'integer', nullable: true },
        confirmedAt: nullableInstant,
        draft: {
          type: 'object',
          nullable: true,
          description: 'a KnowledgeVersion: the newer one in the making',
        },
      }),
    ],
  },
  KnowledgeHit: obj(['id', 'version', 'title', 'answer', 'kind', 'score'], {
    id: uuid,
    version: { type: 'integer' },
    title: str,
    question: nullableStr,
    answer: str,
    kind: str,
    keywords: { type: 'array', items: str },
    categoryCode: str,
    categoryName: nullableStr,
    policyRef: nullableStr,
    sourceDepartmentId: nullableUuid,
    sourceDepartmentName: nullableStr,
    public: { type: 'boolean' },
    stale: { type: 'boolean' },
    expiresAt: nullableInstant,
    publishedAt: nullableInstant,
    score: { type: 'number' },
  }),
  WhistleFigures: obj(
    [
      'whistles',
      'whistlesApproved',
      'whistlesClosed',
      'whistlesClosedOnTime',
      'whistleClosedOnTimeRate',
      'whistleRated',
      'whistleSatisfactionRate',
    ],
    {
      whistles: { type: 'integer' },
      whistlesApproved: { type: 'integer' },
      whistlesClosed: { type: 'integer' },
      whistlesClosedOnTime: { type: 'integer' },
      whistleClosedOnTimeRate: { type: 'number', nullable: true },
      whistleRated: { type: 'integer' },
      whistleSatisfactionRate: { type: 'number', nullable: true },
    },
  ),
  Targets: {
    type: 'object',
    description: 'a target per figure (null: none set), the score weights and the smallest ranked sample',
    required: ['scoreWeights', 'minSample'],
    properties: {
      scoreWeights: obj(['responseRate', 'resolutionRate', 'satisfactionRate'], {
        responseRate: { type: 'number' },
        resolutionRate: { type: 'number' },
        satisfactionRate: { type: 'number' },
      }),
      minSample: { type: 'integer' },
      updatedAt: nullableInstant,
    },
    additionalProperties: { type: 'number', nullable: true },
  },
  Attachment: obj(['id', 'fileName', 'mediaType', 'size', 'sha256', 'purpose', 'uploadedBy', 'createdAt'], {
    id: uuid,
    appealId: uuid,
    fileName: str,
    mediaType: str,
    size: { type: 'integer' },
    sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    purpose: { type: 'string', enum: ['evidence', 'supplement', 'reply', 'minutes'] },
    uploadedBy: nullableUuid,
    uploaderRole: { type: 'string', enum: ['enterprise', 'staff'] },
    metadataStripped: { type: 'boolean' },
    shared: { type: 'boolean' },
    sharedAt: nullableInstant,
    createdAt: instant,
  }),
};

/** The success body of each operation; an operation not listed answers a JSON object. */
const SUCCESS: Record<string, SchemaObject | 'none'> = {
  authLogin: ref('Login'),
  authMe: ref('User'),
  usersCreate: ref('User'),
  usersUpdate: ref('User'),
  usersList: pageOf(ref('User')),
  enterprisesRegister: obj(['enterprise', 'user'], { enterprise: ref('Entity'), user: ref('User') }),
  appealsFile: ref('Appeal'),
  appealsList: obj(['items', 'nextCursor'], {
    items: { type: 'array', items: ref('Appeal') },
    nextCursor: nullableStr,
    total: { type: 'integer', description: 'with withTotal=true: how many match, up to 10000' },
    totalCapped: { type: 'boolean', description: 'with withTotal=true: more than 10000 match' },
  }),
  appealsGet: ref('Appeal'),
  attachmentsUpload: ref('Attachment'),
  attachmentsList: itemsOf(ref('Attachment')),
  privacyReveal: obj(['appealId', 'contactName', 'contactPhone', 'anonymisedAt'], {
    appealId: uuid,
    contactName: nullableStr,
    contactPhone: nullableStr,
    anonymisedAt: nullableInstant,
  }),
  privacyRetention: obj(['retentionDays', 'due', 'done', 'lastAnonymisedAt', 'next', 'recent'], {
    retentionDays: { type: 'integer' },
    due: { type: 'integer' },
    done: { type: 'integer' },
    lastAnonymisedAt: nullableInstant,
    next: {
      type: 'array',
      items: obj(['appealId', 'number', 'endedAt', 'dueAt'], {
        appealId: uuid,
        number: str,
        endedAt: instant,
        dueAt: instant,
      }),
    },
    recent: {
      type: 'array',
      items: obj(['appealId', 'number', 'anonymisedAt'], {
        appealId: uuid,
        number: str,
        anonymisedAt: instant,
      }),
    },
  }),
  attachmentsShare: ref('Attachment'),
  appealsEvents: itemsOf(ref('AppealEvent')),
  appealsAllowedActions: obj(['appealId', 'status', 'version', 'actions'], {
    appealId: uuid,
    status: { type: 'string', enum: [...APPEAL_STATUSES] },
    version: { type: 'integer', description: 'send as expectedVersion with the action' },
    actions: {
      type: 'array',
      description: 'the transition table’s actions the caller may take now, in the table’s order',
      items: { type: 'string', enum: [...APPEAL_ACTIONS] },
    },
  }),
  appealsVerify: obj(['valid', 'count'], { valid: { type: 'boolean' }, count: { type: 'integer' } }),
  calendarDeadline: obj(['dueAt'], { dueAt: instant }),
  followUpLogContact: ref('Contact'),
  followUpListContacts: itemsOf(ref('Contact')),
  followUpStagedReply: ref('StagedReply'),
  followUpListStagedReplies: itemsOf(ref('StagedReply')),
  plansList: pageOf(ref('Plan')),
  plansGet: ref('Plan'),
  plansUpdate: ref('Plan'),
  plansFulfil: ref('Plan'),
  plansConfirm: ref('Plan'),
  appealWhistleRequest: ref('Whistle'),
  whistlesGet: ref('Whistle'),
  whistlesApprove: ref('Whistle'),
  whistlesDeny: ref('Whistle'),
  whistlesCancel: ref('Whistle'),
  whistlesCheckIn: ref('Whistle'),
  whistlesMinutes: ref('Whistle'),
  whistlesComplete: ref('Whistle'),
  whistlesClose: ref('Whistle'),
  whistlesList: pageOf(ref('Whistle')),
  calendarRemove: 'none',
  attachmentsContent: 'none',
  webhooksRemove: 'none',
  routingRemove: 'none',
  appealSupervisionSupervise: ref('Appeal'),
  appealsLeader: ref('Appeal'),
  appealsMerge: ref('Appeal'),
  appealsReject: ref('Appeal'),
  appealsResolve: ref('Appeal'),
  appealsSupplement: ref('Appeal'),
  appealsWithdraw: ref('Appeal'),
  assessmentApproveAssessmentAppeal: ref('Appeal'),
  assessmentDenyAssessmentAppeal: ref('Appeal'),
  assessmentSurvey: ref('Appeal'),
  assignmentsAcknowledge: ref('Appeal'),
  assignmentsApproveExtension: ref('Appeal'),
  assignmentsApproveReturn: ref('Appeal'),
  assignmentsDenyExtension: ref('Appeal'),
  assignmentsDenyReturn: ref('Appeal'),
  assignmentsDispatch: ref('Appeal'),
  assignmentsOpinion: ref('Appeal'),
  assignmentsProgress: ref('Appeal'),
  assignmentsReply: ref('Appeal'),
  assignmentsReturnAppeal: ref('Appeal'),
  authChangePassword: ref('Login'),
  authResetPassword: ref('User'),
  departmentsCreate: ref('Department'),
  departmentsGet: ref('Department'),
  departmentsList: pageOf(ref('Department')),
  districtsCreate: ref('District'),
  districtsList: pageOf(ref('District')),
  categoriesCreate: ref('Category'),
  categoriesList: pageOf(ref('Category')),
  enterprisesCreate: ref('Enterprise'),
  enterprisesGet: ref('Enterprise'),
  enterprisesList: pageOf(ref('Enterprise')),
  assessmentFileAssessmentAppeal: ref('AssessmentAppeal'),
  queueList: pageOf(ref('QueueItem')),
  supervisionsList: pageOf(ref('Supervision')),
  supervisionsAnswer: ref('Supervision'),
  supervisionsClose: ref('Supervision'),
  meetingsCreate: ref('Meeting'),
  meetingsGet: ref('Meeting'),
  meetingsList: pageOf(ref('Meeting')),
  meetingsFileIssues: obj(['meetingId', 'items'], {
    meetingId: uuid,
    items: { type: 'array', items: ref('Appeal') },
  }),
  calendarList: itemsOf(ref('CalendarDay')),
  calendarPut: ref('CalendarDay'),
  slaCreate: ref('SlaPolicy'),
  slaList: pageOf(ref('SlaPolicy')),
  notificationsList: pageOf(ref('Notification')),
  webhooksCreate: ref('Webhook'),
  webhooksGet: ref('Webhook'),
  webhooksUpdate: ref('Webhook'),
  webhooksList: itemsOf(ref('Webhook')),
  webhooksDeliveries: pageOf(ref('WebhookDelivery')),
  routingCreate: ref('RoutingRule'),
  routingUpdate: ref('RoutingRule'),
  routingList: pageOf(ref('RoutingRule')),
  observabilityCheck: obj(['status'], { status: { type: 'string', enum: ['ok'] }, info: { type: 'object' } }),
  knowledgeCreate: ref('KnowledgeEntry'),
  knowledgeList: pageOf(ref('KnowledgeEntry')),
  knowledgeSearch: itemsOf(ref('KnowledgeHit')),
  knowledgeGet: ref('KnowledgeEntry'),
  knowledgeUpdate: ref('KnowledgeEntry'),
  knowledgeVersions: obj(['id', 'items', 'events'], {
    id: uuid,
    items: { type: 'array', items: ref('KnowledgeVersion') },
    events: {
      type: 'array',
      items: obj(['id', 'version', 'action', 'actorRole', 'createdAt'], {
        id: { type: 'integer' },
        version: { type: 'integer' },
        action: str,
        actorId: nullableUuid,
        actorRole: str,
        data: { type: 'object' },
        createdAt: instant,
      }),
    },
  }),
  knowledgeSubmit: ref('KnowledgeEntry'),
  knowledgePublish: ref('KnowledgeEntry'),
  knowledgeReject: ref('KnowledgeEntry'),
  knowledgeWithdraw: ref('KnowledgeEntry'),
  knowledgeConfirm: ref('KnowledgeEntry'),
  reportsSummary: {
    allOf: [
      ref('Figures'),
      obj(['from', 'to', 'freshness', 'filters', 'targets'], {
        from: instant,
        to: instant,
        freshness: ref('Freshness'),
        filters: ref('ReportFilters'),
        targets: {
          type: 'array',
          items: obj(['metric', 'target', 'value', 'met'], {
            metric: str,
            target: { type: 'number' },
            value: { type: 'number', nullable: true },
            met: { type: 'boolean', nullable: true },
          }),
        },
      }),
    ],
  },
  reportsDepartments: obj(['from', 'to', 'freshness', 'filters', 'minSample', 'items'], {
    from: instant,
    to: instant,
    freshness: ref('Freshness'),
    filters: ref('ReportFilters'),
    minSample: { type: 'integer' },
    targets: { type: 'object' },
    items: {
      type: 'array',
      items: {
        allOf: [
          ref('Figures'),
          obj(['departmentId', 'code', 'name', 'rank', 'insufficientSample'], {
            departmentId: uuid,
            code: str,
            name: str,
            rank: { type: 'integer', nullable: true },
            insufficientSample: { type: 'boolean' },
            met: { type: 'object' },
          }),
        ],
      },
    },
  }),
  reportsTrend: obj(['from', 'to', 'freshness', 'filters', 'interval', 'items'], {
    from: instant,
    to: instant,
    freshness: ref('Freshness'),
    filters: ref('ReportFilters'),
    interval: { type: 'string', enum: ['day', 'week', 'month'] },
    targets: { type: 'object' },
    items: {
      type: 'array',
      items: { allOf: [ref('Figures'), obj(['periodStart'], { periodStart: instant })] },
    },
  }),
  reportsCategories: obj(['from', 'to', 'freshness', 'filters', 'totalReceived', 'items'], {
    from: instant,
    to: instant,
    freshness: ref('Freshness'),
    filters: ref('ReportFilters'),
    targets: { type: 'object' },
    totalReceived: { type: 'integer' },
    items: {
      type: 'array',
      items: {
        allOf: [
          ref('Figures'),
          obj(['categoryCode', 'name', 'share'], {
            categoryCode: str,
            name: str,
            parentCode: nullableStr,
            share: { type: 'number', nullable: true },
          }),
        ],
      },
    },
  }),
  reportsWhistles: obj(['from', 'to', 'freshness', 'filters', 'totals', 'items'], {
    from: instant,
    to: instant,
    freshness: ref('Freshness'),
    filters: obj(['district', 'districtName'], { district: nullableStr, districtName: nullableStr }),
    totals: ref('WhistleFigures'),
    items: {
      type: 'array',
      items: {
        allOf: [
          ref('WhistleFigures'),
          obj(['departmentId', 'code', 'name'], { departmentId: uuid, code: nullableStr, name: nullableStr }),
        ],
      },
    },
  }),
  reportsMeetings: obj(['from', 'to', 'freshness', 'filters', 'totals', 'items', 'nextCursor'], {
    from: instant,
    to: instant,
    freshness: ref('Freshness'),
    filters: obj([], {
      district: nullableStr,
      districtName: nullableStr,
      leaderLed: { type: 'boolean', nullable: true },
    }),
    totals: {
      type: 'object',
      description:
        'the whole period’s, never the page’s: computed by the first page of a paging and carried by its signed cursor, so every page of a paging answers the same totals (as the first page read them)',
    },
    items: {
      type: 'array',
      items: obj(['meetingId', 'title', 'heldAt', 'issues'], {
        meetingId: uuid,
        title: str,
        heldAt: instant,
        district: nullableStr,
        districtName: nullableStr,
        leaderName: nullableStr,
        issues: { type: 'integer' },
      }),
    },
    nextCursor: {
      type: 'string',
      nullable: true,
      description:
        'with `limit` or `cursor`: the cursor of the next page, null on the last; without them: null. Opaque and signed: it carries the paging’s period and totals and holds only for the same `district` and `leaderLed` (and `from`/`to`, when given); altered or reused with other filters it is a 400',
    },
  }),
  targetsGet: ref('Targets'),
  targetsPut: ref('Targets'),
  assignmentsRequestExtension: obj(['id', 'status', 'days', 'reason'], {
    id: uuid,
    status: str,
    days: { type: 'integer' },
    reason: str,
  }),
};

/** What a route declares about itself, read from the decorators at document-build time. */
interface RouteFacts {
  isPublic: boolean;
  roles: Role[] | undefined;
}

/** Every controller method's facts, by the operationId the document gives it. */
function routeFacts(app: INestApplication): Map<string, RouteFacts> {
  const facts = new Map<string, RouteFacts>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!type) continue;
      const proto = type.prototype as Record<string, unknown>;
      for (const key of Object.getOwnPropertyNames(proto)) {
        const handler = proto[key];
        if (key === 'constructor' || typeof handler !== 'function') continue;
        if (Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const pick = <T>(k: string): T | undefined =>
          (Reflect.getMetadata(k, handler) as T | undefined) ??
          (Reflect.getMetadata(k, type) as T | undefined);
        facts.set(operationIdFor(type.name, key), {
          isPublic: pick<boolean>(IS_PUBLIC) === true,
          roles: pick<Role[]>(ROLES_KEY),
        });
      }
    }
  }
  return facts;
}

const ERROR_TEXT: Record<number, string> = {
  400: '请求不合法 (VALIDATION_FAILED)',
  401: '未登录或令牌失效 (UNAUTHENTICATED)',
  403: '当前角色无权操作 (FORBIDDEN)',
  404: '不存在或不可见 (NOT_FOUND)',
  409: '状态不允许、版本冲突或重复 (INVALID_TRANSITION, VERSION_CONFLICT, CONFLICT)',
  413: '请求体过大 (PAYLOAD_TOO_LARGE)',
  415: '不支持的文件类型 (UNSUPPORTED_MEDIA_TYPE)',
  422: '幂等键已用于不同请求 (IDEMPOTENCY_KEY_REUSED)',
  429: '超过频率限制 (RATE_LIMITED)',
  503: '数据库或 Redis 暂不可用 (SERVICE_UNAVAILABLE)',
};

/** Statuses an operation answers with besides those derived from its metadata. */
const EXTRA_ERRORS: Record<string, number[]> = {
  authLogin: [401],
  enterprisesRegister: [409],
  enterprisesCreate: [409],
  districtsCreate: [409],
  attachmentsUpload: [413, 415],
};

/** The error statuses an operation can answer with, derived from what the route declares. */
export function errorStatuses(
  operationId: string,
  method: string,
  path: string,
  op: OperationObject,
  facts: RouteFacts,
): number[] {
  if (path === '/health') return [429, 503]; // throttled like every route; 503 names what is down
  const statuses = new Set<number>([400, 429, 503]);
  const hasBody = op.requestBody !== undefined;
  const writes = method !== 'get';
  if (!facts.isPublic) {
    statuses.add(401);
    if (facts.roles) statuses.add(403);
    if (/\{[^}]+\}/.test(path)) statuses.add(404);
    if (writes) statuses.add(409);
  }
  if (hasBody) statuses.add(413);
  const headers = (op.parameters ?? []) as { in?: string; name?: string }[];
  if (headers.some((p) => p.in === 'header' && p.name?.toLowerCase() === 'idempotency-key'))
    statuses.add(422);
  for (const extra of EXTRA_ERRORS[operationId] ?? []) statuses.add(extra);
  return [...statuses].sort((a, b) => a - b);
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** The document's frame: servers, the bearer scheme (global), the shared error responses. */
function frame(): Omit<OpenAPIObject, 'paths'> {
  return new DocumentBuilder()
    .setTitle('政企通 zhengqitong API')
    .setDescription(
      '12345-1 enterprise appeals: filing, dispatch, handling, reply, survey, supervision, reports. ' +
        'The product — roles, the lifecycle and its statuses, deadlines and the working-day calendar, the ' +
        'assessment rules, meetings, every figure with its formula, and the conventions (errors, lists, ' +
        'local time) — is described in docs/product.md of the repository. Every operation lists the roles that may call it (`x-roles`) and every error it can answer with; ' +
        'errors carry the body `{statusCode, code, message, details?}`.',
    )
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/', '提供本文档的服务 (the server this document came from)')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addSecurityRequirements('bearer')
    .build();
}

/** Adds what the routes' metadata says to the document Nest's scanner produced. */
export function enrich(document: OpenAPIObject, app: INestApplication): OpenAPIObject {
  const facts = routeFacts(app);
  const components = (document.components ??= {});
  const schemas = (components.schemas ??= {});
  // request bodies: SPEC §5 rejects unknown fields, so the document says so
  for (const schema of Object.values(schemas) as SchemaObject[]) {
    if (schema.type === 'object' || schema.properties) schema.additionalProperties = false;
  }
  Object.assign(schemas, RESPONSE_SCHEMAS);
  const responses = (components.responses ??= {});
  for (const [status, text] of Object.entries(ERROR_TEXT)) {
    const response: ResponseObject = {
      description: text,
      content: { 'application/json': { schema: ref('ErrorBody') } },
    };
    if (status === '429') {
      response.headers = {
        'Retry-After': { description: '几秒后可重试 (seconds)', schema: { type: 'integer' } },
      };
    }
    responses[`Error${status}`] = response;
  }

  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!op) continue;
      const id = op.operationId ?? '';
      const route = facts.get(id) ?? { isPublic: false, roles: undefined };
      op.summary = SUMMARIES[id] ?? op.summary;
      const roles = route.isPublic ? [] : (route.roles ?? [...ROLES]);
      (op as OperationObject & { 'x-roles'?: string[] })['x-roles'] = roles;
      const who = route.isPublic
        ? '公开，无需令牌 (public)'
        : route.roles
          ? `可调用角色 (roles): ${roles.join(', ')}`
          : '任何已登录角色 (any signed-in role)';
      op.description = op.description ? `${who}\n\n${op.description}` : who;
      if (route.isPublic) op.security = [];
      else delete op.security; // the global requirement: bearer
      successResponse(op, id);
      for (const status of errorStatuses(id, method, path, op, route)) {
        op.responses[String(status)] = { $ref: `#/components/responses/Error${status}` };
      }
    }
  }
  return document;
}

function successResponse(op: OperationObject, id: string): void {
  const code = Object.keys(op.responses).find((c) => /^2\d\d$/.test(c)) ?? '200';
  const existing = (op.responses[code] ?? {}) as ResponseObject;
  const schema = SUCCESS[id] ?? ref('Object');
  const response: ResponseObject = {
    ...existing,
    description:
      existing.description ||
      (code === '201' ? '已创建 (created)' : code === '204' ? '无内容 (no content)' : '成功 (OK)'),
  };
  if (schema !== 'none' && code !== '204') {
    response.content = { ...(response.content ?? {}), 'application/json': { schema } };
    const params = (op.parameters ?? []) as { in?: string; name?: string }[];
    if (params.some((p) => p.in === 'query' && p.name === 'format')) {
      response.content['text/csv'] = {
        schema: { type: 'string', description: 'format=csv 或 Accept: text/csv' },
      };
    }
  }
  if (id.startsWith('reports')) response.headers = { ...(response.headers ?? {}), ...FRESHNESS_HEADERS };
  op.responses[code] = response;
}

/** Headers of every report answer, JSON or CSV (see the Freshness schema). */
const FRESHNESS_HEADERS: NonNullable<ResponseObject['headers']> = {
  'X-Data-Source': {
    description: '读自主库或只读副本 (primary or replica)',
    schema: { type: 'string', enum: ['primary', 'replica'] },
  },
  'X-Data-Age': {
    description: '数据最多滞后秒数 (seconds the figures may lag the primary)',
    schema: { type: 'number', minimum: 0 },
  },
};

/** The whole document for an app whose routes are registered (the global prefix set). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(app, frame(), {
    operationIdFactory: operationIdFor,
  });
  return enrich(document, app);
}
