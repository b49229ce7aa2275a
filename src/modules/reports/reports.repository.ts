import { IN_FORCE_SQL, STALE_SQL } from '../knowledge/knowledge-rules';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  appealRow,
  assignmentRow,
  COUNTERS,
  CounterLevel,
  liveSums,
  livePlanSums,
  liveSupervisionSums,
  NIL_DEPARTMENT,
  pendingContactDue,
  pendingStagedDue,
  planRow,
  rawPlanSums,
  rawAppealSums,
  rawAssignmentSums,
  rawSupervisionSums,
  supervisionRow,
} from './report-counters.sql';
import { MeetingCounts, MeetingRow, MeetingTotals } from './meeting-report';
import { addCounters, addDays, Counters, RaggedEdge, zeroCounters } from './report-formulas';
import type { WhistleRow } from './whistle-report';

/** SPEC §12: a department's whistle counters (see ReportsRepository.whistles). */
export interface WhistleCounters {
  summons: number;
  checkIns: number;
  checkInsDue: number;
  commitmentsOnTime: number;
  commitmentsDue: number;
}

export interface ReportFilter {
  /** appeal-level counters: the lead department; assignment-level: the assignment's department */
  departmentId?: string;
  /** the category and its descendants, already expanded */
  categoryCodes?: string[];
  district?: string;
  channel?: string;
  /**
   * 领导领衔 (SPEC §8.2): only leader-led appeals, or only the others. The raw reads filter on it; the
   * stored keys do not carry it (ReportsService derives it, see counters()).
   */
  leaderLed?: boolean;
}

/** What the counters are grouped by: one total, the department, the category or the local day. */
export type GroupBy = 'none' | 'department' | 'category' | TimeGroup;
/** local days, or the trend buckets they fall in (ISO weeks from Monday, months from the 1st) */
export type TimeGroup = 'day' | 'week' | 'month';

const isTime = (g: GroupBy): g is TimeGroup => g === 'day' || g === 'week' || g === 'month';

/** The bucket start (YYYY-MM-DD) of a SQL date expression; a date cast to timestamp, so no session zone is involved. */
function bucketSql(date: string, g: TimeGroup): string {
  const start =
    g === 'day' ? date : `date_trunc('${g === 'week' ? 'week' : 'month'}', (${date})::timestamp)::date`;
  return `to_char(${start}, 'YYYY-MM-DD')`;
}

export type Grouped = Map<string, Counters>;

/** The appeals a raw or live read covers: created in [from, to), filtered, grouped (local days of timeZone). */
export interface Slice {
  from: Date;
  to: Date;
  filter: ReportFilter;
  groupBy: GroupBy;
  timeZone: string;
}

/**
 * The appeal row of the raw recomputation: the latest survey from the surveys table (lateral `ls`), not
 * the appeal's copy, and the assessment appeals counted in their own table.
 */
const RAW_APPEAL = appealRow('r', {
  latest_satisfaction: 'ls.satisfaction',
  latest_resolved: 'ls.resolved',
  latest_survey_valid: 'ls.valid',
  latest_contacted: 'ls.contacted',
  assessment_appeals: '(SELECT count(*) FROM assessment_appeals x WHERE x.appeal_id = r.id)',
  assessment_appeals_approved: `(SELECT count(*) FROM assessment_appeals x WHERE x.appeal_id = r.id AND x.status = 'approved')`,
});
/** The assignment row of the raw recomputation: the return request's state from its own table. */
const RAW_ASSIGNMENT = assignmentRow('s', {
  return_status: '(SELECT rr.status FROM return_requests rr WHERE rr.assignment_id = s.id)',
});

/** The meetings a meetings report covers (SPEC §8.1), and which of their issues it counts. */
export interface MeetingsSlice {
  from: Date;
  to: Date;
  district?: string;
  leaderLed?: boolean;
}

/** A meeting's (or the totals') issue counts from the columns of meetingCountsSql. */
function meetingCounts(r: Record<string, unknown>): MeetingCounts {
  const n = (v: unknown) => Number(v ?? 0);
  return {
    issues: n(r.issues),
    resolvedOnSite: n(r.resolved_on_site),
    invalid: n(r.invalid),
    answered: n(r.answered),
    closed: n(r.closed),
    rated: n(r.rated),
    satisfied: n(r.satisfied),
  };
}

/** Collects `SELECT g, <sums>` rows (pg returns bigint sums as strings) into a map. */
function collect(into: Grouped, rows: Record<string, unknown>[]): Grouped {
  for (const r of rows) {
    const g = typeof r.g === 'string' ? r.g : '';
    const c = into.get(g) ?? zeroCounters();
    const part: Partial<Counters> = {};
    for (const { column, key } of COUNTERS) if (r[column] !== undefined) part[key] = Number(r[column] ?? 0);
    if (r.overdue_open !== undefined) part.overdueOpen = Number(r.overdue_open ?? 0);
    addCounters(c, part);
    into.set(g, c);
  }
  return into;
}

/**
 * The filter on the stored keys (report_deltas, report_rollup_full, report_open_assignments), where a
 * missing department or district is the nil uuid or ''.
 */
function keyWhere(p: Params, f: ReportFilter): string[] {
  const where: string[] = [];
  if (f.departmentId) where.push(`department_id = ${p.add(f.departmentId)}`);
  if (f.categoryCodes) where.push(`category_code = ANY(${p.add(f.categoryCodes)})`);
  if (f.district !== undefined) where.push(`district = ${p.add(f.district)}`);
  if (f.channel) where.push(`channel = ${p.add(f.channel)}`);
  return where;
}

/** The group of a row with the stored keys; `day()` gives its local date (SQL), asked for time groups only. */
function keyGroup(groupBy: GroupBy, day: () => string): string {
  if (isTime(groupBy)) return bucketSql(day(), groupBy);
  return { none: `''`, department: 'department_id::text', category: 'category_code' }[groupBy];
}

class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/** SPEC §10 by source department: entries in force now, and of those the stale ones. */
export interface KnowledgeCounts {
  knowledgeEntriesPublished: number;
  knowledgeEntriesStale: number;
}

/**
 * What one counters statement reads (ReportsRepository.counters): the slice, "now", and the slice's
 * period split into whole local days and ragged edges (report-formulas' raggedRange).
 */
export interface CountersSpec {
  slice: Slice;
  now: Date;
  wholeDays: [string, string] | null;
  edges: RaggedEdge[];
}

/** One part of a counters statement: rows `(g, some counter columns)`, added (sign 1) or subtracted (sign -1). */
interface Part {
  sql: string;
  columns: readonly string[];
  sign?: 1 | -1;
}

/** Every column a counters statement answers: the stored counters and the live overdueOpen. */
const ALL_COLUMNS = [...COUNTERS.map((c) => c.column), 'overdue_open'];
const levelColumns = (level: CounterLevel) => COUNTERS.filter((c) => c.level === level).map((c) => c.column);
const STORED_COLUMNS = COUNTERS.map((c) => c.column);

/** How the narrow rollups answer whole days [from, to): months, plus some days, minus others. */
export interface MonthPlan {
  /** the months [first, end) (first days of months) read from the monthly rollup */
  months: [string, string];
  /** day ranges [from, to) added from the daily rollup */
  plus: [string, string][];
  /** day ranges [from, to) of those months outside the period, subtracted */
  minus: [string, string][];
}

const monthOf = (day: string) => `${day.slice(0, 8)}01`;
const nextMonth = (day: string) => `${addDays(`${day.slice(0, 8)}28`, 7).slice(0, 8)}01`;

/**
 * The days [fromDay, toDay) read from the narrow rollups: every whole month from the monthly one, and
 * each partial month at either end either as its days or as its month minus the days of it outside
 * the period, whichever reads fewer rows (days after `lastDay` hold no rows yet). Null when days alone
 * read fewer.
 */
export function monthPlan(fromDay: string, toDay: string, lastDay: string): MonthPlan | null {
  const days = (a: string, b: string) => {
    const end = b < lastDay ? b : addDays(lastDay, 1);
    return end > a ? Math.round((Date.parse(end) - Date.parse(a)) / 86_400_000) : 0;
  };
  let first = fromDay.endsWith('-01') ? fromDay : nextMonth(fromDay);
  let end = monthOf(toDay);
  const plus: [string, string][] = [];
  const minus: [string, string][] = [];
  if (first > end) {
    // inside one month: its days, or the month minus the days before and after
    const [m, n] = [monthOf(fromDay), nextMonth(fromDay)];
    if (1 + days(m, fromDay) + days(toDay, n) >= days(fromDay, toDay)) return null;
    if (m < fromDay) minus.push([m, fromDay]);
    if (toDay < n) minus.push([toDay, n]);
    return { months: [m, n], plus, minus };
  }
  if (fromDay < first) {
    const m = monthOf(fromDay);
    if (1 + days(m, fromDay) < days(fromDay, first)) {
      minus.push([m, fromDay]);
      first = m;
    } else plus.push([fromDay, first]);
  }
  if (end < toDay) {
    const n = nextMonth(end);
    if (1 + days(toDay, n) < days(end, toDay)) {
      minus.push([toDay, n]);
      end = n;
    } else plus.push([end, toDay]);
  }
  return first < end ? { months: [first, end], plus, minus } : null;
}

/** The local date (YYYY-MM-DD) of an instant in a zone. */
function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/**
 * Whole local days [fromDay, toDay): the rollup rows plus the unfolded deltas, grouped. The narrow
 * rollups answer whole months from report_rollup_month and the days around them from report_rollup_dim.
 */
function rollupPart(
  p: Params,
  fromDay: string,
  toDay: string,
  f: ReportFilter,
  groupBy: GroupBy,
  lastDay = addDays(toDay, -1),
): Part {
  const dayFrom = p.add(fromDay);
  const dayTo = p.add(toDay);
  const cols = STORED_COLUMNS.join(', ');
  const sums = STORED_COLUMNS.map((c) => `sum(${c}) AS ${c}`).join(', ');
  // the full key's WHERE (deltas always; the full rollup when the narrow one cannot answer)
  const fullWhere = [`day >= ${dayFrom}`, `day < ${dayTo}`, ...keyWhere(p, f)];
  const fullG = keyGroup(groupBy, () => 'day');

  const filters: [string, (p: Params) => string][] = [];
  if (f.departmentId) filters.push(['department', (q) => `= ${q.add(f.departmentId)}`]);
  if (f.categoryCodes) filters.push(['category', (q) => `= ANY(${q.add(f.categoryCodes)})`]);
  if (f.district !== undefined) filters.push(['district', (q) => `= ${q.add(f.district)}`]);
  if (f.channel) filters.push(['channel', (q) => `= ${q.add(f.channel)}`]);
  let rollupRows: string;
  const groupDim = groupBy === 'department' || groupBy === 'category' ? groupBy : null;
  if (filters.length === 0 || (filters.length === 1 && !groupDim)) {
    // the narrow rollups: one dimension per row (~86 rows a day, or a month)
    const [dim, cond] = groupDim ? [groupDim, null] : (filters[0] ?? ['all', null]);
    const which = `dim = '${dim}'${cond ? ` AND dim_value ${cond(p)}` : ''}`;
    const g = (day: string) => (groupDim ? 'dim_value' : isTime(groupBy) ? bucketSql(day, groupBy) : `''`);
    // months from the monthly rollup, unless the groups are days or weeks (which cut months)
    const plan = groupBy === 'day' || groupBy === 'week' ? null : monthPlan(fromDay, toDay, lastDay);
    if (!plan)
      rollupRows = `SELECT ${g('day')} AS g, ${cols} FROM report_rollup_dim
      WHERE ${which} AND day >= ${dayFrom} AND day < ${dayTo}`;
    else {
      const ranges = (rs: [string, string][]) =>
        rs.map(([a, b]) => `day >= ${p.add(a)} AND day < ${p.add(b)}`).join(' OR ');
      rollupRows = `SELECT ${g('month')} AS g, ${cols} FROM report_rollup_month
      WHERE ${which} AND month >= ${p.add(plan.months[0])} AND month < ${p.add(plan.months[1])}`;
      if (plan.plus.length)
        rollupRows += `
      UNION ALL
      SELECT ${g('day')} AS g, ${cols} FROM report_rollup_dim WHERE ${which} AND (${ranges(plan.plus)})`;
      if (plan.minus.length)
        rollupRows += `
      UNION ALL
      SELECT ${g('day')} AS g, ${STORED_COLUMNS.map((c) => `-${c}`).join(', ')} FROM report_rollup_dim
      WHERE ${which} AND (${ranges(plan.minus)})`;
    }
  } else {
    rollupRows = `SELECT ${fullG} AS g, ${cols} FROM report_rollup_full WHERE ${fullWhere.join(' AND ')}`;
  }
  return {
    sql: `SELECT g, ${sums} FROM (
        ${rollupRows}
        UNION ALL
        SELECT ${fullG} AS g, ${cols} FROM report_deltas WHERE ${fullWhere.join(' AND ')}
      ) x GROUP BY g`,
    columns: STORED_COLUMNS,
  };
}

/**
 * Which rows a raw part reads: `source` recomputes each appeal's latest survey from the surveys table
 * (lateral `ls`), its assessment appeals and each assignment's return request from their own tables
 * (the raw recomputation, the baseline); `stored` reads the rows' own columns that the report triggers
 * read — the very values the rollups summed, so a ragged edge read that way adds up with them exactly.
 */
type RowSource = 'source' | 'stored';

/** Appeal level: attached to the lead department. */
function rawAppealPart(p: Params, q: Slice, rows: RowSource): Part {
  const { where, g } = appealScope(
    q,
    'r.lead_department_id',
    `coalesce(r.lead_department_id, '${NIL_DEPARTMENT}')`,
    p,
  );
  const latest =
    rows === 'source'
      ? `LEFT JOIN LATERAL (
         SELECT v.satisfaction, v.resolved, v.valid, v.contacted FROM surveys v WHERE v.appeal_id = r.id
         ORDER BY v.created_at DESC, v.id DESC LIMIT 1
       ) ls ON true`
      : '';
  return {
    sql: `SELECT ${g} AS g,
         ${rawAppealSums(rows === 'source' ? RAW_APPEAL : appealRow('r'))}
       FROM appeals r ${latest}
       WHERE ${where}
       GROUP BY 1`,
    columns: levelColumns('appeal'),
  };
}

/** Assignment level: attached to the assignment's own department. */
function rawAssignmentPart(p: Params, q: Slice, rows: RowSource): Part {
  const { where, g } = appealScope(q, 's.department_id', 's.department_id', p);
  return {
    sql: `SELECT ${g} AS g,
         ${rawAssignmentSums(rows === 'source' ? RAW_ASSIGNMENT : assignmentRow('s'))}
       FROM assignments s JOIN appeals r ON r.id = s.appeal_id
       WHERE ${where}
       GROUP BY 1`,
    columns: levelColumns('assignment'),
  };
}

/** Supervision level: attached to the supervised department (SPEC §7.3). */
function rawSupervisionPart(p: Params, q: Slice): Part {
  const dept = `coalesce(v.department_id, '${NIL_DEPARTMENT}')`;
  const { where, g } = appealScope(q, dept, dept, p);
  return {
    sql: `SELECT ${g} AS g,
         ${rawSupervisionSums(supervisionRow('v'))}
       FROM supervisions v JOIN appeals r ON r.id = v.appeal_id
       WHERE ${where}
       GROUP BY 1`,
    columns: levelColumns('supervision'),
  };
}

/** Plan level: attached to the plan's department (SPEC §9.3). */
function rawPlanPart(p: Params, q: Slice): Part {
  const { where, g } = appealScope(q, 'p.department_id', 'p.department_id', p);
  return {
    sql: `SELECT ${g} AS g,
         ${rawPlanSums(planRow('p'))}
       FROM plans p JOIN appeals r ON r.id = p.appeal_id
       WHERE ${where}
       GROUP BY 1`,
    columns: levelColumns('plan'),
  };
}

/** The settled counters from the rows, one part per level (supervisions and plans have no copies). */
const RAW_LEVELS: ((p: Params, q: Slice, rows: RowSource) => Part)[] = [
  rawAppealPart,
  rawAssignmentPart,
  rawSupervisionPart,
  rawPlanPart,
];

/**
 * The "now"-dependent part of plansOverdue and of the fulfilment denominator (SPEC §9.3): open plans
 * past their promise whose timer has not fired yet — a handful at any moment, found through the
 * partial index of pending promises, joined to their appeals.
 */
function livePlanPart(p: Params, q: Slice, now: Date): Part {
  const at = p.add(now);
  const { where, g } = appealScope(q, 'p.department_id', 'p.department_id', p);
  return {
    sql: `SELECT ${g} AS g,
       ${livePlanSums(at)}
     FROM plans p JOIN appeals r ON r.id = p.appeal_id
     WHERE p.status = 'open' AND p.overdue_fired_at IS NULL AND p.promised_by <= ${at} AND ${where}
     GROUP BY 1`,
    columns: ['plans_overdue', 'plans_fulfil_due'],
  };
}

/**
 * The "now"-dependent part of the supervision answer denominator: supervisions unanswered past their
 * due whose escalation has not fired yet — a handful at any moment, found through the partial index
 * of pending escalations, joined to their appeals.
 */
function liveSupervisionPart(p: Params, q: Slice, now: Date): Part {
  const at = p.add(now);
  const dept = `coalesce(v.department_id, '${NIL_DEPARTMENT}')`;
  const { where, g } = appealScope(q, dept, dept, p);
  return {
    sql: `SELECT ${g} AS g,
       ${liveSupervisionSums(at)}
     FROM supervisions v JOIN appeals r ON r.id = v.appeal_id
     WHERE v.level = 'supervision' AND v.status = 'open' AND v.escalated_at IS NULL
       AND v.answer_due_at <= ${at} AND ${where}
     GROUP BY 1`,
    columns: ['supervisions_answer_due'],
  };
}

const LIVE_OPEN_COLUMNS = ['ack_due', 'reply_due', 'overdue_open', 'contact_due', 'staged_due'];

/** The open assignments past a deadline, from report_open_assignments (the appeal's keys copied). */
function liveOpenPart(p: Params, q: Slice, now: Date): Part {
  const at = p.add(now);
  const where = [
    `created_at >= ${p.add(q.from)}`,
    `created_at < ${p.add(q.to)}`,
    `(ack_due_at <= ${at} OR reply_due_at <= ${at} OR contact_due_at <= ${at} OR staged_due_at <= ${at})`,
    ...keyWhere(p, q.filter),
  ];
  // grouped by the stored key itself (the department's uuid, the local date), and only the groups turned
  // into the group's text: the open assignments are many, their groups few
  const [key, g] =
    q.groupBy === 'department'
      ? ['department_id', 'k::text']
      : q.groupBy === 'category'
        ? ['category_code', 'k']
        : isTime(q.groupBy)
          ? [`(created_at AT TIME ZONE ${p.add(q.timeZone)})::date`, bucketSql('k', q.groupBy)]
          : [`''`, 'k'];
  return {
    sql: `SELECT ${g} AS g, ${LIVE_OPEN_COLUMNS.join(', ')} FROM (
       SELECT ${key} AS k,
         ${liveSums(assignmentRow('s'), at)}
       FROM report_open_assignments s
       WHERE ${where.join(' AND ')}
       GROUP BY 1) o`,
    columns: LIVE_OPEN_COLUMNS,
  };
}

/** The open assignments past a deadline from the raw rows (partial indexes of open assignments), joined to their appeals. */
function liveRawOpenPart(p: Params, q: Slice, now: Date): Part {
  const at = p.add(now);
  const { where, g } = appealScope(q, 's.department_id', 's.department_id', p);
  const pick = `SELECT id, appeal_id, department_id, role, status, ack_due_at, reply_due_at,
    ${pendingContactDue('assignments')} AS contact_due_at, ${pendingStagedDue('assignments')} AS staged_due_at
    FROM assignments`;
  // SPEC §9: open lead assignments not in the three branches above that still owe a contact or a staged
  // reply past its deadline (through the partial indexes of pending contacts and staged replies)
  const notAbove = `(status = 'dispatched' AND ack_due_at > ${at} AND reply_due_at > ${at}
    OR status = 'in_progress' AND reply_due_at > ${at})`;
  return {
    sql: `SELECT ${g} AS g,
       ${liveSums(assignmentRow('s'), at)}
     FROM (
       ${pick} WHERE status = 'dispatched' AND ack_due_at <= ${at}
       UNION ALL ${pick} WHERE status = 'dispatched' AND ack_due_at > ${at} AND reply_due_at <= ${at}
       UNION ALL ${pick} WHERE status = 'in_progress' AND reply_due_at <= ${at}
       UNION ALL ${pick} WHERE status IN ('dispatched','in_progress') AND contacted_at IS NULL
         AND contact_due_at <= ${at} AND ${notAbove}
       UNION ALL ${pick} WHERE status IN ('dispatched','in_progress') AND staged_replied_at IS NULL
         AND staged_due_at <= ${at} AND ${notAbove}
         AND NOT (contacted_at IS NULL AND contact_due_at IS NOT NULL AND contact_due_at <= ${at})
     ) s JOIN appeals r ON r.id = s.appeal_id
     WHERE ${where}
     GROUP BY 1`,
    columns: LIVE_OPEN_COLUMNS,
  };
}

/**
 * Every counter of a slice (settled and live) from its rows, with a sign: the leader-led appeals of the
 * leaderLed filter, read through the partial index of leader-led appeals (their stored columns, the
 * values the rollups summed, so "all minus the leader-led" is exact).
 */
function rawParts(p: Params, q: Slice, now: Date, sign: 1 | -1 = 1): Part[] {
  return [
    ...RAW_LEVELS.map((level) => level(p, q, 'stored')),
    liveRawOpenPart(p, q, now),
    liveSupervisionPart(p, q, now),
    livePlanPart(p, q, now),
  ].map((part) => ({ ...part, sign }));
}

/**
 * How a counters statement reads its period (see ReportsRepository.counters): the local days [from, to)
 * from the rollups, and periods read from the rows, added (sign 1) or subtracted (sign -1).
 */
export interface ReadPlan {
  days: [string, string] | null;
  rows: { from: Date; to: Date; sign: 1 | -1 }[];
}

/**
 * The appeal counts a ReadPlan is chosen by, index-only over ix_appeals_created: per edge with a day,
 * the appeals in the rest of its day, and those inside it counted only up to one more than that (which
 * side is smaller is all that matters); per edge without one, whether it holds an appeal at all. So
 * the choice reads at most about twice the smaller side of each edge day.
 */
function edgeCountsSql(p: Params, edges: RaggedEdge[]): string | null {
  if (!edges.length) return null;
  const range = ([a, b]: [Date, Date]) => `created_at >= ${p.add(a)} AND created_at < ${p.add(b)}`;
  const outside = edges.flatMap((e, i) =>
    e.day && e.outside ? [`(SELECT count(*) FROM appeals WHERE ${range(e.outside)}) AS outside${i}`] : [],
  );
  const inside = edges.map(
    (e, i) => `LATERAL (SELECT count(*) AS inside${i} FROM (
      SELECT 1 FROM appeals WHERE ${range(e.inside)} LIMIT ${e.day && e.outside ? `o.outside${i} + 1` : '1'}) x) i${i}`,
  );
  return `SELECT * FROM (SELECT ${[...outside, '1 AS one'].join(', ')}) o, ${inside.join(', ')}`;
}

/**
 * The plan of a spec from its edges' counts: an edge whose rest of the day holds no appeal is its whole
 * day (the day's rollup, joined to the whole days next to it); an edge holding no appeal reads nothing;
 * otherwise the smaller side of its day is read from the rows — the edge itself, or its day's rollup
 * minus the rest of the day (counters are sums over the appeals of their day, so both are the same
 * figure).
 */
export function readPlan(spec: CountersSpec, counts: Record<string, unknown>): ReadPlan {
  let days = spec.wholeDays ? ([...spec.wholeDays] as [string, string]) : null;
  const rows: ReadPlan['rows'] = [];
  spec.edges.forEach((edge, i) => {
    const inside = Number(counts[`inside${i}`]);
    if (!edge.day || !edge.outside || !days) {
      if (inside > 0) rows.push({ from: edge.inside[0], to: edge.inside[1], sign: 1 });
      return;
    }
    const outside = Number(counts[`outside${i}`]);
    if (inside === 0 && outside > 0) return;
    if (inside === 0 || outside < inside) {
      // the whole day from the rollups: the edge day lies just before or just after the whole days
      if (edge.day < days[0]) days = [edge.day, days[1]];
      else days = [days[0], addDays(edge.day, 1)];
      if (outside > 0) rows.push({ from: edge.outside[0], to: edge.outside[1], sign: -1 });
    } else rows.push({ from: edge.inside[0], to: edge.inside[1], sign: 1 });
  });
  return { days, rows };
}

/**
 * The parts of a slice without the leaderLed filter: the plan's days from the rollups, its periods
 * from the rows (their stored columns, the very values the rollups summed), and the live parts.
 */
function rollupParts(p: Params, spec: CountersSpec, plan: ReadPlan): Part[] {
  const { slice: q } = spec;
  const parts: Part[] = [];
  const lastDay = localDate(spec.now, q.timeZone);
  if (plan.days) parts.push(rollupPart(p, plan.days[0], plan.days[1], q.filter, q.groupBy, lastDay));
  for (const r of plan.rows)
    parts.push(
      ...RAW_LEVELS.map((level) => ({
        ...level(p, { ...q, from: r.from, to: r.to }, 'stored'),
        sign: r.sign,
      })),
    );
  parts.push(liveOpenPart(p, q, spec.now), liveSupervisionPart(p, q, spec.now), livePlanPart(p, q, spec.now));
  return parts;
}

/** The counters statement of a spec read by a plan (see ReportsRepository.counters): `SELECT g, <every column>`. */
function countersSql(p: Params, spec: CountersSpec, plan: ReadPlan): string {
  const f = spec.slice.filter;
  let parts: Part[];
  if (f.leaderLed === undefined) parts = rollupParts(p, spec, plan);
  else {
    const led = { ...spec.slice, filter: { ...f, leaderLed: true } };
    if (f.leaderLed) parts = rawParts(p, led, spec.now);
    else {
      const all = { ...spec, slice: { ...spec.slice, filter: { ...f, leaderLed: undefined } } };
      parts = [...rollupParts(p, all, plan), ...rawParts(p, led, spec.now, -1)];
    }
  }
  const branches = parts.map((part) => {
    const has = new Set(part.columns);
    const cols = ALL_COLUMNS.map(
      (c) => `${has.has(c) ? (part.sign === -1 ? `-${c}` : c) : '0'} AS ${c}`,
    ).join(', ');
    return `SELECT g, ${cols} FROM (${part.sql}) x`;
  });
  return `SELECT g, ${ALL_COLUMNS.map((c) => `sum(${c}) AS ${c}`).join(', ')}
    FROM (${branches.join('\nUNION ALL\n')}) parts GROUP BY g`;
}

/**
 * WHERE and group of raw rows joined to their appeal `r`: created in the slice, matching its
 * filter, the department being `department` (a column, for the filter) and `group` (SQL, the key).
 */
function appealScope(q: Slice, department: string, group: string, p: Params) {
  const f = q.filter;
  const where = [`r.created_at >= ${p.add(q.from)}`, `r.created_at < ${p.add(q.to)}`];
  if (f.categoryCodes) where.push(`r.category_code = ANY(${p.add(f.categoryCodes)})`);
  if (f.district !== undefined)
    where.push(f.district === '' ? `r.district IS NULL` : `r.district = ${p.add(f.district)}`);
  if (f.channel) where.push(`r.channel = ${p.add(f.channel)}`);
  if (f.departmentId) where.push(`${department} = ${p.add(f.departmentId)}`);
  if (f.leaderLed !== undefined) where.push(`r.leader_name IS ${f.leaderLed ? 'NOT ' : ''}NULL`);
  return { where: where.join(' AND '), g: appealGroup(q.groupBy, p, q.timeZone, group) };
}

function appealGroup(groupBy: GroupBy, p: Params, timeZone: string, department: string): string {
  switch (groupBy) {
    case 'none':
      return `''`;
    case 'department':
      return `${department}::text`;
    case 'category':
      return 'r.category_code';
    default:
      return bucketSql(`(r.created_at AT TIME ZONE ${p.add(timeZone)})::date`, groupBy);
  }
}

/**
 * SPEC §10: per source department ('' for the centre's own entries), the knowledge entries in force at
 * `now` and, of those, the stale ones (past their review due, neither confirmed nor edited since).
 * Counted from the entries themselves: a few thousand rows, read through ix_knowledge_entries_department.
 */
function knowledgeSql(p: Params, now: Date): string {
  const at = p.add(now);
  return `SELECT coalesce(e.source_department_id::text, '') AS department,
              count(*) FILTER (WHERE ${IN_FORCE_SQL(at)}) AS published,
              count(*) FILTER (WHERE ${STALE_SQL(at)}) AS stale
         FROM knowledge_entries e WHERE e.status = 'published' GROUP BY 1`;
}

/**
 * SPEC §12: the whistle counters of the appeals in the slice, by the summoned or committed department —
 * summons (whistle_departments: the convener and each summoned department of an approved whistle),
 * check-ins and check-ins due (checked in, or the meeting reached on a whistle not cancelled), and
 * commitments on time and due (completed, or past due at `now`). Read straight from the rows in the
 * report's snapshot: whistles are few (Heze, the busiest line, took 87 thousand in three years), so no
 * rollup is kept. The department filter means the summoned / committed department.
 */
function whistlesSql(p: Params, q: Slice, now: Date): string {
  const at = p.add(now);
  const s = appealScope(q, 's.department_id', 's.department_id', p);
  const c = appealScope(q, 'c.department_id', 'c.department_id', p);
  return `SELECT g, sum(summons) AS summons, sum(check_ins) AS check_ins, sum(check_ins_due) AS check_ins_due,
              sum(on_time) AS on_time, sum(due) AS due
         FROM (SELECT ${s.g} AS g, 1 AS summons, (s.checked_in_at IS NOT NULL)::int AS check_ins,
                      (s.checked_in_at IS NOT NULL OR (s.check_in_due_at <= ${at} AND w.status <> 'cancelled'))::int
                        AS check_ins_due, 0 AS on_time, 0 AS due
                 FROM whistle_departments s JOIN whistles w ON w.id = s.whistle_id JOIN appeals r ON r.id = s.appeal_id
                WHERE ${s.where}
               UNION ALL
               SELECT ${c.g}, 0, 0, 0, coalesce(c.completed_on_time, false)::int,
                      (c.completed_at IS NOT NULL OR c.due_at <= ${at})::int
                 FROM whistle_commitments c JOIN appeals r ON r.id = c.appeal_id
                WHERE ${c.where}) x
        GROUP BY g`;
}

/** A row's whistle counters (columns summons, check_ins, check_ins_due, on_time, due, after `prefix`). */
function whistleCounters(r: Record<string, unknown>, prefix = ''): WhistleCounters {
  const n = (k: string) => Number(r[prefix + k] ?? 0);
  return {
    summons: n('summons'),
    checkIns: n('check_ins'),
    checkInsDue: n('check_ins_due'),
    commitmentsOnTime: n('on_time'),
    commitmentsDue: n('due'),
  };
}

/**
 * The SQL behind the reports. Three sources, summed by the service inside one REPEATABLE READ
 * snapshot: the rollups (+ deltas not yet folded) for whole local days, the raw rows for ragged
 * edges (and as the baseline the consistency test and the bench compare with), and the open
 * assignments for what depends on "now".
 */
@Injectable()
export class ReportsRepository {
  /** Whole local days [fromDay, toDay): rollup rows plus the unfolded deltas, one statement. */
  async rollup(
    m: EntityManager,
    fromDay: string,
    toDay: string,
    f: ReportFilter,
    groupBy: GroupBy,
  ): Promise<Grouped> {
    const p = new Params();
    return collect(new Map(), await m.query(rollupPart(p, fromDay, toDay, f, groupBy).sql, p.values));
  }

  /**
   * Every settled figure of SPEC §4 straight from appeals, assignments and surveys (the latest survey
   * read from the surveys table, not the appeal's denormalised copy) for appeals created in [from, to):
   * one statement per level (appeal, assignment, supervision, plan).
   */
  async raw(m: EntityManager, q: Slice): Promise<Grouped> {
    const out: Grouped = new Map();
    for (const level of RAW_LEVELS) {
      const p = new Params();
      collect(out, await m.query(level(p, q, 'source').sql, p.values));
    }
    return out;
  }

  /**
   * What depends on "now" (SPEC §4) — open assignments whose ack deadline has passed (response
   * denominator, and overdue while unacknowledged), open lead assignments past their reply deadline
   * (on-time-reply denominator, and overdue once acknowledged) — read from report_open_assignments,
   * the trigger-kept copy of the open assignments with their appeal's keys: no join to appeals; and
   * the supervisions and plans past their due whose timer has not fired yet (see livePlanPart).
   */
  async live(m: EntityManager, q: Slice, now: Date): Promise<Grouped> {
    return this.runParts(m, [liveOpenPart, liveSupervisionPart, livePlanPart], q, now);
  }

  /**
   * The same "now"-dependent figures from the raw rows: the open assignments (through the partial
   * indexes of open assignments) joined to their appeals. The baseline live() is checked against.
   */
  async liveRaw(m: EntityManager, q: Slice, now: Date): Promise<Grouped> {
    return this.runParts(m, [liveRawOpenPart, liveSupervisionPart, livePlanPart], q, now);
  }

  /** Each part as its own statement, summed. */
  private async runParts(
    m: EntityManager,
    parts: ((p: Params, q: Slice, now: Date) => Part)[],
    q: Slice,
    now: Date,
  ): Promise<Grouped> {
    const out: Grouped = new Map();
    for (const part of parts) {
      const p = new Params();
      collect(out, await m.query(part(p, q, now).sql, p.values));
    }
    return out;
  }

  /**
   * The counters of a period in ONE statement, read in the caller's snapshot after its read plan (see
   * plan): the rollups of its whole days, each ragged edge (see RaggedEdge) read from the raw rows
   * either directly or as its day's rollup minus the rest of the day — whichever side holds fewer
   * appeals, so an edge costs at most half a day of appeals (nothing, for a period that starts before
   * the first appeal or ends at "now") — and the live parts. The statement holds only the branches the
   * plan reads: small to plan. The leaderLed
   * filter (not a key of the rollups) reads the leader-led appeals from the raw rows (through the
   * partial index of leader-led appeals): those alone, or everything minus them.
   */
  async counters(m: EntityManager, spec: CountersSpec): Promise<Grouped> {
    const plan = await this.plan(m, spec);
    const p = new Params();
    return collect(new Map(), await m.query(countersSql(p, spec, plan), p.values));
  }

  /**
   * How a spec's period is read (see readPlan), from the appeals of its edges counted over
   * ix_appeals_created (see edgeCountsSql) in the report's snapshot. The plan only decides what is
   * read; every plan gives the same figures.
   */
  async plan(m: EntityManager, spec: CountersSpec): Promise<ReadPlan> {
    // the leader-led appeals alone are read from the rows only (see countersSql)
    if (spec.slice.filter.leaderLed) return { days: null, rows: [] };
    const p = new Params();
    const sql = edgeCountsSql(p, spec.edges);
    const [counts]: Record<string, unknown>[] = sql ? await m.query(sql, p.values) : [{}];
    return readPlan(spec, counts);
  }

  /**
   * The department ranking's figures in ONE statement: every department (id, code, name) with its
   * counters (countersSql grouped by department), its knowledge entries in force and stale at `now`
   * (SPEC §10), and its whistle counters (SPEC §12) — in the caller's snapshot, after the read plan (see plan).
   */
  async ranking(
    m: EntityManager,
    spec: CountersSpec,
  ): Promise<
    {
      id: string;
      code: string;
      name: string;
      counters: Counters;
      knowledge: KnowledgeCounts;
      whistles: WhistleCounters;
    }[]
  > {
    const plan = await this.plan(m, spec);
    const p = new Params();
    const counters = countersSql(p, { ...spec, slice: { ...spec.slice, groupBy: 'department' } }, plan);
    const knowledge = knowledgeSql(p, spec.now);
    const whistles = whistlesSql(p, { ...spec.slice, groupBy: 'department' }, spec.now);
    const rows: Record<string, unknown>[] = await m.query(
      `WITH c AS (${counters}), k AS (${knowledge}), w AS (${whistles})
       SELECT d.id AS department_id, d.code AS department_code, d.name AS department_name, c.*,
              k.published AS k_published, k.stale AS k_stale,
              w.summons AS w_summons, w.check_ins AS w_check_ins, w.check_ins_due AS w_check_ins_due,
              w.on_time AS w_on_time, w.due AS w_due
         FROM departments d
         LEFT JOIN c ON c.g = d.id::text
         LEFT JOIN k ON k.department = d.id::text
         LEFT JOIN w ON w.g = d.id::text
        ORDER BY d.code`,
      p.values,
    );
    return rows.map((r) => ({
      id: r.department_id as string,
      code: r.department_code as string,
      name: r.department_name as string,
      counters: collect(new Map(), [{ ...r, g: '' }]).get('') ?? zeroCounters(),
      knowledge: {
        knowledgeEntriesPublished: Number(r.k_published ?? 0),
        knowledgeEntriesStale: Number(r.k_stale ?? 0),
      },
      whistles: whistleCounters(r, 'w_'),
    }));
  }

  /**
   * SPEC §10: per source department ('' for the centre's own entries), the knowledge entries in force at
   * `now` and, of those, the stale ones (see knowledgeSql).
   */
  async knowledgeCounts(m: EntityManager, now: Date): Promise<Map<string, KnowledgeCounts>> {
    const p = new Params();
    const rows: { department: string; published: string; stale: string }[] = await m.query(
      knowledgeSql(p, now),
      p.values,
    );
    return new Map(
      rows.map((r) => [
        r.department,
        { knowledgeEntriesPublished: Number(r.published), knowledgeEntriesStale: Number(r.stale) },
      ]),
    );
  }

  /** SPEC §12: the whistle counters of the appeals in the slice, by its group (see whistlesSql). */
  async whistles(m: EntityManager, q: Slice, now: Date): Promise<Map<string, WhistleCounters>> {
    const p = new Params();
    const rows: Record<string, unknown>[] = await m.query(whistlesSql(p, q, now), p.values);
    return new Map(rows.map((r) => [r.g as string, whistleCounters(r)]));
  }

  /**
   * SPEC §12: the whistles requested in [from, to) (optionally of appeals in one district), each with its
   * convener, whether it closed on time (its meeting held by its due and every commitment completed by
   * its own) and its appeal's latest survey (valid / satisfied, the appeal's own copy).
   */
  async whistleRows(m: EntityManager, q: { from: Date; to: Date; district?: string }): Promise<WhistleRow[]> {
    const p = new Params();
    const where = [`w.created_at >= ${p.add(q.from)}`, `w.created_at < ${p.add(q.to)}`];
    if (q.district !== undefined) where.push(`a.district = ${p.add(q.district)}`);
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT w.status, w.lead_department_id,
              (w.status = 'closed' AND coalesce(w.held_on_time, false)
                AND NOT EXISTS (SELECT 1 FROM whistle_commitments c
                                 WHERE c.whistle_id = w.id AND NOT coalesce(c.completed_on_time, false))) AS closed_on_time,
              (a.latest_satisfaction IS NOT NULL AND coalesce(a.latest_survey_valid, true)) AS rated,
              coalesce(a.latest_satisfaction IN ('satisfied','basically_satisfied') AND coalesce(a.latest_survey_valid, true), false) AS satisfied
         FROM whistles w JOIN appeals a ON a.id = w.appeal_id
        WHERE ${where.join(' AND ')}`,
      p.values,
    );
    return rows.map((r) => ({
      status: r.status as string,
      leadDepartmentId: r.lead_department_id as string | null,
      closedOnTime: r.closed_on_time as boolean,
      rated: r.rated as boolean,
      satisfied: r.satisfied as boolean,
    }));
  }

  /**
   * The issue counts of SPEC §8.1 as SQL over `appeals a` (and, for `raw`, the latest survey `ls`).
   * `indexed`: the appeals' own columns, read through the covering partial index on meeting_id (what the
   * route serves); `raw`: the latest survey from the surveys table and on-the-spot answers as replies never
   * dispatched (the baseline the consistency test and the bench compare with).
   */
  private meetingCountsSql(source: 'indexed' | 'raw') {
    const satisfaction = source === 'indexed' ? 'a.latest_satisfaction' : 'ls.satisfaction';
    // SPEC §7.2: only a valid latest survey counts as rated
    const valid = source === 'indexed' ? 'a.latest_survey_valid' : 'ls.valid';
    const onSpot =
      source === 'indexed'
        ? 'a.resolved_on_spot'
        : // answered on the spot: replied without ever being dispatched (the only way to replied from submitted)
          `(a.replied_at IS NOT NULL AND a.dispatched_at IS NULL)`;
    const latest =
      source === 'indexed'
        ? ''
        : `LEFT JOIN LATERAL (SELECT v.satisfaction, v.valid FROM surveys v WHERE v.appeal_id = a.id
             ORDER BY v.created_at DESC, v.id DESC LIMIT 1) ls ON true`;
    return {
      from: `appeals a ${latest}`,
      sums: `count(*) AS issues,
             count(*) FILTER (WHERE ${onSpot}) AS resolved_on_site,
             count(*) FILTER (WHERE a.status IN ('rejected','withdrawn','merged')) AS invalid,
             count(*) FILTER (WHERE a.status IN ('replied','closed')) AS answered,
             count(*) FILTER (WHERE a.status = 'closed') AS closed,
             count(*) FILTER (WHERE ${satisfaction} IS NOT NULL AND ${valid}) AS rated,
             count(*) FILTER (WHERE ${satisfaction} IN ('satisfied','basically_satisfied') AND ${valid}) AS satisfied`,
    };
  }

  /** The meetings of the report: held in [from, to), optionally in one district. */
  private meetingsWhere(p: Params, q: MeetingsSlice): string[] {
    const where = [`m.held_at >= ${p.add(q.from)}`, `m.held_at < ${p.add(q.to)}`];
    if (q.district !== undefined) where.push(`m.district = ${p.add(q.district)}`);
    return where;
  }

  /** The issues counted: all of a meeting's appeals, or only the leader-led ones or only the others. */
  private issueFilter(q: MeetingsSlice): string {
    return q.leaderLed === undefined ? '' : ` AND a.leader_name IS ${q.leaderLed ? 'NOT ' : ''}NULL`;
  }

  /**
   * The meetings held in [from, to) (by heldAt; optionally in one district) in (heldAt, id) order, each
   * with its issues' counts; `page` takes the `limit` meetings after a position (the keyset of
   * ix_meetings_held), else every meeting. `leaderLed` restricts the issues counted.
   */
  async meetingRows(
    m: EntityManager,
    q: MeetingsSlice,
    source: 'indexed' | 'raw',
    page?: { limit: number; after: { heldAt: string; id: string } | null },
  ): Promise<MeetingRow[]> {
    const p = new Params();
    const where = this.meetingsWhere(p, q);
    if (page?.after)
      where.push(
        `(m.held_at, m.id) > (${p.add(page.after.heldAt)}::timestamptz, ${p.add(page.after.id)}::uuid)`,
      );
    const limit = page ? `LIMIT ${p.add(page.limit)}` : '';
    const c = this.meetingCountsSql(source);
    const rows: Record<string, unknown>[] = await m.query(
      `WITH mt AS MATERIALIZED (
         SELECT m.id, m.title, m.held_at, m.district, m.leader_name, m.attendee_count,
                to_char(m.held_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS held_at_key
           FROM meetings m
          WHERE ${where.join(' AND ')}
          ORDER BY m.held_at, m.id ${limit}
       )
       SELECT mt.*, d.name AS district_name, c.*
         FROM mt LEFT JOIN districts d ON d.code = mt.district
         CROSS JOIN LATERAL (
           SELECT ${c.sums} FROM ${c.from} WHERE a.meeting_id = mt.id${this.issueFilter(q)}
         ) c
        ORDER BY mt.held_at, mt.id`,
      p.values,
    );
    return rows.map((r) => ({
      meetingId: r.id as string,
      title: r.title as string,
      heldAt: r.held_at as Date,
      heldAtKey: r.held_at_key as string,
      district: r.district as string | null,
      districtName: r.district_name as string | null,
      leaderName: r.leader_name as string | null,
      attendeeCount: Number(r.attendee_count ?? 0),
      counts: meetingCounts(r),
    }));
  }

  /**
   * The totals of every meeting held in [from, to) (optionally in one district), in one statement,
   * whatever page the rows are: the meetings and their attendance; the distinct enterprises that attended,
   * for `indexed` a count of the attendances in the period that have no earlier one of the same
   * enterprise (in the district, when one is asked for) since `from` — one index range of
   * meeting_enterprises, no grouping — and for `raw` the enterprises of those meetings made distinct; and
   * their issues' counts summed over the issues themselves (the covering index on meeting_id hash- or
   * merge-joined to the meetings, not probed meeting by meeting).
   */
  async meetingTotals(m: EntityManager, q: MeetingsSlice, source: 'indexed' | 'raw'): Promise<MeetingTotals> {
    const p = new Params();
    const where = this.meetingsWhere(p, q).join(' AND ');
    const c = this.meetingCountsSql(source);
    const enterprises = this.attendingSql(p, q, where, source);
    const [r]: Record<string, unknown>[] = await m.query(
      `SELECT t.meetings, t.attendee_count, e.enterprises_attending, c.*
         FROM (SELECT count(*) AS meetings, coalesce(sum(m.attendee_count), 0) AS attendee_count
                 FROM meetings m WHERE ${where}) t,
              (${enterprises}) e,
              (SELECT ${c.sums} FROM ${c.from} JOIN meetings m ON m.id = a.meeting_id
                WHERE a.meeting_id IS NOT NULL AND ${where}${this.issueFilter(q)}) c`,
      p.values,
    );
    return {
      meetings: Number(r.meetings),
      attendeeCount: Number(r.attendee_count),
      enterprisesAttending: Number(r.enterprises_attending),
      counts: meetingCounts(r),
    };
  }

  /**
   * The distinct enterprises that attended the period's meetings. `indexed`: the attendances held in
   * [from, to) whose enterprise's previous attendance (in the district, when one is asked for) came
   * before `from` or never — one per enterprise, counted over an index range of meeting_enterprises;
   * `raw`: the enterprises of the period's meetings, made distinct.
   */
  private attendingSql(p: Params, q: MeetingsSlice, where: string, source: 'indexed' | 'raw'): string {
    if (source === 'raw')
      return `SELECT count(*) AS enterprises_attending
                FROM (SELECT DISTINCT me.enterprise_id
                        FROM meeting_enterprises me JOIN meetings m ON m.id = me.meeting_id WHERE ${where}) x`;
    const inDistrict = q.district !== undefined;
    const prev = inDistrict ? 'me.prev_held_at_in_district' : 'me.prev_held_at';
    const conditions = inDistrict ? [`me.district = ${p.add(q.district)}`] : [];
    const from = p.add(q.from);
    conditions.push(
      `me.held_at >= ${from}`,
      `me.held_at < ${p.add(q.to)}`,
      `(${prev} IS NULL OR ${prev} < ${from})`,
    );
    return `SELECT count(*) AS enterprises_attending FROM meeting_enterprises me WHERE ${conditions.join(' AND ')}`;
  }

  /** The category and every descendant (categories have parentCode). */
  async categoryWithChildren(m: EntityManager, code: string): Promise<string[]> {
    const rows: { code: string }[] = await m.query(
      `WITH RECURSIVE tree AS (
         SELECT code FROM categories WHERE code = $1
         UNION SELECT c.code FROM categories c JOIN tree t ON c.parent_code = t.code
       ) SELECT code FROM tree`,
      [code],
    );
    return rows.map((r) => r.code);
  }

  /** Moves every delta into the rollups (one statement); returns how many deltas moved. */
  async fold(m: EntityManager): Promise<number> {
    const [{ n }] = await m.query(`SELECT report_fold() AS n`);
    return Number(n);
  }

  /** Recomputes the rollups from scratch (operations; bulk loads with triggers off). */
  async rebuild(m: EntityManager): Promise<number> {
    const [{ n }] = await m.query(`SELECT report_rebuild() AS n`);
    return Number(n);
  }
}
