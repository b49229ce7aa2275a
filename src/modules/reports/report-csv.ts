/** CSV for the reports (RFC 4180), UTF-8 with a BOM so Excel opens the Chinese headers correctly. */

export const BOM = '\uFEFF';

export type Cell = string | number | boolean | null | undefined;

/**
 * Quotes a cell when it holds a comma, a quote, CR or LF; quotes inside are doubled. null → empty.
 * A text cell that a spreadsheet would read as a formula (it begins with =, +, -, @, a tab or a CR) is
 * prefixed with ' (SPEC §5), so a department named `=HYPERLINK(…)` stays text. Numbers stay numbers.
 */
export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = /^[=+\-@\t\r]/.test(String(v)) ? `'${String(v)}` : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** BOM + header line + rows, CRLF line ends. */
export function toCsv(header: string[], rows: Cell[][]): string {
  return BOM + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Bilingual column headers: `办结率 closureRate`. */
export const HEADER_ZH: Record<string, string> = {
  from: '开始',
  to: '结束',
  periodStart: '周期开始',
  departmentId: '部门ID',
  code: '编码',
  name: '名称',
  rank: '排名',
  insufficientSample: '样本不足',
  categoryCode: '类别编码',
  share: '占比',
  received: '受理量',
  valid: '有效件',
  rejected: '不予受理',
  withdrawn: '撤回',
  merged: '合并',
  closed: '办结量',
  rated: '参评量',
  closureRate: '办结率',
  responseRate: '响应率',
  onTimeReplyRate: '按时办结率',
  satisfactionRate: '满意率',
  resolutionRate: '解决率',
  oneTimeResolutionRate: '一次性化解率',
  overdueOpen: '超期未办',
  avgReplyWorkingHours: '平均答复工时',
  score: '综合得分',
  returnRate: '退单率',
  returnsDenied: '不当退单',
  ratedAll: '参评量(含无效回访)',
  satisfactionRateAll: '满意率(含无效回访)',
  assessmentAppeals: '考核申诉',
  assessmentAppealsApproved: '申诉成立',
  supervisions: '督办量',
  supervisionAnsweredOnTimeRate: '督办按时答复率',
  notices: '通报量',
  meetingId: '恳谈会ID',
  title: '主题',
  heldAt: '召开时间',
  district: '区县代码',
  districtName: '区县',
  leaderName: '领导',
  meetings: '场次',
  enterprisesAttending: '参会企业',
  attendeeCount: '参会人数',
  issues: '问题数',
  resolvedOnSite: '现场解决',
  answered: '已反馈',
  feedbackRate: '反馈率',
};

export function bilingual(key: string): string {
  const metMatch = /^met\.(.+)$/.exec(key);
  if (metMatch) return `达标·${HEADER_ZH[metMatch[1]] ?? metMatch[1]} ${metMatch[1]}Met`;
  const targetMatch = /^target\.(.+)$/.exec(key);
  if (targetMatch) return `目标·${HEADER_ZH[targetMatch[1]] ?? targetMatch[1]} ${targetMatch[1]}Target`;
  return HEADER_ZH[key] ? `${HEADER_ZH[key]} ${key}` : key;
}
