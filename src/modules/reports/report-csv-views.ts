import { NAME_LABELS } from './metric-labels';
import { bilingual, Cell, toCsv } from './report-csv';
import { TARGET_METRIC_NAMES, TargetCheck } from './report-formulas';
import { WHISTLE_FIGURES } from './whistle-report';

/** The metric columns of every report, in SPEC §4 order. */
export const METRIC_COLUMNS = [
  'received',
  'valid',
  'rejected',
  'withdrawn',
  'merged',
  'closed',
  'rated',
  'closureRate',
  'responseRate',
  'onTimeReplyRate',
  'satisfactionRate',
  'resolutionRate',
  'oneTimeResolutionRate',
  'overdueOpen',
  'avgReplyWorkingHours',
  'score',
  'returnRate',
  'returnsDenied',
  'ratedAll',
  'satisfactionRateAll',
  'assessmentAppeals',
  'assessmentAppealsApproved',
  'supervisions',
  'supervisionAnsweredOnTimeRate',
  'notices',
  'firstContactOnTimeRate',
  'contactRate',
  'stagedReplyOnTimeRate',
  'planned',
  'plansOpen',
  'plansOverdue',
  'planFulfilledOnTimeRate',
  'plansConfirmedResolved',
  'resolvedOnSpot',
  'directResolutionRate',
  'knowledgeCitedShare',
  'whistlesSummoned',
  'whistleCheckInRate',
  'whistleCommitmentsOnTimeRate',
] as const;

/** SPEC §10: the knowledge base's figures, by source department (summary and department ranking). */
export const KNOWLEDGE_COLUMNS = ['knowledgeEntriesPublished', 'knowledgeEntriesStale'] as const;

type Row = Record<string, unknown> & { met?: Record<string, boolean | null> };

function cell(v: unknown): Cell {
  return v === null || v === undefined || typeof v === 'object' ? null : (v as Cell);
}

/** Summary: one row of metrics, then for each metric with a target its target and whether it is met. */
export function summaryCsv(body: Row & { targets: TargetCheck[] }): string {
  const header = [
    ...METRIC_COLUMNS,
    ...KNOWLEDGE_COLUMNS,
    ...body.targets.flatMap((t) => [`target.${t.metric}`, `met.${t.metric}`]),
  ];
  const row: Cell[] = [
    ...METRIC_COLUMNS.map((k) => cell(body[k])),
    ...KNOWLEDGE_COLUMNS.map((k) => cell(body[k])),
    ...body.targets.flatMap((t) => [t.target, t.met]),
  ];
  return toCsv(
    ['from', 'to', ...header].map((k) => bilingual(k)),
    [[cell(body.from), cell(body.to), ...row]],
  );
}

/**
 * A list report: leading columns, the metrics, then one "met" column per metric that has a target.
 * `names` says what a `name` column names (a department, a category).
 */
export function reportCsv(
  lead: string[],
  body: { items: Row[]; targets: Record<string, number> },
  names?: keyof typeof NAME_LABELS,
): string {
  const targeted = TARGET_METRIC_NAMES.filter((k) => typeof body.targets[k] === 'number');
  const header = [...lead, ...METRIC_COLUMNS, ...targeted.map((k) => `met.${k}`)];
  const rows = body.items.map((it) => [
    ...lead.map((k) => cell(it[k])),
    ...METRIC_COLUMNS.map((k) => cell(it[k])),
    ...targeted.map((k) => cell(it.met?.[k])),
  ]);
  return toCsv(
    header.map((k) => bilingual(k, names)),
    rows,
  );
}

/** The figures of a meeting row and of the totals (SPEC §8.1), in its order. */
const MEETING_FIGURES = [
  'issues',
  'resolvedOnSite',
  'answered',
  'feedbackRate',
  'closed',
  'closureRate',
  'rated',
  'satisfactionRate',
] as const;

/** Meetings: one row per meeting, then a totals row (合计) carrying the meeting, enterprise and attendee counts. */
export function meetingsCsv(body: { totals: Row; items: Row[] }): string {
  const lead = ['meetingId', 'title', 'heldAt', 'districtName', 'district', 'leaderName'];
  const header = [...lead, ...MEETING_FIGURES, 'meetings', 'enterprisesAttending', 'attendeeCount'];
  const rows = body.items.map((it) => [
    ...lead.map((k) => (it[k] instanceof Date ? it[k].toISOString() : cell(it[k]))),
    ...MEETING_FIGURES.map((k) => cell(it[k])),
    null,
    null,
    null,
  ]);
  const t = body.totals;
  rows.push([
    null,
    '合计 total',
    null,
    null,
    null,
    null,
    ...MEETING_FIGURES.map((k) => cell(t[k])),
    cell(t.meetings),
    cell(t.enterprisesAttending),
    cell(t.attendeeCount),
  ]);
  return toCsv(
    header.map((k) => bilingual(k)),
    rows,
  );
}

/** Whistles (SPEC §12): one row per convening department, then a totals row (合计). */
export function whistlesCsv(body: { totals: Row; items: Row[] }): string {
  const lead = ['departmentId', 'code', 'name'];
  const header = [...lead, ...WHISTLE_FIGURES];
  const rows = body.items.map((it) => [
    ...lead.map((k) => cell(it[k])),
    ...WHISTLE_FIGURES.map((k) => cell(it[k])),
  ]);
  rows.push([null, null, '合计 total', ...WHISTLE_FIGURES.map((k) => cell(body.totals[k]))]);
  return toCsv(
    header.map((k) => bilingual(k, 'departments')),
    rows,
  );
}
