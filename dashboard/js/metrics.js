// The metrics of docs/product.md §4 (and the §7 assessment figures when the service reports them): the
// Chinese label shown on screen, the formula shown in the tooltip next to the metric's key, and how the
// value reads. Counts are named as the line's reports name them (受理量, 办结量); a label that could be
// read two ways says which (有效回访 counts only valid return visits, the reply time is in working hours).

/**
 * kind: rate (0–1, shown as a percentage), count, hours (working hours, the unit in the label), score
 * (0–100). lowerIsBetter: met at or under the target. sample: the count of return visits the figure is
 * taken over — under the targets' minimum sample it is shown as a small sample.
 */
export const METRICS = {
  received: { label: '受理量', kind: 'count', formula: '时段内创建的诉求' },
  valid: { label: '有效诉求', kind: 'count', formula: 'received − rejected − withdrawn − merged' },
  rejected: { label: '不予受理', kind: 'count', formula: '不予受理的诉求' },
  withdrawn: { label: '已撤回', kind: 'count', formula: '企业撤回的诉求' },
  merged: { label: '已合并', kind: 'count', formula: '合并到其他诉求的重复件' },
  closed: { label: '办结量', kind: 'count', formula: '已办结的诉求' },
  rated: { label: '有效回访', kind: 'count', formula: '最新回访有效的诉求' },
  ratedAll: { label: '全部回访（含无效）', kind: 'count', formula: '有回访的诉求（含无效回访）' },
  closureRate: { label: '办结率', kind: 'rate', formula: 'closed / valid' },
  responseRate: {
    label: '响应率（按时签收率）',
    kind: 'rate',
    formula: '按时签收的派单 / 签收期限已到或已签收的派单',
  },
  onTimeReplyRate: {
    label: '按时办结率',
    kind: 'rate',
    formula: '按（延期后）期限答复的主办派单 / 已答复或已超期的主办派单',
  },
  satisfactionRate: {
    label: '满意率',
    kind: 'rate',
    formula: '(满意 + 基本满意) / rated，按每件最新的有效回访',
    sample: 'rated',
  },
  satisfactionRateAll: {
    label: '满意率（含无效回访）',
    kind: 'rate',
    formula: '(满意 + 基本满意) / ratedAll，按每件最新回访',
    sample: 'ratedAll',
  },
  resolutionRate: { label: '解决率', kind: 'rate', formula: '回访称已解决 / rated', sample: 'rated' },
  oneTimeResolutionRate: { label: '一次性化解率', kind: 'rate', formula: '未重办的办结件 / closed' },
  overdueOpen: {
    label: '超期未办',
    kind: 'count',
    formula: '当前已过期限仍未办完的派单',
    lowerIsBetter: true,
  },
  avgReplyWorkingHours: {
    label: '平均答复用时（工作小时）',
    kind: 'hours',
    formula: '派单到主办答复的平均工作小时（按工作日历：只计工作日的工作时段）',
    lowerIsBetter: true,
  },
  score: {
    label: '综合得分',
    kind: 'score',
    formula: '100 × (w₁·responseRate + w₂·resolutionRate + w₃·satisfactionRate)',
    sample: 'rated',
  },
  returnRate: { label: '退单率', kind: 'rate', formula: '经审核退回的主办派单 / 派出的主办派单' },
  returnsDenied: { label: '不当退单', kind: 'count', formula: '被驳回的退单申请' },
  assessmentAppeals: { label: '考核申诉', kind: 'count', formula: '主办单位提出的考核申诉' },
  assessmentAppealsApproved: { label: '申诉成立', kind: 'count', formula: '获批准的考核申诉' },
  supervisions: { label: '督办量', kind: 'count', formula: '开出的督办（supervision 级）' },
  supervisionAnsweredOnTimeRate: {
    label: '督办按时反馈率',
    kind: 'rate',
    formula: '期限内反馈的督办 / 已反馈或已过期的督办',
  },
  notices: { label: '通报量', kind: 'count', formula: '开出的通报' },
  // meetings report (docs/product.md §8.1)
  meetings: { label: '恳谈会场次', kind: 'count', formula: '时段内召开的恳谈会' },
  enterprisesAttending: { label: '参会企业', kind: 'count', formula: '参会企业（去重）' },
  attendeeCount: { label: '参会人数', kind: 'count', formula: '各场参会人数之和' },
  issues: { label: '收集问题', kind: 'count', formula: '会上登记的问题（诉求）' },
  resolvedOnSite: { label: '现场解决', kind: 'count', formula: '现场答复解决的问题' },
  answered: { label: '已反馈', kind: 'count', formula: '已答复或已办结的问题' },
  feedbackRate: { label: '反馈率', kind: 'rate', formula: 'answered / 有效问题' },
};

/** The rate tiles of the overview, in the order of docs/product.md §4 and §7; a metric the service does not report is left out. */
export const RATE_TILES = [
  'closureRate',
  'responseRate',
  'onTimeReplyRate',
  'satisfactionRate',
  'satisfactionRateAll',
  'resolutionRate',
  'oneTimeResolutionRate',
  'score',
  'avgReplyWorkingHours',
  'overdueOpen',
  'returnRate',
  'supervisionAnsweredOnTimeRate',
];

/** The period's counts under the tiles. */
export const COUNTS = [
  'received',
  'valid',
  'rejected',
  'withdrawn',
  'merged',
  'closed',
  'rated',
  'ratedAll',
  'returnsDenied',
  'assessmentAppeals',
  'assessmentAppealsApproved',
  'supervisions',
  'notices',
];

export const CHANNELS = {
  web: '网站',
  app: '移动端',
  hotline: '热线',
  meeting: '恳谈会',
  visit: '走访',
};

export const ROLES = {
  supervisor: '督办（营商办 / 工商联 / 领导办公室）',
  dispatcher: '派单（12345 中心）',
  admin: '系统管理员',
  handler: '承办单位',
  enterprise: '企业',
};

/** The roles in a few characters, for the header. */
export const ROLE_SHORT = {
  supervisor: '督办',
  dispatcher: '派单',
  admin: '系统管理员',
  handler: '承办单位',
  enterprise: '企业',
};

/** The roles the dashboard is for (docs/product.md §1: those who read the reports). */
export const DASHBOARD_ROLES = ['supervisor', 'dispatcher', 'admin'];

export function label(key) {
  return METRICS[key]?.label ?? key;
}

/** Tooltip text: the metric's key (as in the API and the CSV) and its formula. */
export function tooltip(key) {
  const m = METRICS[key];
  return m ? `${key}：${m.formula}` : key;
}

/** A value as the dashboard shows it; null (a zero denominator) is a dash, never 0. */
export function format(key, value) {
  if (value === null || value === undefined) return '—';
  switch (METRICS[key]?.kind) {
    case 'rate':
      return `${(value * 100).toFixed(2)}%`;
    case 'score':
      return value.toFixed(2);
    case 'hours':
      return value.toFixed(1); // the unit is in the label: 工作小时 on the working calendar
    default:
      return String(value);
  }
}

/** A target as a phrase: "目标 ≥ 96.00%". */
export function formatTarget(key, target) {
  if (target === null || target === undefined) return '未设目标';
  return `目标 ${METRICS[key]?.lowerIsBetter ? '≤' : '≥'} ${format(key, target)}`;
}

/**
 * The figures of a metric object (a summary, a row) resting on fewer return visits than the minimum
 * sample: {metric: visits}. Empty when minSample is unknown.
 */
export function smallSamples(row, minSample) {
  const out = {};
  if (typeof minSample !== 'number') return out;
  for (const [key, m] of Object.entries(METRICS)) {
    const n = m.sample ? row[m.sample] : undefined;
    if (typeof n === 'number' && n < minSample && row[key] !== null && row[key] !== undefined) out[key] = n;
  }
  return out;
}

/** The appeal's statuses (docs/product.md §2). */
export const APPEAL_STATUS = {
  submitted: '待受理',
  dispatched: '待签收',
  in_progress: '办理中',
  returned: '已退回',
  replied: '已答复待回访',
  closed: '已办结',
  rejected: '不予受理',
  withdrawn: '已撤回',
  merged: '已合并',
};

/** Graded supervision (docs/product.md §7.3). */
export const SUPERVISION_LEVEL = { reminder: '催办', supervision: '督办', notice: '通报' };
export const SUPERVISION_SOURCE = {
  manual: '督办人员开出',
  overdue: '超期自动',
  reopen_limit: '重办超限',
  escalation: '逾期未反馈升级',
};
export const SUPERVISION_STATUS = { open: '待反馈', answered: '已反馈', closed: '已销号' };
