import { IN_FORCE_SQL, STALE_SQL } from '../knowledge/knowledge-rules';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  appealRow,
  assignmentRow,
  COUNTERS,
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
import { MeetingCounts, MeetingRow } from './meeting-report';
import { addCounters, Counters, zeroCounters } from './report-formulas';
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

/** into += other, group by group; returns into */
function addInto(into: Grouped, other: Grouped): Grouped {
  for (const [g, c] of other) into.set(g, addCounters(into.get(g) ?? zeroCounters(), c));
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
    const cols = COUNTERS.map((c) => c.column).join(', ');
    const sums = COUNTERS.map((c) => `sum(${c.column}) AS ${c.column}`).join(', ');
    // the full key's WHERE (deltas always; the full rollup when the narrow one cannot answer)
    const fullWhere = [`day >= ${dayFrom}`, `day < ${dayTo}`, ...keyWhere(p, f)];
    const fullG = keyGroup(groupBy, () => 'day');

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
  async raw(m: EntityManager, q: Slice): Promise<Grouped> {
    const out: Grouped = new Map();
    // appeal level: attached to the lead department
    {
      const { p, where, g } = this.appealScope(
        q,
        'r.lead_department_id',
        `coalesce(r.lead_department_id, '${NIL_DEPARTMENT}')`,
      );
      const rows = await m.query(
        `SELECT ${g} AS g,
           ${rawAppealSums(RAW_APPEAL)}
         FROM appeals r
         LEFT JOIN LATERAL (
           SELECT v.satisfaction, v.resolved, v.valid, v.contacted FROM surveys v WHERE v.appeal_id = r.id
           ORDER BY v.created_at DESC, v.id DESC LIMIT 1
         ) ls ON true
         WHERE ${where}
         GROUP BY 1`,
        p.values,
      );
      collect(out, rows);
    }
    // assignment level: attached to the assignment's own department
    {
      const { p, where, g } = this.appealScope(q, 's.department_id', 's.department_id');
      const rows = await m.query(
        `SELECT ${g} AS g,
           ${rawAssignmentSums(RAW_ASSIGNMENT)}
         FROM assignments s JOIN appeals r ON r.id = s.appeal_id
         WHERE ${where}
         GROUP BY 1`,
        p.values,
      );
      collect(out, rows);
    }
    // supervision level: attached to the supervised department (SPEC §7.3)
    {
      const dept = `coalesce(v.department_id, '${NIL_DEPARTMENT}')`;
      const { p, where, g } = this.appealScope(q, dept, dept);
      const rows = await m.query(
        `SELECT ${g} AS g,
           ${rawSupervisionSums(supervisionRow('v'))}
         FROM supervisions v JOIN appeals r ON r.id = v.appeal_id
         WHERE ${where}
         GROUP BY 1`,
        p.values,
      );
      collect(out, rows);
    }
    // plan level: attached to the plan's department (SPEC §9.3)
    {
      const { p, where, g } = this.appealScope(q, 'p.department_id', 'p.department_id');
      const rows = await m.query(
        `SELECT ${g} AS g,
           ${rawPlanSums(planRow('p'))}
         FROM plans p JOIN appeals r ON r.id = p.appeal_id
         WHERE ${where}
         GROUP BY 1`,
        p.values,
      );
      collect(out, rows);
    }
    return out;
  }

  /**
   * The "now"-dependent part of plansOverdue and of the fulfilment denominator (SPEC §9.3): open plans
   * past their promise whose timer has not fired yet — a handful at any moment, found through the
   * partial index of pending promises, joined to their appeals.
   */
  private async livePlans(m: EntityManager, q: Slice, now: Date): Promise<Grouped> {
    const p = new Params();
    const at = p.add(now);
    const { where, g } = this.appealScope(q, 'p.department_id', 'p.department_id', p);
    const rows = await m.query(
      `SELECT ${g} AS g,
         ${livePlanSums(at)}
       FROM plans p JOIN appeals r ON r.id = p.appeal_id
       WHERE p.status = 'open' AND p.overdue_fired_at IS NULL AND p.promised_by <= ${at} AND ${where}
       GROUP BY 1`,
      p.values,
    );
    return collect(new Map(), rows);
  }

  /**
   * The "now"-dependent part of the supervision answer denominator: supervisions unanswered past their
   * due whose escalation has not fired yet — a handful at any moment, found through the partial index
   * of pending escalations, joined to their appeals.
   */
  private async liveSupervisions(m: EntityManager, q: Slice, now: Date): Promise<Grouped> {
    const p = new Params();
    const at = p.add(now);
    const dept = `coalesce(v.department_id, '${NIL_DEPARTMENT}')`;
    const { where, g } = this.appealScope(q, dept, dept, p);
    const rows = await m.query(
      `SELECT ${g} AS g,
         ${liveSupervisionSums(at)}
       FROM supervisions v JOIN appeals r ON r.id = v.appeal_id
       WHERE v.level = 'supervision' AND v.status = 'open' AND v.escalated_at IS NULL
         AND v.answer_due_at <= ${at} AND ${where}
       GROUP BY 1`,
      p.values,
    );
    return collect(new Map(), rows);
  }

  /**
   * What depends on "now" (SPEC §4) — open assignments whose ack deadline has passed (response
   * denominator, and overdue while unacknowledged), open lead assignments past their reply deadline
   * (on-time-reply denominator, and overdue once acknowledged) — read from report_open_assignments,
   * the trigger-kept copy of the open assignments with their appeal's keys: no join to appeals.
   */
  async live(m: EntityManager, q: Slice, now: Date): Promise<Grouped> {
    const p = new Params();
    const at = p.add(now);
    const where = [
      `created_at >= ${p.add(q.from)}`,
      `created_at < ${p.add(q.to)}`,
      `(ack_due_at <= ${at} OR reply_due_at <= ${at} OR contact_due_at <= ${at} OR staged_due_at <= ${at})`,
      ...keyWhere(p, q.filter),
    ];
    const g = keyGroup(q.groupBy, () => `(created_at AT TIME ZONE ${p.add(q.timeZone)})::date`);
    const rows = await m.query(
      `SELECT ${g} AS g,
         ${liveSums(assignmentRow('s'), at)}
       FROM report_open_assignments s
       WHERE ${where.join(' AND ')}
       GROUP BY 1`,
      p.values,
    );
    return addInto(
      addInto(collect(new Map(), rows), await this.liveSupervisions(m, q, now)),
      await this.livePlans(m, q, now),
    );
  }

  /**
   * The same "now"-dependent figures from the raw rows: the open assignments (through the partial
   * indexes of open assignments) joined to their appeals. The baseline live() is checked against.
   */
  async liveRaw(m: EntityManager, q: Slice, now: Date): Promise<Grouped> {
    const p = new Params();
    const at = p.add(now);
    const { where, g } = this.appealScope(q, 's.department_id', 's.department_id', p);
    const pick = `SELECT id, appeal_id, department_id, role, status, ack_due_at, reply_due_at,
      ${pendingContactDue('assignments')} AS contact_due_at, ${pendingStagedDue('assignments')} AS staged_due_at
      FROM assignments`;
    // SPEC §9: open lead assignments not in the three branches above that still owe a contact or a staged
    // reply past its deadline (through the partial indexes of pending contacts and staged replies)
    const notAbove = `(status = 'dispatched' AND ack_due_at > ${at} AND reply_due_at > ${at}
      OR status = 'in_progress' AND reply_due_at > ${at})`;
    const rows = await m.query(
      `SELECT ${g} AS g,
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
      p.values,
    );
    return addInto(
      addInto(collect(new Map(), rows), await this.liveSupervisions(m, q, now)),
      await this.livePlans(m, q, now),
    );
  }

  /**
   * WHERE and group of raw rows joined to their appeal `r`: created in the slice, matching its
   * filter, the department being `department` (a column, for the filter) and `group` (SQL, the key).
   */
  private appealScope(q: Slice, department: string, group: string, p = new Params()) {
    const f = q.filter;
    const where = [`r.created_at >= ${p.add(q.from)}`, `r.created_at < ${p.add(q.to)}`];
    if (f.categoryCodes) where.push(`r.category_code = ANY(${p.add(f.categoryCodes)})`);
    if (f.district !== undefined)
      where.push(f.district === '' ? `r.district IS NULL` : `r.district = ${p.add(f.district)}`);
    if (f.channel) where.push(`r.channel = ${p.add(f.channel)}`);
    if (f.departmentId) where.push(`${department} = ${p.add(f.departmentId)}`);
    if (f.leaderLed !== undefined) where.push(`r.leader_name IS ${f.leaderLed ? 'NOT ' : ''}NULL`);
    return { p, where: where.join(' AND '), g: this.appealGroup(q.groupBy, p, q.timeZone, group) };
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

  /**
   * SPEC §10: per source department ('' for the centre's own entries), the knowledge entries in force at
   * `now` and, of those, the stale ones (past their review due, neither confirmed nor edited since).
   * Counted from the entries themselves: a few thousand rows, read through ix_knowledge_entries_department.
   */
  async knowledgeCounts(
    m: EntityManager,
    now: Date,
  ): Promise<Map<string, { knowledgeEntriesPublished: number; knowledgeEntriesStale: number }>> {
    const rows: { department: string; published: string; stale: string }[] = await m.query(
      `SELECT coalesce(e.source_department_id::text, '') AS department,
              count(*) FILTER (WHERE ${IN_FORCE_SQL('$1')}) AS published,
              count(*) FILTER (WHERE ${STALE_SQL('$1')}) AS stale
         FROM knowledge_entries e WHERE e.status = 'published' GROUP BY 1`,
      [now],
    );
    return new Map(
      rows.map((r) => [
        r.department,
        { knowledgeEntriesPublished: Number(r.published), knowledgeEntriesStale: Number(r.stale) },
      ]),
    );
  }

  /**
   * SPEC §12: the whistle counters of the appeals in the slice, by the summoned or committed department —
   * summons (whistle_departments: the convener and each summoned department of an approved whistle),
   * check-ins and check-ins due (checked in, or the meeting reached on a whistle not cancelled), and
   * commitments on time and due (completed, or past due at `now`). Read straight from the rows in the
   * report's snapshot: whistles are few (Heze, the busiest line, took 87 thousand in three years), so no
   * rollup is kept. The department filter means the summoned / committed department.
   */
  async whistles(m: EntityManager, q: Slice, now: Date): Promise<Map<string, WhistleCounters>> {
    const p = new Params();
    const at = p.add(now);
    const s = this.appealScope(q, 's.department_id', 's.department_id', p);
    const c = this.appealScope(q, 'c.department_id', 'c.department_id', p);
    const rows: Record<string, string>[] = await m.query(
      `SELECT g, sum(summons) AS summons, sum(check_ins) AS check_ins, sum(check_ins_due) AS check_ins_due,
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
        GROUP BY g`,
      p.values,
    );
    return new Map(
      rows.map((r) => [
        r.g,
        {
          summons: Number(r.summons),
          checkIns: Number(r.check_ins),
          checkInsDue: Number(r.check_ins_due),
          commitmentsOnTime: Number(r.on_time),
          commitmentsDue: Number(r.due),
        },
      ]),
    );
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
   * The meetings held in [from, to) (by heldAt; optionally in one district) with their issues' counts, and
   * the distinct enterprises that attended them. `indexed`: the counts from the appeals' own columns,
   * read through the covering partial index on meeting_id (what the route serves); `raw`: the latest
   * survey from the surveys table and on-the-spot answers as replies never dispatched (the baseline the
   * consistency test and the bench compare with). `leaderLed` restricts the issues counted.
   */
  async meetings(
    m: EntityManager,
    q: { from: Date; to: Date; district?: string; leaderLed?: boolean },
    source: 'indexed' | 'raw',
  ): Promise<{ rows: MeetingRow[]; enterprisesAttending: number }> {
    const p = new Params();
    const where = [`m.held_at >= ${p.add(q.from)}`, `m.held_at < ${p.add(q.to)}`];
    if (q.district !== undefined) where.push(`m.district = ${p.add(q.district)}`);
    const issueWhere = ['a.meeting_id = mt.id'];
    if (q.leaderLed !== undefined) issueWhere.push(`a.leader_name IS ${q.leaderLed ? 'NOT ' : ''}NULL`);
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
    const rows: Record<string, unknown>[] = await m.query(
      `WITH mt AS MATERIALIZED (
         SELECT m.id, m.title, m.held_at, m.district, d.name AS district_name, m.leader_name, m.attendee_count
           FROM meetings m LEFT JOIN districts d ON d.code = m.district
          WHERE ${where.join(' AND ')}
       )
       SELECT mt.*, c.*, (SELECT count(DISTINCT me.enterprise_id) FROM meeting_enterprises me
                           WHERE me.meeting_id IN (SELECT id FROM mt)) AS enterprises_attending
         FROM mt CROSS JOIN LATERAL (
           SELECT count(*) AS issues,
             count(*) FILTER (WHERE ${onSpot}) AS resolved_on_site,
             count(*) FILTER (WHERE a.status IN ('rejected','withdrawn','merged')) AS invalid,
             count(*) FILTER (WHERE a.status IN ('replied','closed')) AS answered,
             count(*) FILTER (WHERE a.status = 'closed') AS closed,
             count(*) FILTER (WHERE ${satisfaction} IS NOT NULL AND ${valid}) AS rated,
             count(*) FILTER (WHERE ${satisfaction} IN ('satisfied','basically_satisfied') AND ${valid}) AS satisfied
           FROM appeals a ${latest}
           WHERE ${issueWhere.join(' AND ')}
         ) c
        ORDER BY mt.held_at, mt.id`,
      p.values,
    );
    const n = (v: unknown) => Number(v ?? 0);
    return {
      enterprisesAttending: rows.length > 0 ? n(rows[0].enterprises_attending) : 0,
      rows: rows.map((r) => ({
        meetingId: r.id as string,
        title: r.title as string,
        heldAt: r.held_at as Date,
        district: r.district as string | null,
        districtName: r.district_name as string | null,
        leaderName: r.leader_name as string | null,
        attendeeCount: n(r.attendee_count),
        counts: {
          issues: n(r.issues),
          resolvedOnSite: n(r.resolved_on_site),
          invalid: n(r.invalid),
          answered: n(r.answered),
          closed: n(r.closed),
          rated: n(r.rated),
          satisfied: n(r.satisfied),
        } satisfies MeetingCounts,
      })),
    };
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
