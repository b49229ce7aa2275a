/**
 * The message catalogue (SPEC §5.1 "Language"): every error text a caller can read, in Chinese and English.
 *
 * Services keep writing English at the point of failure (the DomainError message and its details); that
 * English is the English answer. The catalogue maps each English message *template* — the text with
 * `{placeholders}` where the call site interpolates values — to its Chinese text, and the error filter
 * renders the Chinese one unless the request asks for English. Placeholders named after a dictionary
 * (`{status}`, `{role}`, `{what}`, …) translate the value they capture; any other placeholder (`{field}`,
 * `{n}`, …) is carried over as it is. src/common/messages.spec.ts scans src for every DomainError
 * construction, detail message and validation rule and fails when one has no entry here.
 *
 * Pure: no Nest, no I/O, no imports from the rooms (the state machine imports from here).
 */
import type { ErrorBody, ErrorCode } from './domain-error';

/* The workflow's ids as plain strings: the state machine imports from here, never the reverse. The
   completeness test checks every status, action and role of the transition table has its entry. */
type AppealStatus = string;
type AppealAction = string;
type ActorRole = string;

export type Lang = 'zh' | 'en';

/**
 * SPEC §5.1: Chinese by default; English when the best match of Accept-Language (by q, then order) among
 * the languages we speak is English. `*` and languages we do not speak count as Chinese / are ignored.
 */
export function languageOf(header: string | string[] | undefined): Lang {
  const raw = Array.isArray(header) ? header.join(',') : (header ?? '');
  let best: { lang: Lang; q: number } | null = null;
  for (const part of raw.split(',')) {
    const [tag, ...params] = part.trim().toLowerCase().split(';');
    if (!tag) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    const primary = tag.trim().split('-')[0];
    const lang: Lang | null = primary === 'en' ? 'en' : primary === 'zh' || primary === '*' ? 'zh' : null;
    if (lang && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? 'zh';
}

/** The default message of each SPEC §5 error code. */
export const CODE_MESSAGES: Record<ErrorCode, Record<Lang, string>> = {
  VALIDATION_FAILED: { zh: '提交的内容有误', en: 'validation failed' },
  UNAUTHENTICATED: { zh: '请先登录', en: 'authentication required' },
  FORBIDDEN: { zh: '当前角色无权进行此操作', en: 'not allowed for your role' },
  NOT_FOUND: { zh: '找不到所请求的内容', en: 'not found' },
  INVALID_TRANSITION: { zh: '诉求当前的状态不允许此操作', en: 'not possible in the current status' },
  VERSION_CONFLICT: { zh: '内容已被他人修改，请刷新后重试', en: 'concurrent change, retry' },
  CONFLICT: { zh: '与已有内容冲突', en: 'conflicts with what exists' },
  PAYLOAD_TOO_LARGE: { zh: '请求内容过大', en: 'request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { zh: '不支持的文件类型', en: 'this type of file is not accepted' },
  IDEMPOTENCY_KEY_REUSED: {
    zh: '该幂等键已用于另一个请求',
    en: 'this Idempotency-Key was used with a different request body',
  },
  RATE_LIMITED: { zh: '请求过于频繁，请稍后再试', en: 'too many requests' },
  INTERNAL_ERROR: { zh: '服务内部错误', en: 'internal error' },
  SERVICE_UNAVAILABLE: { zh: '服务暂时不可用，请稍后重试', en: 'a dependency is unavailable, retry' },
};

/** Each appeal status: its Chinese name, and how a sentence says "the appeal is …" in each language. */
export const STATUS_NAMES: Record<AppealStatus, { name: string; zh: string; en: string }> = {
  submitted: { name: '待受理', zh: '待受理', en: 'waiting to be accepted' },
  dispatched: { name: '待签收', zh: '待签收', en: 'waiting to be acknowledged' },
  in_progress: { name: '办理中', zh: '正在办理中', en: 'being handled' },
  returned: { name: '已退回', zh: '已退回', en: 'returned to the centre' },
  replied: { name: '已答复待回访', zh: '已答复待回访', en: 'answered and awaiting the return visit' },
  closed: { name: '已办结', zh: '已办结', en: 'closed' },
  rejected: { name: '不予受理', zh: '已不予受理', en: 'rejected' },
  withdrawn: { name: '已撤回', zh: '已撤回', en: 'withdrawn' },
  merged: { name: '已合并', zh: '已合并到其他诉求', en: 'merged into another appeal' },
};

/** Each action of the transition table as a verb phrase: 「不能{zh}」, "it cannot {en}". */
export const ACTION_PHRASES: Record<AppealAction, Record<Lang, string>> = {
  dispatch: { zh: '派发', en: 'be dispatched' },
  reject: { zh: '作不予受理处理', en: 'be rejected' },
  resolve_on_spot: { zh: '即时办结', en: 'be resolved on the spot' },
  acknowledge_lead: { zh: '签收', en: 'be acknowledged' },
  acknowledge_co: { zh: '签收', en: 'be acknowledged' },
  request_return: { zh: '申请退回', en: 'be returned to the centre' },
  approve_return_lead: { zh: '批准退回', en: 'have a return approved' },
  approve_return_co: { zh: '批准协办退回', en: 'have a co-handling return approved' },
  deny_return: { zh: '驳回退回申请', en: 'have a return denied' },
  progress: { zh: '填写办理进展', en: 'take a progress note' },
  opinion: { zh: '提交协办意见', en: 'take a co-handling opinion' },
  request_extension: { zh: '申请延期', en: 'have an extension requested' },
  approve_extension: { zh: '批准延期', en: 'have an extension approved' },
  deny_extension: { zh: '驳回延期申请', en: 'have an extension denied' },
  reply: { zh: '答复', en: 'be answered' },
  survey_close: { zh: '评价', en: 'be rated' },
  survey_reopen: { zh: '评价', en: 'be rated' },
  survey_close_reopen_limit: { zh: '评价', en: 'be rated' },
  close_not_rated: { zh: '按未评价办结', en: 'be closed as not rated' },
  withdraw: { zh: '撤回', en: 'be withdrawn' },
  merge: { zh: '合并', en: 'be merged' },
  supervise: { zh: '督办', en: 'be supervised' },
  supplement: { zh: '补充材料', en: 'take supplements' },
  deadline_warning: { zh: '发出时限预警', en: 'get a deadline warning' },
  deadline_overdue: { zh: '标记超期', en: 'be marked overdue' },
  file_assessment_appeal: { zh: '提出考核申诉', en: 'have its rating contested' },
  approve_assessment_appeal: { zh: '批准考核申诉', en: 'have an assessment appeal approved' },
  deny_assessment_appeal: { zh: '驳回考核申诉', en: 'have an assessment appeal denied' },
  answer_supervision: { zh: '答复督办', en: 'have a supervision answered' },
  close_supervision: { zh: '督办销号', en: 'have a supervision closed' },
  escalate_supervision: { zh: '升级督办', en: 'have a supervision escalated' },
  assign_leader: { zh: '安排领导领衔', en: 'be given a leader' },
  instruct_leader: { zh: '记录领导批示', en: 'take a leader’s instruction' },
  log_contact: { zh: '登记联系企业', en: 'have a contact logged' },
  staged_reply: { zh: '阶段性答复', en: 'take a staged reply' },
  deadline_contact_warning: { zh: '发出联系时限预警', en: 'get a contact deadline warning' },
  deadline_contact_overdue: { zh: '标记联系超期', en: 'be marked contact overdue' },
  deadline_staged_overdue: { zh: '标记阶段性答复超期', en: 'be marked staged reply overdue' },
  update_plan: { zh: '反馈计划解决进展', en: 'take a plan update' },
  fulfil_plan: { zh: '完成计划解决', en: 'have its plan fulfilled' },
  confirm_plan: { zh: '确认计划解决', en: 'have its plan confirmed' },
  plan_feedback_overdue: { zh: '标记计划反馈逾期', en: 'have a plan feedback marked overdue' },
  plan_overdue: { zh: '标记计划逾期', en: 'have a plan marked overdue' },
  add_attachment: { zh: '上传附件', en: 'take attachments' },
  share_attachment: { zh: '共享附件', en: 'have an attachment shared' },
  reveal_contact: { zh: '查看完整联系方式', en: 'have its contact revealed' },
  anonymise_contact: { zh: '匿名化联系人', en: 'have its contact anonymised' },
  request_whistle: { zh: '吹哨', en: 'have a whistle blown' },
  approve_whistle: { zh: '按吹哨重新派单', en: 'be re-dispatched for a whistle' },
  deny_whistle: { zh: '不同意吹哨', en: 'have a whistle denied' },
  cancel_whistle: { zh: '取消吹哨', en: 'have a whistle cancelled' },
  check_in_whistle: { zh: '吹哨报到', en: 'take a whistle check-in' },
  record_whistle_minutes: { zh: '记录吹哨会议纪要', en: 'take whistle minutes' },
  complete_whistle_commitment: { zh: '完成吹哨承诺事项', en: 'have a whistle commitment completed' },
  close_whistle: { zh: '吹哨销号', en: 'have a whistle closed' },
  whistle_deadline_warning: { zh: '发出吹哨时限预警', en: 'get a whistle deadline warning' },
  whistle_deadline_overdue: { zh: '标记吹哨超期', en: 'have a whistle marked overdue' },
};

export const ROLE_NAMES: Record<ActorRole, Record<Lang, string>> = {
  enterprise: { zh: '企业', en: 'an enterprise' },
  dispatcher: { zh: '派单员', en: 'a dispatcher' },
  handler: { zh: '承办人员', en: 'a handler' },
  supervisor: { zh: '督办人员', en: 'a supervisor' },
  admin: { zh: '管理员', en: 'an admin' },
  system: { zh: '系统', en: 'the system' },
};

/** The 409 of the transition table, in words: what cannot be done in which status. */
export function invalidTransitionMessage(
  status: AppealStatus,
  action: AppealAction,
  lang: Lang = 'en',
): string {
  return lang === 'zh'
    ? `该诉求${STATUS_NAMES[status].zh}，不能${ACTION_PHRASES[action].zh}`
    : `the appeal is ${STATUS_NAMES[status].en}; it cannot ${ACTION_PHRASES[action].en} now`;
}

/** The 403 of the transition table: a role the action is never open to. */
export function forbiddenActionMessage(role: ActorRole, action: AppealAction, lang: Lang = 'en'): string {
  return lang === 'zh'
    ? `${ROLE_NAMES[role].zh}无权对诉求进行此操作（${ACTION_PHRASES[action].zh}）`
    : `an appeal cannot ${ACTION_PHRASES[action].en} by ${ROLE_NAMES[role].en}`;
}

// ---- dictionaries: placeholders that translate what they capture ----------------------------------

const dict = (pairs: Record<string, string>) => pairs;

const DICTIONARIES: Record<string, Record<string, string>> = {
  /** DomainError.notFound(what) */
  what: dict({
    appeal: '诉求',
    attachment: '附件',
    user: '用户',
    department: '部门',
    enterprise: '企业',
    category: '分类',
    meeting: '恳谈会',
    webhook: 'Webhook',
    'routing rule': '分派规则',
    'calendar day': '日历日',
    supervision: '督办',
    'assessment appeal': '考核申诉',
    'extension request': '延期申请',
    'return request': '退回申请',
    district: '区县',
    'SLA policy': '时限规则',
    'sla policy': '时限规则',
    notification: '通知',
    survey: '评价',
    plan: '计划解决',
    'knowledge entry': '知识条目',
    whistle: '吹哨',
    commitment: '承诺事项',
  }),
  status: dict(Object.fromEntries(Object.entries(STATUS_NAMES).map(([k, v]) => [k, v.name]))),
  statusPhrase: dict(Object.fromEntries(Object.values(STATUS_NAMES).map((v) => [v.en, v.zh]))),
  actionPhrase: dict(Object.fromEntries(Object.values(ACTION_PHRASES).map((v) => [v.en, v.zh]))),
  role: dict({ ...Object.fromEntries(Object.entries(ROLE_NAMES).map(([k, v]) => [k, v.zh])) }),
  roleName: dict(Object.fromEntries(Object.values(ROLE_NAMES).map((v) => [v.en, v.zh]))),
  /** pending / decided requests: extension, return and assessment appeals */
  requestStatus: dict({ pending: '待审核', approved: '已批准', denied: '已驳回', cancelled: '已取消' }),
  level: dict({ reminder: '催办', supervision: '督办', notice: '督办通知' }),
  /** SPEC §9.3: a plan's status, after 「已」 */
  planStatus: dict({ open: '在履行', fulfilled: '完成', confirmed: '确认', cancelled: '取消' }),
  supervisionStatus: dict({ open: '办理中', answered: '已答复', closed: '已销号', escalated: '已升级' }),
  channel: dict({ web: '网站', app: 'App', hotline: '热线', meeting: '恳谈会', visit: '走访' }),
  /** SPEC §12: a whistle's status and what its table refuses (whistles/whistle-states.ts) */
  whistleStatus: dict({
    requested: '待审核',
    approved: '已同意待召开',
    denied: '未获同意',
    cancelled: '已取消',
    held: '已召开',
    closed: '已销号',
  }),
  whistleAction: dict({
    approved: '审核同意',
    denied: '审核不同意',
    cancelled: '取消',
    'checked in to': '报到',
    'given minutes': '记录会议纪要',
    'given a completed commitment': '完成承诺事项',
    closed: '销号',
  }),
};

/** Placeholders whose value is a list (`a or b`, `a, b`) of dictionary words. */
const LIST_DICTIONARIES: Record<string, string> = { roles: 'role', channels: 'channel' };

/**
 * English template → Chinese. `{name}` placeholders: a dictionary name translates the captured value,
 * anything else is copied. Order matters only where two templates could match the same text: the
 * first one wins, so longer, more specific templates come first.
 */
export const MESSAGES: ReadonlyArray<readonly [en: string, zh: string]> = [
  // ---- the transition table (appeal-state-machine.ts) ----
  ['the appeal is {statusPhrase}; it cannot {actionPhrase} now', '该诉求{statusPhrase}，不能{actionPhrase}'],
  ['an appeal cannot {actionPhrase} by {roleName}', '{roleName}无权对诉求进行此操作（{actionPhrase}）'],

  // ---- general ----
  ['validation failed', '提交的内容有误'],
  ['{what} not found', '找不到该{what}'],
  ['not allowed for your role', '当前角色无权进行此操作'],
  ['cursor is not valid', '分页游标无效'],
  ['malformed cursor', '游标格式不正确'],
  ['the cursor was altered or belongs to other filters', '游标已被改动，或不属于当前的筛选条件和期间'],
  ['a CSV export holds every row; limit and cursor page the JSON answer', 'CSV 导出包含全部行；limit 和 cursor 只用于 JSON 分页'],
  ['not with CSV', '不适用于 CSV 导出'],
  ['the body is nested deeper than {n} levels', '请求内容嵌套超过 {n} 层'],
  ['at most {n} levels of objects and arrays', '对象和数组最多嵌套 {n} 层'],
  ['too many requests; try later', '请求过于频繁，请稍后再试'],
  ['too many requests', '请求过于频繁，请稍后再试'],
  ['already exists', '该记录已存在'],
  ['refers to something that does not exist', '引用的记录不存在'],
  ['invalid value', '取值无效'],
  ['concurrent change, retry', '内容被同时修改，请重试'],
  ['a dependency is unavailable, retry', '依赖的服务暂时不可用，请稍后重试'],
  ['a dependency is unavailable', '依赖的服务暂时不可用'],
  ['PostgreSQL answers', 'PostgreSQL 数据库正常'],
  ['PostgreSQL does not answer', 'PostgreSQL 数据库无响应'],
  ['Redis answers', 'Redis 正常'],
  ['Redis does not answer', 'Redis 无响应'],
  ['request body is too large', '请求内容过大'],
  ['malformed request body', '请求内容格式不正确'],
  ['internal error', '服务内部错误'],
  ['bad request', '请求不正确'],
  ['Cannot {method} {path}', '找不到接口 {method} {path}'],
  ['{field} contains a NUL character', '{field} 含有不允许的空字符（NUL）'],
  [
    '{field} must not contain a NUL character or half of a surrogate pair',
    '{field} 不能包含空字符（NUL）或不完整的代理对字符',
  ],
  ['a value is too large', '取值过大'],

  // ---- auth and accounts ----
  ['invalid or expired token', '登录已失效，请重新登录'],
  ['a bearer token is required', '请先登录（缺少访问令牌）'],
  ['requires role {roles}', '需要以下角色：{roles}'],
  ['wrong username or password', '用户名或密码错误'],
  ['the current password is wrong', '当前密码不正确'],
  ['does not match', '不匹配'],
  ['the new password must differ from the current one', '新密码不能与当前密码相同'],
  ['same as the current password', '与当前密码相同'],
  ['the service is temporarily unavailable; try again shortly', '服务暂时不可用，请稍后重试'],
  ['too many failed logins for this username; try later', '该账号登录失败次数过多，请稍后再试'],
  ['a handler needs a departmentId', '承办人员必须指定所属部门（departmentId）'],
  ['required for handlers', '承办人员必填'],
  [
    'username {name} is taken (usernames are the same whatever their case)',
    '用户名 {name} 已被占用（用户名不区分大小写）',
  ],
  ['username {name} is taken', '用户名 {name} 已被占用'],
  [
    'nothing to change: send active, role, departmentId or displayName',
    '没有需要修改的内容：请提供 active、role、departmentId 或 displayName',
  ],
  ['an enterprise account keeps its role and has no department', '企业账号不能修改角色，也不属于任何部门'],
  ['not for enterprise accounts', '不适用于企业账号'],
  ['the last active admin cannot be deactivated or demoted', '最后一个在用的管理员不能被停用或降级'],
  [
    'role must be dispatcher, handler, supervisor or admin (enterprises register themselves)',
    'role 必须是 dispatcher、handler、supervisor 或 admin（企业请自行注册）',
  ],
  [
    'role must be dispatcher, handler, supervisor or admin',
    'role 必须是 dispatcher、handler、supervisor 或 admin',
  ],
  ['username must be 3-64 letters, digits, _ . or -', 'username 须为 3 到 64 个字母、数字或 _ . -'],

  // ---- appeals ----
  ['the appeal is at version {n}, not {m}', '诉求当前版本为 {n}，不是 {m}，请刷新后重试'],
  ['the appeal changed meanwhile, retry', '诉求已被同时修改，请重试'],
  ['an appeal cannot be merged into itself', '诉求不能合并到自身'],
  ['must be another appeal', '必须是另一件诉求'],
  ['intoAppealId does not name an appeal', 'intoAppealId 不是已有的诉求'],
  ['no such appeal', '诉求不存在'],
  ['cannot merge into an appeal that is {status}', '目标诉求{status}，不能合并到该诉求'],
  [
    'a confidential appeal cannot be merged into or with a non-confidential one (保密诉求不能与非保密诉求合并)',
    '保密诉求不能与非保密诉求合并',
  ],
  [
    'Idempotency-Key must be 1-128 visible ASCII characters',
    'Idempotency-Key 须为 1 到 128 个可见 ASCII 字符',
  ],
  ['malformed', '格式不正确'],
  ['this Idempotency-Key is being used; retry', '该幂等键的请求正在处理中，请稍后重试'],
  ['this Idempotency-Key was used with a different request body', '该幂等键已用于另一个请求'],
  ['enterpriseId does not name an enterprise', 'enterpriseId 不是已登记的企业'],
  ['no such enterprise', '企业不存在'],
  ['categoryCode does not name a category', 'categoryCode 不是已有的分类'],
  ['no such category', '分类不存在'],
  ['channel {channel} is not open to {role}s', '{role}不能使用渠道「{channel}」'],
  ['one of {channels}', '可选：{channels}'],
  ['an enterprise files for itself only', '企业只能为本企业提交诉求'],
  ['must be your own or absent', '必须是本企业或不填'],
  [
    'enterpriseId is required when the centre files for an enterprise',
    '中心代企业提交诉求时必须填写 enterpriseId',
  ],
  ['required', '必填'],
  ['item {index}: {field} {detail}', '第 {index} 项：{field} {detail}'],
  ['contactPhone must be a phone number', 'contactPhone 必须是电话号码'],

  // ---- evidence files and personal data (SPEC §11) ----
  [
    'purpose must be one of evidence, supplement, reply, minutes',
    'purpose 必须是 evidence、supplement、reply 或 minutes',
  ],
  [
    'only JPEG, PNG, PDF, OFD, DOCX and XLSX files are accepted',
    '只接受 JPEG、PNG、PDF、OFD、DOCX 和 XLSX 文件',
  ],
  ['the image could not be read', '无法读取该图片'],
  ['only a department with an open assignment adds files', '只有正在承办该诉求的部门可以上传附件'],
  ['an appeal may have at most {limit} bytes of files', '每件诉求的附件合计不能超过 {limit} 字节'],
  ['attachmentIds must name files of this appeal', 'attachmentIds 必须是本诉求的附件'],
  ['must name files of this appeal', '必须是本诉求的附件'],
  ['the body must be multipart/form-data with a file', '请求必须是带文件的 multipart/form-data'],
  ['the multipart body could not be read', '无法读取 multipart 请求内容'],
  ['a file may have at most {maxBytes} bytes', '单个文件不能超过 {maxBytes} 字节'],
  ['send exactly one file, in the field named file', '请在 file 字段中上传且只上传一个文件'],
  ['exactly one', '只能一个'],
  ['a non-empty file is required', '必须上传非空文件'],
  ['the file store cannot be reached now; retry', '文件存储暂时无法访问，请稍后重试'],
  ['the file store cannot be read now; retry', '文件存储暂时无法读取，请稍后重试'],
  [
    'the contact of a confidential appeal is never revealed to departments',
    '保密诉求的联系方式不向承办单位公开',
  ],
  [
    'only a department with an open assignment sees the whole contact',
    '只有正在承办该诉求的部门可以查看完整联系方式',
  ],

  // ---- assignments, returns, extensions ----
  ['the lead department cannot also co-handle', '主办部门不能同时作为协办部门'],
  ['must not contain the lead', '不能包含主办部门'],
  ['acknowledge the appeal first', '请先签收该诉求'],
  ['your department has no open assignment on this appeal', '本部门在该诉求上没有待办的交办'],
  ['your department has already acknowledged this appeal', '本部门已签收该诉求'],
  [
    'only a co-handling department submits an opinion; the lead replies',
    '只有协办部门提交协办意见，主办部门请直接答复',
  ],
  [
    'only the lead department replies; co-handlers submit an opinion',
    '只有主办部门答复，协办部门请提交协办意见',
  ],
  ['only the lead department asks for an extension', '只有主办部门可以申请延期'],
  ['not your role', '本部门在该诉求上的角色不能进行此操作'],
  ['the reply deadline has passed; extensions are asked for before it', '答复期限已过；延期须在期限前申请'],
  ['an extension request is already pending for this assignment', '该交办已有待审核的延期申请'],
  ['the extension request is already {requestStatus}', '该延期申请{requestStatus}'],
  ['a return request is already pending for this assignment', '该交办已有待审核的退回申请'],
  [
    "this assignment's return request was {requestStatus}; it may not be asked again",
    '该交办的退回申请{requestStatus}，不能再次申请',
  ],
  ['the return window has closed', '退回申请期限已过'],
  ['the return request is already {requestStatus}', '该退回申请{requestStatus}'],

  // ---- assessment ----
  ['surveyId does not name a survey of this appeal', 'surveyId 不是该诉求的评价'],
  ['no such survey on this appeal', '该诉求没有这条评价'],
  [
    'only the department that was lead for the rated round may contest it',
    '只有被评价那一轮的主办部门可以提出考核申诉',
  ],
  ['only an unsatisfied or unresolved rating can be contested', '只有不满意或未解决的评价可以申诉'],
  ['this survey has already been contested', '该评价已提出过考核申诉'],
  ['the assessment appeal window has closed', '考核申诉期限已过'],
  ['the assessment appeal is already {requestStatus}', '该考核申诉{requestStatus}'],
  [
    'this appeal was answered on the spot; dispatch it instead of reopening',
    '该诉求为即时办结，不能重办，请改为派发',
  ],
  [
    'comment (why the rating is unsatisfied or unresolved) is required',
    '不满意或未解决时必须填写不满意原因（comment）',
  ],

  // ---- planned resolution (SPEC §9.3) ----
  ['a plan goes only with the outcome planned', '只有答复结果为计划解决（planned）时才能附带计划'],
  ['only with outcome planned', '仅在 outcome 为 planned 时填写'],
  ['the plan is not valid', '计划解决的内容有误'],
  ['the plan update is not valid', '计划进展反馈的内容有误'],
  ['a handler sees its own department’s plans only', '承办人员只能查看本部门的计划解决'],
  ['must lie in the future', '必须是将来的时间'],
  ['must be at most {d} after the reply', '不能晚于答复后 {d}'],
  ['must be at most {d} from now', '不能晚于当前时间起 {d}'],
  ['must not be after promisedBy', '不能晚于承诺解决日期（promisedBy）'],
  ['the plan is already {planStatus}', '该计划已{planStatus}'],
  ['the plan is not fulfilled yet; it is confirmed once fulfilled', '该计划尚未完成，完成后才能确认'],
  ['duration {s} is longer than {n} months', '时长 {s} 超过 {n} 个月'],

  // ---- supervision ----
  ['departmentId names no department that handles this appeal', 'departmentId 不是办理该诉求的部门'],
  ['the department has no assignment on this appeal', '该部门在该诉求上没有交办'],
  ['a handler sees its own department’s supervisions only', '承办人员只能查看本部门的督办'],
  ['a reminder needs no answer', '催办无需答复'],
  ['this supervision names no department to answer it', '该督办没有指定答复部门'],
  ['this {level} is already {supervisionStatus}', '该{level}{supervisionStatus}'],
  ['a supervision is closed once its department has answered it', '部门答复后才能对督办销号'],

  // ---- contact and follow-through (SPEC §9) ----
  ['the contact cannot be in the future', '联系时间不能晚于当前时间'],
  ['must not be in the future', '不能晚于当前时间'],
  ['the contact cannot be before the dispatch', '联系时间不能早于派单时间'],
  ['must not be before the dispatch', '不能早于派单时间'],
  ['on a confidential appeal only the centre contacts the filer', '保密诉求只能由 12345 中心联系诉求人'],
  ['the appeal has no open lead assignment', '该诉求没有办理中的主办交办'],
  [
    'on a confidential appeal the centre records a three_way_call',
    '保密诉求须由中心以三方通话（three_way_call）联系',
  ],
  ['must be three_way_call on a confidential appeal', '保密诉求必须为三方通话（three_way_call）'],
  ['only the lead department gives staged replies', '只有主办部门可以作阶段性答复'],
  ['the next feedback must be after now', '下次反馈时间必须晚于当前时间'],
  ['must be after now', '必须晚于当前时间'],
  // ---- whistles (SPEC §12) ----
  [
    'the whistle is {whistleStatus}; it cannot be {whistleAction}',
    '该吹哨{whistleStatus}，不能{whistleAction}',
  ],
  ['this appeal already has an active whistle', '该诉求已有进行中的吹哨'],
  ['the convener cannot also be summoned as a co department', '牵头部门不能同时作为参会部门'],
  ['the meeting must be after the approval', '会议时间须在审核同意之后'],
  [
    'the meeting must be held within whistleMeetingWithin of the approval',
    '会议须在审核同意后的吹哨会议时限（whistleMeetingWithin）内召开',
  ],
  ['your department has already checked in', '本部门已报到'],
  ['the meeting has begun; check-in is closed', '会议已开始，报到已截止'],
  ['only the convening (lead) department records the minutes', '只有牵头部门可以记录会议纪要'],
  ['the meeting has not begun yet', '会议尚未开始'],
  ['the commitments are not valid', '承诺事项填写有误'],
  ['not a department of this whistle', '不是本次吹哨的参会部门'],
  ['must be after the minutes are recorded', '须晚于纪要记录时间'],
  ['must be no later than 3 months after the meeting', '不得晚于会议后 3 个月'],
  ['only the committed department completes its commitment', '只有作出承诺的部门可以办结该承诺事项'],
  ['this commitment is already complete', '该承诺事项已完成'],
  ['every commitment must be complete before the whistle is closed', '所有承诺事项完成后才能对吹哨销号'],
  ['your department is not summoned by this whistle', '本部门不在本次吹哨的参会部门之列'],
  ['a handler sees the whistles summoning its own department only', '承办人员只能查看召集本部门的吹哨'],

  // ---- reference data ----
  ['{field} must be a date YYYY-MM-DD', '{field} 必须是 YYYY-MM-DD 格式的日期'],
  ['not a calendar date', '不是有效的日期'],
  ['parentCode does not name a category', 'parentCode 不是已有的分类'],
  ['parentCode must be a category code', 'parentCode 必须是分类代码'],
  ['category code {code} is taken', '分类代码 {code} 已被占用'],
  ['{field} does not name a category', '{field} 不是已有的分类'],
  ['code must be 1-32 letters, digits, _ . or -', 'code 须为 1 到 32 个字母、数字或 _ . -'],
  ['code must be 1-32 letters, digits, _ or -', 'code 须为 1 到 32 个字母、数字或 _ -'],
  ['department code {code} is taken', '部门代码 {code} 已被占用'],
  ['{field} does not name a department', '{field} 不是已有的部门'],
  ['no such department', '部门不存在'],
  ['{field} does not name a district', '{field} 不是已有的区县'],
  ['no district has this code or name', '没有此代码或名称的区县'],
  ['code must be a GB/T 2260 six-digit code', 'code 必须是 6 位 GB/T 2260 行政区划代码'],
  ['not with tree=true', '不能与 tree=true 同时使用'],
  ['{field} names unknown departments', '{field} 含有不存在的部门'],
  ['no department {id}', '部门 {id} 不存在'],
  ['an enterprise with this uscc is already registered', '该统一社会信用代码的企业已注册'],
  ['uscc must have 18 characters', 'uscc（统一社会信用代码）必须是 18 位'],
  [
    'uscc uses characters outside 0-9A-HJ-NPQRTUWXY (or positions 3-8 are not digits)',
    'uscc（统一社会信用代码）含有不允许的字符（或第 3 到 8 位不是数字）',
  ],
  [
    'uscc check character does not match (GB 32100-2015)',
    'uscc（统一社会信用代码）校验码不正确（GB 32100-2015）',
  ],
  ['enterpriseIds names unknown enterprises', 'enterpriseIds 含有不存在的企业'],
  ['no enterprise {id}', '企业 {id} 不存在'],
  ['did not attend this meeting', '未参加本次恳谈会'],
  ['the lead department cannot also co-handle', '主办部门不能同时作为协办部门'],
  ['keywords must not be blank', '关键词不能为空白'],

  // ---- the knowledge base (SPEC §10) ----
  ['a withdrawn entry cannot be edited', '已撤回的知识条目不能修改'],
  [
    'the entry is under review; it cannot be edited until it is published or rejected',
    '该知识条目正在审核中，发布或退回前不能修改',
  ],
  ['only a draft can be submitted', '只有草稿可以提交审核'],
  ['only an entry under review can be published', '只有审核中的知识条目可以发布'],
  ['only an entry under review can be rejected', '只有审核中的知识条目可以退回'],
  ['the entry is already withdrawn', '该知识条目已撤回'],
  ['only a published entry in force can be confirmed', '只有已发布且在有效期内的知识条目可以确认'],
  [
    'only the entry’s own department, or the centre, may do this to it',
    '只有提供该知识条目的部门（中心条目由热线中心）可以进行此操作',
  ],
  ['the entry is not valid', '知识条目内容有误'],
  ['must not be blank', '不能为空白'],
  ['must be at most {n} characters', '不能超过 {n} 个字符'],
  ['at most {n} keywords', '关键词最多 {n} 个'],
  ['each keyword must be at most {n} characters', '每个关键词不能超过 {n} 个字符'],
  ['a keyword must not be the title', '关键词不能与标题相同'],
  ['must be after effectiveFrom', '必须晚于生效时间'],
  ['categoryCode must name a leaf category', 'categoryCode 必须是末级分类'],
  ['has subcategories', '该分类下还有子分类'],
  ['an entry with this title already exists', '已有同名的知识条目'],
  ['already used by another entry', '已被其他知识条目使用'],
  [
    'knowledgeEntryIds must name published entries in force',
    'knowledgeEntryIds 必须是已发布且在有效期内的知识条目',
  ],
  ['not a published entry in force: {ids}', '不是已发布且在有效期内的知识条目：{ids}'],
  ['blank', '为空白'],

  // ---- reports ----
  ['from must be before to', 'from 必须早于 to'],
  ['must be before to', '必须早于 to'],
  ['a report covers at most {n} days', '报表最多覆盖 {n} 天'],
  ['at most {n} days before to', '最多早于 to {n} 天'],
  ['a handler may read only its own department', '承办人员只能查看本部门'],
  ['scoreWeights must sum to 1', 'scoreWeights 各项之和必须为 1'],
  ['the weights sum to {sum}, not 1', '权重之和为 {sum}，不是 1'],

  // ---- durations (SLA policies, the deadline calculator) ----
  [
    'invalid ISO 8601 duration: {value} (only the last component may have a fraction)',
    '无效的 ISO 8601 时长：{value}（只有最后一项可以带小数）',
  ],
  ['invalid ISO 8601 duration: {value}', '无效的 ISO 8601 时长：{value}'],
  [
    'unsupported duration {value}: years and months have no fixed length; use days (PnD) or weeks (PnW)',
    '不支持的时长 {value}：年和月没有固定长度，请用天（PnD）或周（PnW）',
  ],
  [
    'unsupported duration {value}: days and weeks must be whole',
    '不支持的时长 {value}：天数和周数必须是整数',
  ],
  ['duration {value} is longer than {n} days', '时长 {value} 超过 {n} 天'],

  // ---- webhooks ----
  ['url {detail}', 'url {detail}'],
  ['events {detail}', 'events {detail}'],
  ['is not valid', '无效'],
  ['must be a non-empty array', '必须是非空数组'],
  ['must contain strings', '必须只包含字符串'],
  ['unknown event {events}', '未知的事件 {events}'],
  ['must not repeat an event', '不能重复同一事件'],
  ['must be a string', '必须是字符串'],
  ['must not start or end with spaces', '首尾不能有空格'],
  ['must be an absolute http or https URL', '必须是完整的 http 或 https 地址'],
  ['must use http or https', '必须使用 http 或 https'],
  ['must name a host', '必须包含主机名'],
  ['must not carry credentials', '不能包含用户名或密码'],

  // ---- validation rules (class-validator's messages, and the ones flatten() writes) ----
  ['property {field} should not exist', '不允许的字段 {field}'],
  ['{field} is required', '{field} 不能为空'],
  ['{field} must not be blank', '{field} 不能为空白'],
  ['{field} must be an integer from {min} to {max}', '{field} 必须是 {min} 到 {max} 之间的整数'],
  ['{field} must be an integer not less than {min}', '{field} 必须是不小于 {min} 的整数'],
  ['{field} must be an integer not greater than {max}', '{field} 必须是不大于 {max} 的整数'],
  ['{field} must be a number from {min} to {max}', '{field} 必须是 {min} 到 {max} 之间的数'],
  ['{field} must be a number not less than {min}', '{field} 必须是不小于 {min} 的数'],
  ['{field} must be a number not greater than {max}', '{field} 必须是不大于 {max} 的数'],
  ['{field} must be a string', '{field} 必须是字符串'],
  [
    '{field} must be longer than or equal to {min} and shorter than or equal to {max} characters',
    '{field} 长度必须在 {min} 到 {max} 个字符之间',
  ],
  ['{field} must be longer than or equal to {min} characters', '{field} 至少需要 {min} 个字符'],
  ['{field} must be shorter than or equal to {max} characters', '{field} 不能超过 {max} 个字符'],
  ['{field} must be one of the following values: {values}', '{field} 必须是以下值之一：{values}'],
  ['{field} must be a UUID', '{field} 必须是 UUID'],
  ['{field} must be a boolean value', '{field} 必须是布尔值（true 或 false）'],
  ['{field} must be an integer number', '{field} 必须是整数'],
  ['{field} must be a number conforming to the specified constraints', '{field} 必须是数字'],
  ['{field} must not be less than {min}', '{field} 不能小于 {min}'],
  ['{field} must not be greater than {max}', '{field} 不能大于 {max}'],
  ['{field} must be a valid ISO 8601 date string', '{field} 必须是 ISO 8601 格式的时间'],
  ['{field} must match {pattern} regular expression', '{field} 格式不正确'],
  ['{field} must be an array', '{field} 必须是数组'],
  ["All {field}'s elements must be unique", '{field} 中不能有重复项'],
  ['{field} must contain no more than {n} elements', '{field} 最多 {n} 项'],
  ['{field} must contain at least {n} elements', '{field} 至少 {n} 项'],
  ['{field} must be an object', '{field} 必须是对象'],
  ['nested property {field} must be either object or array', '{field} 必须是对象或数组'],
  ['{field} should not be empty', '{field} 不能为空'],
  ['{field} should not be null or undefined', '{field} 不能为空'],
  ['{field} must be a number string', '{field} 必须是数字字符串'],
  ['{field} must be a valid IANA time-zone', '{field} 必须是 IANA 时区'],
  ['an unknown value was passed to the validate function', '提交的内容无法识别'],

  // ---- generic shapes last: the first template that matches wins ----
  ['{field}: {detail}', '{field}：{detail}'],
];

// ---- rendering -------------------------------------------------------------------------------------

interface Compiled {
  re: RegExp;
  names: string[];
  zh: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function placeholderPattern(name: string): string {
  const d = DICTIONARIES[name];
  if (!d) return '(.+?)';
  const words = Object.keys(d).sort((a, b) => b.length - a.length);
  return `(${words.map(escape).join('|')})`;
}

function compile([en, zh]: readonly [string, string]): Compiled {
  const names: string[] = [];
  let source = '';
  let last = 0;
  for (const m of en.matchAll(/\{(\w+)\}/g)) {
    source += escape(en.slice(last, m.index));
    names.push(m[1]);
    source += placeholderPattern(m[1]);
    last = m.index + m[0].length;
  }
  source += escape(en.slice(last));
  return { re: new RegExp(`^${source}$`, 's'), names, zh };
}

let compiled: Compiled[] | null = null;
const exact = new Map<string, string>();

function renderValue(name: string, value: string): string {
  const d = DICTIONARIES[name];
  if (d) return d[value] ?? value;
  const listOf = LIST_DICTIONARIES[name];
  if (listOf) {
    const words = value.split(/, | or /);
    return words.map((w) => DICTIONARIES[listOf][w] ?? w).join('、');
  }
  if (name === 'detail') return toChinese(value) ?? value;
  return value;
}

/** The Chinese of an English message, or null when the catalogue has no template for it. */
export function toChinese(en: string): string | null {
  compiled ??= MESSAGES.map(compile);
  const hit = exact.get(en);
  if (hit !== undefined) return hit;
  if (en.startsWith('each value in ')) {
    const rest = toChinese(en.slice('each value in '.length));
    const field = en.slice('each value in '.length).split(' ')[0];
    return rest === null ? null : rest.replace(`${field} `, `${field} 中的每一项`);
  }
  for (const c of compiled) {
    const m = c.re.exec(en);
    if (!m) continue;
    const values = new Map(c.names.map((n, i) => [n, renderValue(n, m[i + 1])]));
    const zh = c.zh.replace(/\{(\w+)\}/g, (all, n: string) => values.get(n) ?? all);
    if (exact.size < 10_000) exact.set(en, zh);
    return zh;
  }
  return null;
}

/** A message in the caller's language: the English as written, or its Chinese (else the code's default). */
export function renderMessage(en: string, lang: Lang, code: ErrorCode): string {
  if (lang === 'en') return en;
  return toChinese(en) ?? CODE_MESSAGES[code].zh;
}

/** The error body in the caller's language: its message and every details[].message. */
export function localize(body: ErrorBody, lang: Lang): ErrorBody {
  if (lang === 'en') return body;
  const out: ErrorBody = { ...body, message: renderMessage(body.message, lang, body.code) };
  if (Array.isArray(body.details)) {
    out.details = body.details.map((d: unknown) => {
      if (!d || typeof d !== 'object' || typeof (d as { message?: unknown }).message !== 'string') return d;
      const entry = d as { field?: unknown; message: string };
      const zh = toChinese(entry.message);
      const field = typeof entry.field === 'string' ? entry.field : '';
      return { ...entry, message: zh ?? `${field} 不符合要求`.trim() };
    });
  }
  return out;
}
