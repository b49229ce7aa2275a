// The metrics of docs/product.md §4 (and the §7 assessment and §9 follow-through figures when the service reports them): how
// each value reads. The Chinese labels and the formulas shown in the tooltips are the service's one table
// (src/modules/reports/metric-labels.ts, served as ./metric-labels.js), the same the CSV headers use.
// Counts are named as the line's reports name them (受理量, 办结量); a label that could be read two ways
// says which (有效回访 counts only valid return visits, the reply time is in working hours).
import LABELS from './metric-labels.js';

/**
 * kind: rate (0–1, shown as a percentage), count, hours (working hours, the unit in the label), score
 * (0–100). lowerIsBetter: met at or under the target. sample: the count of return visits the figure is
 * taken over — under the targets' minimum sample it is shown as a small sample.
 */
const HOW = {
  received: { kind: 'count' },
  valid: { kind: 'count' },
  rejected: { kind: 'count' },
  withdrawn: { kind: 'count' },
  merged: { kind: 'count' },
  closed: { kind: 'count' },
  rated: { kind: 'count' },
  ratedAll: { kind: 'count' },
  closureRate: { kind: 'rate' },
  responseRate: { kind: 'rate' },
  onTimeReplyRate: { kind: 'rate' },
  satisfactionRate: { kind: 'rate', sample: 'rated' },
  satisfactionRateAll: { kind: 'rate', sample: 'ratedAll' },
  resolutionRate: { kind: 'rate', sample: 'rated' },
  oneTimeResolutionRate: { kind: 'rate' },
  overdueOpen: { kind: 'count', lowerIsBetter: true },
  avgReplyWorkingHours: { kind: 'hours', lowerIsBetter: true },
  score: { kind: 'score', sample: 'rated' },
  returnRate: { kind: 'rate' },
  returnsDenied: { kind: 'count' },
  assessmentAppeals: { kind: 'count' },
  assessmentAppealsApproved: { kind: 'count' },
  supervisions: { kind: 'count' },
  supervisionAnsweredOnTimeRate: { kind: 'rate' },
  notices: { kind: 'count' },
  firstContactOnTimeRate: { kind: 'rate' },
  contactRate: { kind: 'rate' },
  stagedReplyOnTimeRate: { kind: 'rate' },
  // planned resolution (docs/product.md §9.3)
  planned: { kind: 'count' },
  plansOpen: { kind: 'count' },
  plansOverdue: { kind: 'count', lowerIsBetter: true },
  planFulfilledOnTimeRate: { kind: 'rate' },
  plansConfirmedResolved: { kind: 'count' },
  share: { kind: 'rate' },
  // meetings report (docs/product.md §8.1)
  meetings: { kind: 'count' },
  enterprisesAttending: { kind: 'count' },
  attendeeCount: { kind: 'count' },
  issues: { kind: 'count' },
  resolvedOnSite: { kind: 'count' },
  answered: { kind: 'count' },
  feedbackRate: { kind: 'rate' },
  // whistles (docs/product.md §12)
  whistlesSummoned: { kind: 'count' },
  whistleCheckInRate: { kind: 'rate' },
  whistleCommitmentsOnTimeRate: { kind: 'rate' },
  whistles: { kind: 'count' },
  whistlesApproved: { kind: 'count' },
  whistlesClosed: { kind: 'count' },
  whistlesClosedOnTime: { kind: 'count' },
  whistleClosedOnTimeRate: { kind: 'rate' },
  whistleRated: { kind: 'count' },
  whistleSatisfactionRate: { kind: 'rate', sample: 'whistleRated' },
};

/** Each figure: {label, formula} from the service's table, {kind, lowerIsBetter?, sample?} from above. */
export const METRICS = Object.fromEntries(
  Object.entries(LABELS.figures).map(([key, { zh, formula }]) => [
    key,
    { label: zh, formula, ...(HOW[key] ?? { kind: 'count' }) },
  ]),
);

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
  'firstContactOnTimeRate',
  'contactRate',
  'stagedReplyOnTimeRate',
  'planFulfilledOnTimeRate',
  'whistleCheckInRate',
  'whistleCommitmentsOnTimeRate',
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
  'planned',
  'plansOpen',
  'plansOverdue',
  'plansConfirmedResolved',
  'whistlesSummoned',
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

/**
 * The title of a column that is not a figure (起始日, 名次, 会议 …), as the CSV header names it; `name`
 * needs its report: 'departments' or 'categories'.
 */
export function columnLabel(key, names) {
  if (key === 'name' && names) return LABELS.names[names];
  return LABELS.columns[key] ?? label(key);
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

/** The appeal's statuses (docs/product.md §2), named by the service (common/names.js). */
export { APPEAL_STATUS } from '../common/names.js';

/** Graded supervision (docs/product.md §7.3). */
export const SUPERVISION_LEVEL = { reminder: '催办', supervision: '督办', notice: '通报' };
export const SUPERVISION_SOURCE = {
  manual: '督办人员开出',
  overdue: '超期自动',
  reopen_limit: '重办超限',
  escalation: '逾期未反馈升级',
};
export const SUPERVISION_STATUS = { open: '待反馈', answered: '已反馈', closed: '已销号' };
