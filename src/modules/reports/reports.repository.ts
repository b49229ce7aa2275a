import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { addCounters, Counters, zeroCounters } from './report-formulas';

/** Null department / district in the rollup keys (see the Reports migration). */
export const NIL_DEPARTMENT = '00000000-0000-0000-0000-000000000000';

export interface ReportFilter {
  /** appeal-level counters: the lead department; assignment-level: the assignment's department */
  departmentId?: string;
  /** the category and its descendants, already expanded */
  categoryCodes?: string[];
  district?: string;
  channel?: string;
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

/** SQL column → Counters key, in the order of the migration's COUNTERS */
const STORED: [string, keyof Counters][] = [
  ['received', 'received'],
  ['rejected', 'rejected'],
  ['withdrawn', 'withdrawn'],
  ['merged', 'merged'],
  ['closed', 'closed'],
  ['closed_first', 'closedFirst'],
  ['rated', 'rated'],
  ['satisfied', 'satisfied'],
  ['resolved', 'resolved'],
  ['ack_on_time', 'ackOnTime'],
  ['ack_due', 'ackDue'],
  ['reply_on_time', 'replyOnTime'],
  ['reply_due', 'replyDue'],
  ['replied_lead', 'repliedLead'],
  ['reply_working_seconds', 'replyWorkingSeconds'],
];
const ENDED = `('completed','returned','cancelled')`;

/** Collects `SELECT g, <sums>` rows (pg returns bigint sums as strings) into a map. */
function collect(into: Grouped, rows: Record<string, unknown>[]): Grouped {
  for (const r of rows) {
    const g = typeof r.g === 'string' ? r.g : '';
    const c = into.get(g) ?? zeroCounters();
    const part: Partial<Counters> = {};
    for (const [col, key] of STORED) if (r[col] !== undefined) part[key] = Number(r[col] ?? 0);
    if (r.overdue_open !== undefined) part.overdueOpen = Number(r.overdue_open ?? 0);
    addCounters(c, part);
    into.set(g, c);
  }
  return into;
}

class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
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
    const dayFrom = p.add(fromDay);
    const dayTo = p.add(toDay);
    const cols = STORED.map(([c]) => c).join(', ');
    const sums = STORED.map(([c]) => `sum(${c}) AS ${c}`).join(', ');
    // the full key's WHERE (deltas always; the full rollup when the narrow one cannot answer)
    const fullWhere = [`day >= ${dayFrom}`, `day < ${dayTo}`];
    if (f.departmentId) fullWhere.push(`department_id = ${p.add(f.departmentId)}`);
    if (f.categoryCodes) fullWhere.push(`category_code = ANY(${p.add(f.categoryCodes)})`);
    if (f.district !== undefined) fullWhere.push(`district = ${p.add(f.district)}`);
    if (f.channel) fullWhere.push(`channel = ${p.add(f.channel)}`);
    const fullG = isTime(groupBy)
      ? bucketSql('day', groupBy)
      : { none: `''`, department: 'department_id::text', category: 'category_code' }[groupBy];

    const filters: [string, (p: Params) => string][] = [];
    if (f.departmentId) filters.push(['department', (q) => `= ${q.add(f.departmentId)}`]);
    if (f.categoryCodes) filters.push(['category', (q) => `= ANY(${q.add(f.categoryCodes)})`]);
    if (f.district !== undefined) filters.push(['district', (q) => `= ${q.add(f.district)}`]);
    if (f.channel) filters.push(['channel', (q) => `= ${q.add(f.channel)}`]);
    let rollupPart: string;
    const groupDim = groupBy === 'department' || groupBy === 'category' ? groupBy : null;
    if (filters.length === 0 || (filters.length === 1 && !groupDim)) {
      // the narrow rollup: one dimension per row (~86 rows a day)
      const [dim, cond] = groupDim ? [groupDim, null] : (filters[0] ?? ['all', null]);
      const g = groupDim ? 'dim_value' : isTime(groupBy) ? bucketSql('day', groupBy) : `''`;
      rollupPart = `SELECT ${g} AS g, ${cols} FROM report_rollup_dim
        WHERE dim = '${dim}' ${cond ? `AND dim_value ${cond(p)}` : ''} AND day >= ${dayFrom} AND day < ${dayTo}`;
    } else {
      rollupPart = `SELECT ${fullG} AS g, ${cols} FROM report_rollup_full WHERE ${fullWhere.join(' AND ')}`;
    }
    const sql = `SELECT g, ${sums} FROM (
        ${rollupPart}
        UNION ALL
        SELECT ${fullG} AS g, ${cols} FROM report_deltas WHERE ${fullWhere.join(' AND ')}
      ) x GROUP BY g`;
    return collect(new Map(), await m.query(sql, p.values));
  }

  /**
   * Every settled figure of SPEC §4 straight from appeals, assignments and surveys (the latest survey
   * read from the surveys table, not the appeal's denormalised copy) for appeals created in [from, to).
   */
  async raw(
    m: EntityManager,
    from: Date,
    to: Date,
    f: ReportFilter,
    groupBy: GroupBy,
    timeZone: string,
  ): Promise<Grouped> {
    const out: Grouped = new Map();
    // appeal level: attached to the lead department
    {
      const p = new Params();
      const where = this.appealWhere(p, from, to, f);
      if (f.departmentId) where.push(`r.lead_department_id = ${p.add(f.departmentId)}`);
      const g = this.appealGroup(groupBy, p, timeZone, `coalesce(r.lead_department_id, '${NIL_DEPARTMENT}')`);
      const rows = await m.query(
        `SELECT ${g} AS g,
           count(*) AS received,
           count(*) FILTER (WHERE r.status = 'rejected') AS rejected,
           count(*) FILTER (WHERE r.status = 'withdrawn') AS withdrawn,
           count(*) FILTER (WHERE r.status = 'merged') AS merged,
           count(*) FILTER (WHERE r.status = 'closed') AS closed,
           count(*) FILTER (WHERE r.status = 'closed' AND r.reopen_count = 0) AS closed_first,
           count(ls.satisfaction) AS rated,
           count(*) FILTER (WHERE ls.satisfaction IN ('satisfied', 'basically_satisfied')) AS satisfied,
           count(*) FILTER (WHERE ls.resolved) AS resolved
         FROM appeals r
         LEFT JOIN LATERAL (
           SELECT v.satisfaction, v.resolved FROM surveys v WHERE v.appeal_id = r.id
           ORDER BY v.created_at DESC, v.id DESC LIMIT 1
         ) ls ON true
         WHERE ${where.join(' AND ')}
         GROUP BY 1`,
        p.values,
      );
      collect(out, rows);
    }
    // assignment level: attached to the assignment's own department
    {
      const p = new Params();
      const where = this.appealWhere(p, from, to, f);
      if (f.departmentId) where.push(`s.department_id = ${p.add(f.departmentId)}`);
      const g = this.appealGroup(groupBy, p, timeZone, 's.department_id');
      const rows = await m.query(
        `SELECT ${g} AS g,
           count(*) FILTER (WHERE s.ack_on_time) AS ack_on_time,
           count(*) FILTER (WHERE s.ack_on_time IS NOT NULL
             OR (s.acknowledged_at IS NULL AND s.status IN ${ENDED} AND s.ended_at > s.ack_due_at)) AS ack_due,
           count(*) FILTER (WHERE s.role = 'lead' AND s.reply_on_time) AS reply_on_time,
           count(*) FILTER (WHERE s.role = 'lead' AND (s.reply_on_time IS NOT NULL
             OR (s.status IN ${ENDED} AND s.ended_at > s.reply_due_at))) AS reply_due,
           count(*) FILTER (WHERE s.role = 'lead' AND s.reply_working_seconds IS NOT NULL) AS replied_lead,
           coalesce(sum(s.reply_working_seconds) FILTER (WHERE s.role = 'lead'), 0) AS reply_working_seconds
         FROM assignments s JOIN appeals r ON r.id = s.appeal_id
         WHERE ${where.join(' AND ')}
         GROUP BY 1`,
        p.values,
      );
      collect(out, rows);
    }
    return out;
  }

  /**
   * What depends on "now" (SPEC §4) — open assignments whose ack deadline has passed (response
   * denominator, and overdue while unacknowledged), open lead assignments past their reply deadline
   * (on-time-reply denominator, and overdue once acknowledged) — read from report_open_assignments,
   * the trigger-kept copy of the open assignments with their appeal's keys: no join to appeals.
   */
  async live(
    m: EntityManager,
    from: Date,
    to: Date,
    f: ReportFilter,
    groupBy: GroupBy,
    timeZone: string,
    now: Date,
  ): Promise<Grouped> {
    const p = new Params();
    const at = p.add(now);
    const where = [
      `created_at >= ${p.add(from)}`,
      `created_at < ${p.add(to)}`,
      `(ack_due_at <= ${at} OR reply_due_at <= ${at})`,
    ];
    if (f.departmentId) where.push(`department_id = ${p.add(f.departmentId)}`);
    if (f.categoryCodes) where.push(`category_code = ANY(${p.add(f.categoryCodes)})`);
    if (f.district !== undefined) where.push(`district = ${p.add(f.district)}`);
    if (f.channel) where.push(`channel = ${p.add(f.channel)}`);
    const g = isTime(groupBy)
      ? bucketSql(`(created_at AT TIME ZONE ${p.add(timeZone)})::date`, groupBy)
      : { none: `''`, department: 'department_id::text', category: 'category_code' }[groupBy];
    const rows = await m.query(
      `SELECT ${g} AS g,
         count(*) FILTER (WHERE status = 'dispatched' AND ack_due_at <= ${at}) AS ack_due,
         count(*) FILTER (WHERE role = 'lead' AND reply_due_at <= ${at}) AS reply_due,
         count(*) FILTER (WHERE (status = 'dispatched' AND ack_due_at <= ${at})
           OR (status = 'in_progress' AND reply_due_at <= ${at})) AS overdue_open
       FROM report_open_assignments
       WHERE ${where.join(' AND ')}
       GROUP BY 1`,
      p.values,
    );
    return collect(new Map(), rows);
  }

  /**
   * The same "now"-dependent figures from the raw rows: the open assignments (through the partial
   * indexes of open assignments) joined to their appeals. The baseline live() is checked against.
   */
  async liveRaw(
    m: EntityManager,
    from: Date,
    to: Date,
    f: ReportFilter,
    groupBy: GroupBy,
    timeZone: string,
    now: Date,
  ): Promise<Grouped> {
    const p = new Params();
    const at = p.add(now);
    const where = this.appealWhere(p, from, to, f);
    if (f.departmentId) where.push(`s.department_id = ${p.add(f.departmentId)}`);
    const g = this.appealGroup(groupBy, p, timeZone, 's.department_id');
    const pick = `SELECT id, appeal_id, department_id, role, status, ack_due_at, reply_due_at FROM assignments`;
    const rows = await m.query(
      `SELECT ${g} AS g,
         count(*) FILTER (WHERE s.status = 'dispatched' AND s.ack_due_at <= ${at}) AS ack_due,
         count(*) FILTER (WHERE s.role = 'lead' AND s.reply_due_at <= ${at}) AS reply_due,
         count(*) FILTER (WHERE (s.status = 'dispatched' AND s.ack_due_at <= ${at})
           OR (s.status = 'in_progress' AND s.reply_due_at <= ${at})) AS overdue_open
       FROM (
         ${pick} WHERE status = 'dispatched' AND ack_due_at <= ${at}
         UNION ALL ${pick} WHERE status = 'dispatched' AND ack_due_at > ${at} AND reply_due_at <= ${at}
         UNION ALL ${pick} WHERE status = 'in_progress' AND reply_due_at <= ${at}
       ) s JOIN appeals r ON r.id = s.appeal_id
       WHERE ${where.join(' AND ')}
       GROUP BY 1`,
      p.values,
    );
    return collect(new Map(), rows);
  }

  private appealWhere(p: Params, from: Date, to: Date, f: ReportFilter): string[] {
    const where = [`r.created_at >= ${p.add(from)}`, `r.created_at < ${p.add(to)}`];
    if (f.categoryCodes) where.push(`r.category_code = ANY(${p.add(f.categoryCodes)})`);
    if (f.district !== undefined)
      where.push(f.district === '' ? `r.district IS NULL` : `r.district = ${p.add(f.district)}`);
    if (f.channel) where.push(`r.channel = ${p.add(f.channel)}`);
    return where;
  }

  private appealGroup(groupBy: GroupBy, p: Params, timeZone: string, department: string): string {
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
