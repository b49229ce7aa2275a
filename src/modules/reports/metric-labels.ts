/**
 * The one place the reports' figures and columns are named: the Chinese label and, for a figure, the
 * formula behind it. The report CSVs take their headers from here (`办结率 closureRate`), and the
 * supervisors' dashboard takes its labels and tooltips from the same table, served to the browser as
 * `/dashboard/js/metric-labels.js` (src/infra/http/dashboard.ts), so a CSV names its columns as the
 * screen does. Pure data, no Nest.
 */

export interface FigureLabel {
  /** the Chinese label, as the screen and the CSV header show it */
  zh: string;
  /** how the figure is computed (docs/product.md §4, §7, §8.1), shown in the dashboard's tooltip */
  formula: string;
}

/** Every figure of the reports: summary, ranking, trend and categories (§4, §7) and meetings (§8.1). */
export const FIGURE_LABELS = {
  received: { zh: '受理量', formula: '时段内创建的诉求' },
  valid: { zh: '有效诉求', formula: 'received − rejected − withdrawn − merged' },
  rejected: { zh: '不予受理', formula: '不予受理的诉求' },
  withdrawn: { zh: '已撤回', formula: '企业撤回的诉求' },
  merged: { zh: '已合并', formula: '合并到其他诉求的重复件' },
  closed: { zh: '办结量', formula: '已办结的诉求' },
  rated: { zh: '有效回访', formula: '最新回访有效的诉求' },
  ratedAll: { zh: '全部回访（含无效）', formula: '有回访的诉求（含无效回访）' },
  closureRate: { zh: '办结率', formula: 'closed / valid' },
  responseRate: {
    zh: '响应率（按时签收率）',
    formula: '按时签收的派单 / 签收期限已到或已签收的派单',
  },
  onTimeReplyRate: {
    zh: '按时办结率',
    formula: '按（延期后）期限答复的主办派单 / 已答复或已超期的主办派单',
  },
  satisfactionRate: { zh: '满意率', formula: '(满意 + 基本满意) / rated，按每件最新的有效回访' },
  satisfactionRateAll: {
    zh: '满意率（含无效回访）',
    formula: '(满意 + 基本满意) / ratedAll，按每件最新回访',
  },
  resolutionRate: { zh: '解决率', formula: '回访称已解决 / rated' },
  oneTimeResolutionRate: { zh: '一次性化解率', formula: '未重办的办结件 / closed' },
  overdueOpen: { zh: '超期未办', formula: '当前已过期限仍未办完的派单' },
  avgReplyWorkingHours: {
    zh: '平均答复用时（工作小时）',
    formula: '派单到主办答复的平均工作小时（按工作日历：只计工作日的工作时段）',
  },
  score: { zh: '综合得分', formula: '100 × (w₁·responseRate + w₂·resolutionRate + w₃·satisfactionRate)' },
  returnRate: { zh: '退单率', formula: '经审核退回的主办派单 / 派出的主办派单' },
  returnsDenied: { zh: '不当退单', formula: '被驳回的退单申请' },
  assessmentAppeals: { zh: '考核申诉', formula: '主办单位提出的考核申诉' },
  assessmentAppealsApproved: { zh: '申诉成立', formula: '获批准的考核申诉' },
  supervisions: { zh: '督办量', formula: '开出的督办（supervision 级）' },
  supervisionAnsweredOnTimeRate: { zh: '督办按时反馈率', formula: '期限内反馈的督办 / 已反馈或已过期的督办' },
  notices: { zh: '通报量', formula: '开出的通报' },
  // contact and follow-through (§9)
  firstContactOnTimeRate: {
    zh: '首次联系及时率',
    formula: '联系时限内联系到企业的主办派单 / 已联系或联系时限已过的主办派单',
  },
  contactRate: {
    zh: '联系率（回访确认已联系）',
    formula: '回访称已被联系的诉求 / 回访回答了是否被联系的诉求，按每件最新的有效回访',
  },
  stagedReplyOnTimeRate: {
    zh: '阶段性答复及时率',
    formula: '阶段性答复时限内作出阶段性答复或答复的主办派单 / 已如此答复或时限已过的主办派单',
  },
  planned: { zh: '计划解决', formula: '以计划解决答复的件数（按计划的承办部门）' },
  plansOpen: { zh: '计划未完成', formula: '当前仍在履行中的计划' },
  plansOverdue: { zh: '计划逾期', formula: '当前已过承诺日期仍未完成的计划' },
  planFulfilledOnTimeRate: {
    zh: '计划按期兑现率',
    formula: '承诺日期前完成的计划 / 已完成或已过承诺日期的计划',
  },
  plansConfirmedResolved: { zh: '计划确认解决', formula: '企业确认已解决的计划' },
  resolvedOnSpot: { zh: '直办量', formula: '即时办结（含恳谈会现场解决）的有效诉求' },
  directResolutionRate: { zh: '直办率', formula: 'resolvedOnSpot / valid' },
  knowledgeCitedShare: { zh: '知识库引用占比', formula: '引用知识库条目的直办件 / resolvedOnSpot' },
  knowledgeEntriesPublished: { zh: '已发布知识条目', formula: '该部门提供的、现行有效的已发布知识条目' },
  knowledgeEntriesStale: { zh: '待复核知识条目', formula: '已过复核期限、尚未确认或修改的已发布条目' },
  share: { zh: '占比', formula: '该类诉求 / 时段内全部诉求' },
  // whistles (§12)
  whistlesSummoned: { zh: '吹哨召集', formula: '部门被吹哨召集参加联合会议的次数（含牵头）' },
  whistleCheckInRate: {
    zh: '吹哨报到率',
    formula: '会前报到的召集 / 已到会议时间或已报到的召集（取消的除外）',
  },
  whistleCommitmentsOnTimeRate: {
    zh: '吹哨承诺按期兑现率',
    formula: '按期完成的承诺事项 / 已完成或已到期的承诺事项',
  },
  whistles: { zh: '吹哨量', formula: '时段内企业吹哨（含中心代为吹哨）' },
  whistlesApproved: { zh: '吹哨受理', formula: '审核同意并召集部门的吹哨' },
  whistlesClosed: { zh: '吹哨销号', formula: '全部承诺兑现后销号的吹哨' },
  whistlesClosedOnTime: { zh: '按期销号', formula: '会议按期召开且承诺事项均按期完成的销号吹哨' },
  whistleClosedOnTimeRate: { zh: '吹哨按期办结率', formula: 'whistlesClosedOnTime / whistlesClosed' },
  whistleRated: { zh: '吹哨诉求回访', formula: '吹哨所涉诉求中最新回访有效的' },
  whistleSatisfactionRate: { zh: '吹哨满意率', formula: '(满意 + 基本满意) / whistleRated' },
  // the meetings report (§8.1)
  meetings: { zh: '恳谈会场次', formula: '时段内召开的恳谈会' },
  enterprisesAttending: { zh: '参会企业', formula: '参会企业（去重）' },
  attendeeCount: { zh: '参会人数', formula: '各场参会人数之和' },
  issues: { zh: '收集问题', formula: '会上登记的问题（诉求）' },
  resolvedOnSite: { zh: '现场解决', formula: '现场答复解决的问题' },
  answered: { zh: '已反馈', formula: '已答复或已办结的问题' },
  feedbackRate: { zh: '反馈率', formula: 'answered / 有效问题' },
} as const satisfies Record<string, FigureLabel>;

export type FigureKey = keyof typeof FIGURE_LABELS;

/** The columns of the reports that are not figures: periods, ids, names. */
export const COLUMN_LABELS = {
  from: '开始',
  to: '结束',
  periodStart: '起始日',
  departmentId: '部门ID',
  code: '编码',
  rank: '名次',
  insufficientSample: '样本不足',
  categoryCode: '代码',
  parentCode: '上级类别',
  meetingId: '恳谈会ID',
  title: '会议',
  heldAt: '召开时间',
  district: '区县代码',
  districtName: '区县',
  leaderName: '领衔领导',
} as const satisfies Record<string, string>;

/** `name` is the department's in the ranking and the category's in the category report. */
export const NAME_LABELS = {
  departments: '部门',
  categories: '类别',
} as const satisfies Record<string, string>;

/** Prefixes of the summary's per-target columns: `目标·办结率`, `达标·办结率`. */
export const TARGET_PREFIX = { target: '目标', met: '达标' } as const;

/** The whole table, as the dashboard receives it. */
export const LABELS = {
  figures: FIGURE_LABELS,
  columns: COLUMN_LABELS,
  names: NAME_LABELS,
  targetPrefix: TARGET_PREFIX,
};

/** The Chinese label of a figure or a column; `name` needs the report it belongs to. */
export function zhLabel(key: string, names?: keyof typeof NAME_LABELS): string | undefined {
  if (key === 'name' && names) return NAME_LABELS[names];
  if (key in FIGURE_LABELS) return FIGURE_LABELS[key as FigureKey].zh;
  if (key in COLUMN_LABELS) return COLUMN_LABELS[key as keyof typeof COLUMN_LABELS];
  return undefined;
}

/** The table as an ES module for the browser (`export default {...}`), served without a build step. */
export function labelsModule(): string {
  return (
    '// Generated by the service from src/modules/reports/metric-labels.ts: the labels of the reports.\n' +
    `export default ${JSON.stringify(LABELS, null, 2)};\n`
  );
}
