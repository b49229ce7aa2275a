// The Chinese names the desks show. The *permissions* are not here: which buttons appear comes from the
// service (GET /appeals/{id}/actions, computed from the transition table).

/** The appeal's statuses, named by the service as its messages name them (common/names.js). */
export { APPEAL_STATUS as STATUS } from '../common/names.js';
export const ASSIGNMENT_STATUS = {
  dispatched: '待签收',
  in_progress: '办理中',
  completed: '已完成',
  returned: '已退回',
  cancelled: '已撤销',
};
export const ROLE = { lead: '主办', co: '协办' };
export const TYPES = {
  consultation: '咨询',
  complaint: '投诉',
  help: '求助',
  suggestion: '建议',
  report: '举报',
  praise: '表扬',
};
export const CHANNELS = {
  web: '网站',
  app: '移动端',
  hotline: '12345 热线',
  meeting: '恳谈会',
  visit: '走访',
};
export const URGENCY = { normal: '一般', urgent: '紧急' };
export const AWAITING = {
  acknowledge: '待签收',
  reply: '待答复',
  opinion: '待协办意见',
  supervision_answer: '待督办反馈',
  dispatch: '待受理派单',
  redispatch: '退回待重派',
  return_review: '待审核退单',
  extension_review: '待审核延期',
  assessment_appeal_review: '待审核考核申诉',
  supervision_close: '待督办销号',
  whistle_review: '待审核吹哨',
};
export const OUTCOMES = {
  resolved: '已解决',
  partially_resolved: '部分解决',
  explained: '已解释说明',
  planned: '计划解决',
};
export const SATISFACTION = { satisfied: '满意', basically_satisfied: '基本满意', unsatisfied: '不满意' };
export const CONTACT_METHODS = {
  phone: '电话',
  sms: '短信',
  visit: '上门',
  online: '线上',
  three_way_call: '三方通话',
};
export const CONTACT_OUTCOMES = { reached: '已联系上', unreachable: '未联系上', left_message: '已留言' };
export const PLAN_STATUS = {
  open: '进行中',
  fulfilled: '已完成待确认',
  confirmed: '已确认',
  cancelled: '已取消',
};
export const ROLES = {
  enterprise: '企业',
  dispatcher: '12345 中心派单员',
  handler: '承办部门',
  supervisor: '督办人员',
  admin: '系统管理员',
};

/** Timeline lines for the staff desks (the enterprise's timeline comes labelled by the service). */
export const EVENTS = {
  'appeal.submitted': '提交诉求',
  'appeal.dispatched': '派单',
  'appeal.rejected': '不予受理',
  'appeal.resolved_on_spot': '即时办结',
  'assignment.acknowledged': '签收',
  'assignment.returned': '退单',
  'appeal.progress_noted': '办理进展',
  'assignment.opinion_submitted': '协办意见',
  'extension.requested': '申请延期',
  'extension.approved': '同意延期',
  'extension.denied': '驳回延期',
  'appeal.replied': '答复',
  'survey.recorded': '回访评价',
  'appeal.reopened': '不满意重办',
  'appeal.closed': '办结',
  'appeal.withdrawn': '撤回',
  'appeal.merged': '合并',
  'appeal.supervised': '督办',
  'appeal.supplemented': '补充材料',
  'deadline.warning': '时限预警',
  'deadline.overdue': '超期',
  'return.requested': '申请退单',
  'return.approved': '同意退单',
  'return.denied': '驳回退单',
  'supervision.answered': '督办反馈',
  'supervision.escalated': '督办升级',
  'supervision.closed': '督办销号',
  'appeal.leader_assigned': '领导领衔',
  'appeal.leader_instructed': '领导批示',
  'contact.logged': '联系企业',
  'assignment.contacted': '首次联系',
  'appeal.staged_replied': '阶段性答复',
  'plan.created': '计划解决',
  'plan.updated': '计划进展',
  'plan.fulfilled': '计划完成',
  'plan.confirmed': '确认计划',
  'plan.cancelled': '计划取消',
  'attachment.added': '上传附件',
  'attachment.shared': '共享附件',
  'whistle.requested': '企业吹哨',
  'whistle.approved': '同意吹哨',
  'whistle.denied': '不同意吹哨',
};

export const label = (table, key) => (key == null ? '—' : (table[key] ?? key));
