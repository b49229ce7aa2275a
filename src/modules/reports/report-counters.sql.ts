/**
 * The report counters (SPEC §4 numerators and denominators), defined once: each counter's name,
 * level and SQL expression. Everything that stores or recomputes them is generated from this list —
 * the row triggers that write signed deltas (on appeals, assignments, supervisions and plans), report_put(), report_fold(), report_rebuild_rollups()
 * and report_rebuild(), the open-assignment copy's triggers, report_day() / report_time_zone(), the
 * rollup entity's columns and the raw recomputation of ReportsRepository. Pure TypeScript: no Nest
 * or TypeORM here. report_time_zone() names TZ_CALENDAR; only migration-time code re-creates it
 * (applyReportTimeZone, run by the migration runner), the application never does.
 *
 * Migrations: the Reports and ReportsOpenAssignments migrations keep their own copy of this SQL, as
 * it shipped, and never import this module, because deployed databases ran them once and a fresh
 * database must replay them exactly as they ran. The ReportCountersModule migration applies
 * reportSqlDefinitions() and records the digest of what it applies (REPORT_SQL_DIGEST); the
 * definitions test fails when this module emits anything else, so a change here ships as a new
 * migration that applies it again (and rebuilds when a counter's meaning changed), with the previous
 * applying migration frozen to the text it applied.
 */

import { createHash } from 'node:crypto';
import { OPEN_ASSIGNMENT_SQL } from '../assignments/entities/assignment.entity';

// ---- the counters ----------------------------------------------------------------------------------

/** The appeal columns the appeal-level counters read. */
export const APPEAL_COLUMNS = [
  'status',
  'reopen_count',
  'latest_satisfaction',
  'latest_resolved',
  'latest_survey_valid',
  'assessment_appeals',
  'assessment_appeals_approved',
  'latest_contacted',
  'resolved_on_spot',
  'knowledge_entry_ids',
] as const;
/** The assignment columns the assignment-level counters read. */
export const ASSIGNMENT_COLUMNS = [
  'role',
  'status',
  'acknowledged_at',
  'ack_due_at',
  'ack_on_time',
  'reply_due_at',
  'reply_on_time',
  'reply_working_seconds',
  'ended_at',
  'return_status',
  'contact_due_at',
  'contacted_at',
  'contacted_on_time',
  'staged_due_at',
  'staged_replied_at',
  'staged_on_time',
] as const;
/** The supervision columns the supervision-level counters read (SPEC §7.3). */
export const SUPERVISION_COLUMNS = ['level', 'answered_at', 'answered_on_time', 'escalated_at'] as const;
/** The plan columns the plan-level counters read (SPEC §9.3). */
export const PLAN_COLUMNS = [
  'status',
  'fulfilled_at',
  'fulfilled_on_time',
  'overdue_fired_at',
  'confirmed_resolved',
] as const;

/** A row as SQL: column name → SQL expression (usually `alias.column`). */
export type AppealRow = Record<(typeof APPEAL_COLUMNS)[number], string>;
export type AssignmentRow = Record<(typeof ASSIGNMENT_COLUMNS)[number], string>;
export type SupervisionRow = Record<(typeof SUPERVISION_COLUMNS)[number], string>;
export type PlanRow = Record<(typeof PLAN_COLUMNS)[number], string>;

/** `alias.column` for every column a level reads, some of them replaced by other expressions. */
export function appealRow(alias: string, replace: Partial<AppealRow> = {}): AppealRow {
  return rowOf(APPEAL_COLUMNS, alias, replace);
}
export function assignmentRow(alias: string, replace: Partial<AssignmentRow> = {}): AssignmentRow {
  return rowOf(ASSIGNMENT_COLUMNS, alias, replace);
}
export function supervisionRow(alias: string, replace: Partial<SupervisionRow> = {}): SupervisionRow {
  return rowOf(SUPERVISION_COLUMNS, alias, replace);
}
export function planRow(alias: string, replace: Partial<PlanRow> = {}): PlanRow {
  return rowOf(PLAN_COLUMNS, alias, replace);
}
function rowOf<C extends string>(columns: readonly C[], alias: string, replace: Partial<Record<C, string>>) {
  return Object.fromEntries(columns.map((c) => [c, replace[c] ?? `${alias}.${c}`])) as Record<C, string>;
}

interface CounterBase<K extends string> {
  /** the camelCase key of report-formulas' Counters */
  key: K;
  /** the snake_case column of report_deltas, report_rollup_full and report_rollup_dim */
  column: string;
  type: 'int' | 'bigint';
}
/**
 * Appeal-level counters attach to the appeal's lead department, assignment-level ones to the
 * assignment's own department, supervision-level ones to the supervised department (SPEC §4, §7;
 * README "How the figures are attributed"). `sql` is the counter's value for one row: an integer, 0
 * when the row does not count.
 */
export type CounterDefinition<K extends string = string> =
  | (CounterBase<K> & { level: 'appeal'; sql: (r: AppealRow) => string })
  | (CounterBase<K> & { level: 'assignment'; sql: (s: AssignmentRow) => string })
  | (CounterBase<K> & { level: 'supervision'; sql: (v: SupervisionRow) => string })
  | (CounterBase<K> & { level: 'plan'; sql: (p: PlanRow) => string });
export type CounterLevel = CounterDefinition['level'];

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const appeal = <K extends string>(key: K, sql: (r: AppealRow) => string): CounterDefinition<K> => ({
  key,
  column: snake(key),
  type: 'int',
  level: 'appeal',
  sql,
});
const assignment = <K extends string>(
  key: K,
  sql: (s: AssignmentRow) => string,
  type: 'int' | 'bigint' = 'int',
): CounterDefinition<K> => ({ key, column: snake(key), type, level: 'assignment', sql });
const supervision = <K extends string>(key: K, sql: (v: SupervisionRow) => string): CounterDefinition<K> => ({
  key,
  column: snake(key),
  type: 'int',
  level: 'supervision',
  sql,
});

const plan = <K extends string>(key: K, sql: (p: PlanRow) => string): CounterDefinition<K> => ({
  key,
  column: snake(key),
  type: 'int',
  level: 'plan',
  sql,
});

/** Assignment statuses after which an assignment no longer moves. */
const ENDED = `('completed','returned','cancelled')`;

/** Every stored counter, in the column order of the rollups and of the delta vectors. */
export const COUNTERS = [
  appeal('received', () => '1'),
  appeal('rejected', (r) => `(${r.status} = 'rejected')::int`),
  appeal('withdrawn', (r) => `(${r.status} = 'withdrawn')::int`),
  appeal('merged', (r) => `(${r.status} = 'merged')::int`),
  appeal('closed', (r) => `(${r.status} = 'closed')::int`),
  /** closed and never reopened (一次性化解) */
  appeal('closedFirst', (r) => `(${r.status} = 'closed' AND ${r.reopen_count} = 0)::int`),
  /** appeals whose latest survey is a valid return visit (有效回访, SPEC §7.2) */
  appeal(
    'rated',
    (r) => `(${r.latest_satisfaction} IS NOT NULL AND coalesce(${r.latest_survey_valid}, true))::int`,
  ),
  /** valid latest survey satisfied or basically_satisfied */
  appeal(
    'satisfied',
    (r) =>
      `coalesce(${r.latest_satisfaction} IN ('satisfied','basically_satisfied') AND coalesce(${r.latest_survey_valid}, true), false)::int`,
  ),
  /** valid latest survey resolved = true */
  appeal(
    'resolved',
    (r) =>
      `(${r.latest_satisfaction} IS NOT NULL AND coalesce(${r.latest_resolved}, false) AND coalesce(${r.latest_survey_valid}, true))::int`,
  ),
  /** the recorded verdict: acknowledged by the ack deadline */
  assignment('ackOnTime', (s) => `coalesce(${s.ack_on_time}, false)::int`),
  /** settled acknowledgement denominator: a recorded verdict, or ended unacknowledged after its deadline */
  assignment(
    'ackDue',
    (s) =>
      `(${s.ack_on_time} IS NOT NULL OR coalesce(${s.acknowledged_at} IS NULL AND ${s.status} IN ${ENDED} AND ${s.ended_at} > ${s.ack_due_at}, false))::int`,
  ),
  /** the recorded verdict of a lead reply: made by the (extended) reply deadline */
  assignment('replyOnTime', (s) => `(${s.role} = 'lead' AND coalesce(${s.reply_on_time}, false))::int`),
  /** settled lead-reply denominator: a recorded verdict, or ended unreplied after its deadline */
  assignment(
    'replyDue',
    (s) =>
      `(${s.role} = 'lead' AND (${s.reply_on_time} IS NOT NULL OR coalesce(${s.status} IN ${ENDED} AND ${s.ended_at} > ${s.reply_due_at}, false)))::int`,
  ),
  /** lead assignments with a recorded reply_working_seconds */
  assignment('repliedLead', (s) => `(${s.role} = 'lead' AND ${s.reply_working_seconds} IS NOT NULL)::int`),
  /** working seconds from dispatch to lead reply, summed (avgReplyWorkingHours = this / repliedLead) */
  assignment(
    'replyWorkingSeconds',
    (s) => `(CASE WHEN ${s.role} = 'lead' THEN coalesce(${s.reply_working_seconds}, 0) ELSE 0 END)::bigint`,
    'bigint',
  ),
  /** appeals with a survey, valid or not: the latest one counts (ratedAll) */
  appeal('ratedAll', (r) => `(${r.latest_satisfaction} IS NOT NULL)::int`),
  /** latest survey satisfied or basically_satisfied, valid or not */
  appeal(
    'satisfiedAll',
    (r) => `coalesce(${r.latest_satisfaction} IN ('satisfied','basically_satisfied'), false)::int`,
  ),
  /** assessment appeals filed on the appeal's surveys, and those approved */
  appeal('assessmentAppeals', (r) => `coalesce(${r.assessment_appeals}, 0)::int`),
  appeal('assessmentAppealsApproved', (r) => `coalesce(${r.assessment_appeals_approved}, 0)::int`),
  /** lead assignments (every dispatch and reopen round of a lead): returnRate's denominator */
  assignment('leadDispatched', (s) => `(${s.role} = 'lead')::int`),
  /** lead assignments returned, which happens only on an approved return request */
  assignment('leadReturned', (s) => `(${s.role} = 'lead' AND ${s.status} = 'returned')::int`),
  /** return requests denied (不当退单); at most one per assignment */
  assignment('returnsDenied', (s) => `coalesce(${s.return_status} = 'denied', false)::int`),
  /** supervisions (督办) opened */
  supervision('supervisions', (v) => `(${v.level} = 'supervision')::int`),
  /** supervisions answered by their answer due */
  supervision(
    'supervisionsAnsweredOnTime',
    (v) => `(${v.level} = 'supervision' AND coalesce(${v.answered_on_time}, false))::int`,
  ),
  /** settled answer denominator: answered, or escalated for want of an answer */
  supervision(
    'supervisionsAnswerDue',
    (v) =>
      `(${v.level} = 'supervision' AND (${v.answered_at} IS NOT NULL OR ${v.escalated_at} IS NOT NULL))::int`,
  ),
  /** notices (通报) opened */
  supervision('notices', (v) => `(${v.level} = 'notice')::int`),
  /** SPEC §9.1: lead assignments whose contact counted by contactDueAt (the recorded verdict) */
  assignment('contactOnTime', (s) => `(${s.role} = 'lead' AND coalesce(${s.contacted_on_time}, false))::int`),
  /** settled contact denominator: a recorded verdict, or ended uncontacted after its contact deadline */
  assignment(
    'contactDue',
    (s) =>
      `(${s.role} = 'lead' AND (${s.contacted_on_time} IS NOT NULL OR coalesce(${s.contacted_at} IS NULL AND ${s.status} IN ${ENDED} AND ${s.ended_at} > ${s.contact_due_at}, false)))::int`,
  ),
  /** SPEC §9.2: lead assignments staged-replied (or replied) by stagedDueAt (the recorded verdict) */
  assignment('stagedOnTime', (s) => `(${s.role} = 'lead' AND coalesce(${s.staged_on_time}, false))::int`),
  /** settled staged-reply denominator: a recorded verdict, or ended unanswered after its staged deadline */
  assignment(
    'stagedDue',
    (s) =>
      `(${s.role} = 'lead' AND (${s.staged_on_time} IS NOT NULL OR coalesce(${s.staged_replied_at} IS NULL AND ${s.status} IN ${ENDED} AND ${s.ended_at} > ${s.staged_due_at}, false)))::int`,
  ),
  /** SPEC §9.1 contactRate: valid latest surveys that answered "were you contacted?", and those saying yes */
  appeal(
    'contactAsked',
    (r) =>
      `(${r.latest_satisfaction} IS NOT NULL AND ${r.latest_contacted} IS NOT NULL AND coalesce(${r.latest_survey_valid}, true))::int`,
  ),
  appeal(
    'contactConfirmed',
    (r) =>
      `(${r.latest_satisfaction} IS NOT NULL AND coalesce(${r.latest_contacted}, false) AND coalesce(${r.latest_survey_valid}, true))::int`,
  ),
  // SPEC §9.3 planned resolution, by the plan's department
  /** plans made (every planned reply, cancelled ones included) */
  plan('planned', () => '1'),
  /** plans open now: a state, kept exact by the deltas of every status change */
  plan('plansOpen', (p) => `(${p.status} = 'open')::int`),
  /** open plans whose promise timer has fired; the live part adds those past it not yet fired */
  plan('plansOverdue', (p) => `(${p.status} = 'open' AND ${p.overdue_fired_at} IS NOT NULL)::int`),
  /** the verdict recorded at fulfilment: fulfilled by promisedBy */
  plan('plansFulfilledOnTime', (p) => `coalesce(${p.fulfilled_on_time}, false)::int`),
  /** settled fulfilment denominator: fulfilled, or its promise passed while open (the timer fired) */
  plan('plansFulfilDue', (p) => `(${p.fulfilled_at} IS NOT NULL OR ${p.overdue_fired_at} IS NOT NULL)::int`),
  /** confirmed by the enterprise as resolved */
  plan(
    'plansConfirmedResolved',
    (p) => `(${p.status} = 'confirmed' AND coalesce(${p.confirmed_resolved}, false))::int`,
  ),
  /** valid appeals resolved on the spot (直办, SPEC §10): a dispatcher's resolve or a meeting's 现场解决 */
  appeal(
    'onSpot',
    (r) => `(${r.resolved_on_spot} AND ${r.status} NOT IN ('rejected','withdrawn','merged'))::int`,
  ),
  /** of those, the ones whose answer cited a knowledge entry */
  appeal(
    'onSpotCited',
    (r) =>
      `(${r.resolved_on_spot} AND ${r.status} NOT IN ('rejected','withdrawn','merged') AND coalesce(cardinality(${r.knowledge_entry_ids}), 0) > 0)::int`,
  ),
];

export type StoredCounterKey = (typeof COUNTERS)[number]['key'];
export const STORED_COUNTER_KEYS: StoredCounterKey[] = COUNTERS.map((c) => c.key);

/**
 * The "now"-dependent parts, never stored (SPEC §4): over open assignments (alias `s`) past a deadline
 * at `at` — the response denominator's open part (ack_due), the on-time-reply denominator's open part
 * (reply_due), overdueOpen (past the ack deadline while dispatched, past the reply deadline once
 * acknowledged), and the open parts of the SPEC §9 denominators: open lead assignments still owing their
 * contact (contact_due) or staged reply (staged_due) past its deadline. `contact_due_at` and
 * `staged_due_at` here are the *pending* deadlines: null once the contact counted or the staged reply came.
 */
export function liveSums(
  s: Pick<
    AssignmentRow,
    'role' | 'status' | 'ack_due_at' | 'reply_due_at' | 'contact_due_at' | 'staged_due_at'
  >,
  at: string,
): string {
  const ackOverdue = `${s.status} = 'dispatched' AND ${s.ack_due_at} <= ${at}`;
  return [
    `count(*) FILTER (WHERE ${ackOverdue}) AS ack_due`,
    `count(*) FILTER (WHERE ${s.role} = 'lead' AND ${s.reply_due_at} <= ${at}) AS reply_due`,
    `count(*) FILTER (WHERE (${ackOverdue})
    OR (${s.status} = 'in_progress' AND ${s.reply_due_at} <= ${at})) AS overdue_open`,
    `count(*) FILTER (WHERE ${s.role} = 'lead' AND ${s.contact_due_at} <= ${at}) AS contact_due`,
    `count(*) FILTER (WHERE ${s.role} = 'lead' AND ${s.staged_due_at} <= ${at}) AS staged_due`,
  ].join(',\n  ');
}

/** An assignment's pending contact and staged-reply deadlines (null once answered), from alias `s`. */
export const pendingContactDue = (s: string) =>
  `CASE WHEN ${s}.contacted_at IS NULL THEN ${s}.contact_due_at END`;
export const pendingStagedDue = (s: string) =>
  `CASE WHEN ${s}.staged_replied_at IS NULL THEN ${s}.staged_due_at END`;

/**
 * The "now"-dependent part of the supervision answer denominator (SPEC §7.3), never stored: open
 * supervisions (alias `v`) past their answer due at `at` whose escalation has not fired yet.
 */
export function liveSupervisionSums(at: string, v = 'v'): string {
  return `count(*) FILTER (WHERE ${v}.level = 'supervision' AND ${v}.status = 'open' AND ${v}.escalated_at IS NULL
    AND ${v}.answer_due_at <= ${at}) AS supervisions_answer_due`;
}

/**
 * The "now"-dependent part of plansOverdue and of the fulfilment denominator (SPEC §9.3), never stored:
 * open plans (alias `p`) past their promise at `at` whose promise timer has not fired yet.
 */
export function livePlanSums(at: string, p = 'p'): string {
  const late = `${p}.status = 'open' AND ${p}.overdue_fired_at IS NULL AND ${p}.promised_by <= ${at}`;
  return `count(*) FILTER (WHERE ${late}) AS plans_overdue,
  count(*) FILTER (WHERE ${late}) AS plans_fulfil_due`;
}

// ---- SQL pieces ------------------------------------------------------------------------------------

/** The nil uuid: the department of an appeal without a lead in the rollup keys (keys compare with '='). */
export const NIL_DEPARTMENT = '00000000-0000-0000-0000-000000000000';
const NIL = `'${NIL_DEPARTMENT}'::uuid`;
/** The zone report_time_zone() names on a new database (the Reports migration's). */
export const DEFAULT_REPORT_TIME_ZONE = 'Asia/Shanghai';
/** Assignments the "now"-dependent figures read (report_open_assignments holds exactly these). */
const OPEN = OPEN_ASSIGNMENT_SQL;

const cols = COUNTERS.map((c) => c.column).join(', ');
const sums = COUNTERS.map((c) => `sum(${c.column})`).join(', ');
const addExisting = COUNTERS.map((c) => `${c.column} = t.${c.column} + EXCLUDED.${c.column}`).join(', ');

/** A row's full counter vector, in COUNTERS order: its level's expressions, zeros for the other level. */
function appealVector(r: AppealRow): string[] {
  return COUNTERS.map((c) => (c.level === 'appeal' ? c.sql(r) : '0'));
}
function assignmentVector(s: AssignmentRow): string[] {
  return COUNTERS.map((c) => (c.level === 'assignment' ? c.sql(s) : '0'));
}
function supervisionVector(v: SupervisionRow): string[] {
  return COUNTERS.map((c) => (c.level === 'supervision' ? c.sql(v) : '0'));
}
function planVector(p: PlanRow): string[] {
  return COUNTERS.map((c) => (c.level === 'plan' ? c.sql(p) : '0'));
}
const array = (exprs: string[]) => `ARRAY[${exprs.join(', ')}]::bigint[]`;
const appealArray = (alias: string) => array(appealVector(appealRow(alias)));
const assignmentArray = (alias: string) => array(assignmentVector(assignmentRow(alias)));
const supervisionArray = (alias: string) => array(supervisionVector(supervisionRow(alias)));
const planArray = (alias: string) => array(planVector(planRow(alias)));
const zeroArray = array(COUNTERS.map(() => '0'));

/**
 * `sum(<expression>) AS <column>` for every counter of a level, over rows of that level: the raw
 * recomputation of the figures the triggers keep (ReportsRepository.raw).
 */
export function rawAppealSums(r: AppealRow): string {
  return sumsOf('appeal', appealVector(r));
}
export function rawAssignmentSums(s: AssignmentRow): string {
  return sumsOf('assignment', assignmentVector(s));
}
export function rawSupervisionSums(v: SupervisionRow): string {
  return sumsOf('supervision', supervisionVector(v));
}
export function rawPlanSums(p: PlanRow): string {
  return sumsOf('plan', planVector(p));
}
function sumsOf(level: CounterDefinition['level'], vector: string[]): string {
  return COUNTERS.flatMap((c, i) => (c.level === level ? [`sum(${vector[i]}) AS ${c.column}`] : [])).join(
    ',\n  ',
  );
}

/**
 * GROUPING SETS of the full key: one narrow row per day (or per `period`, an SQL expression of the
 * day) and dimension value.
 */
const dimSelect = (from: string, period = 'day') => `
  SELECT ${period},
    CASE WHEN GROUPING(department_id) = 0 THEN 'department' WHEN GROUPING(category_code) = 0 THEN 'category'
         WHEN GROUPING(district) = 0 THEN 'district' WHEN GROUPING(channel) = 0 THEN 'channel' ELSE 'all' END,
    coalesce(department_id::text, category_code, district, channel, ''),
    ${sums}
  FROM ${from}
  GROUP BY GROUPING SETS ((${period}), (${period}, department_id), (${period}, category_code), (${period}, district), (${period}, channel))`;

/** The first day of a day's month (a date cast to timestamp: no session zone involved). */
const MONTH_OF_DAY = `date_trunc('month', day::timestamp)::date`;

/** INSERT the open-assignment copy of assignment row `s` joined to its appeal `a` (FROM … follows). */
const insertOpen = (
  s: string,
) => `INSERT INTO report_open_assignments (assignment_id, appeal_id, created_at, department_id, category_code, district,
    channel, role, status, ack_due_at, reply_due_at, contact_due_at, staged_due_at)
  SELECT ${s}.id, a.id, a.created_at, ${s}.department_id, a.category_code, coalesce(a.district, ''), a.channel,
    ${s}.role, ${s}.status, ${s}.ack_due_at, ${s}.reply_due_at, ${pendingContactDue(s)}, ${pendingStagedDue(s)}`;

/** A SQL string literal. */
function sqlLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** sha256 of the definitions (in the default zone): what a migration that applies them records. */
export function reportSqlDigest(): string {
  const text = reportSqlDefinitions(DEFAULT_REPORT_TIME_ZONE)
    .map((d) => d.sql)
    .join(';\n');
  return createHash('sha256').update(text).digest('hex');
}

// ---- the definitions -------------------------------------------------------------------------------

export interface SqlDefinition {
  kind: 'function' | 'trigger';
  name: string;
  /** CREATE OR REPLACE …: applying it again changes nothing */
  sql: string;
}

const fn = (name: string, sql: string): SqlDefinition => ({ kind: 'function', name, sql });
/** A PL/pgSQL function; `body` is what stands between `AS $$` and `END $$`. */
const plpgsql = (name: string, args: string, returns: string, body: string) =>
  fn(
    name,
    `
CREATE OR REPLACE FUNCTION ${name}(${args}) RETURNS ${returns} LANGUAGE plpgsql AS $$
${body}
END $$`,
  );
const trigger = (
  name: string,
  when: string,
  table: string,
  func: string,
  condition?: string,
): SqlDefinition => ({
  kind: 'trigger',
  name,
  sql: `CREATE OR REPLACE TRIGGER ${name} AFTER ${when} ON ${table} FOR EACH ROW${condition ? ` WHEN (${condition})` : ''} EXECUTE FUNCTION ${func}()`,
});

/**
 * An UPDATE trigger's condition: one of these columns changed. An update that changes none of the
 * columns a function reads (an appeal's version and event head, a timer's fired mark) never calls it:
 * PostgreSQL evaluates the condition on the row and queues nothing.
 */
const changed = (columns: readonly string[]) =>
  `(${columns.map((c) => `OLD.${c}`).join(', ')}) IS DISTINCT FROM (${columns.map((c) => `NEW.${c}`).join(', ')})`;
/** The columns that key an appeal's counters in the rollups (its day, category, district, channel). */
const APPEAL_KEYS = ['created_at', 'category_code', 'district', 'channel'];
/** What a row hanging off an appeal is keyed by besides its appeal's keys. */
const CHILD_KEYS = ['appeal_id', 'department_id'];
/** What the open-assignment copy holds of an assignment (report_open_assignment). */
const OPEN_ASSIGNMENT_COLUMNS = [
  'status',
  'ack_due_at',
  'reply_due_at',
  'department_id',
  'role',
  'appeal_id',
  'contact_due_at',
  'contacted_at',
  'staged_due_at',
  'staged_replied_at',
];

/** The rollups' local days are days of this zone (TZ_CALENDAR, set by the migration runner). */
export function reportTimeZoneFunction(timeZone: string): SqlDefinition {
  return fn(
    'report_time_zone',
    `CREATE OR REPLACE FUNCTION report_time_zone() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT ${sqlLiteral(timeZone)}::text $$`,
  );
}

const reportDay = fn(
  'report_day',
  `CREATE OR REPLACE FUNCTION report_day(ts timestamptz) RETURNS date LANGUAGE sql IMMUTABLE AS $$ SELECT (ts AT TIME ZONE report_time_zone())::date $$`,
);

/** INSERT one delta: key expressions, then the vector difference n - o (either may be NULL = zeros) */
const reportPut = plpgsql(
  'report_put',
  'd date, dept uuid, cat text, dist text, chan text, n bigint[], o bigint[]',
  'void',
  `DECLARE v bigint[] := ${array(COUNTERS.map((_, i) => `coalesce(n[${i + 1}], 0) - coalesce(o[${i + 1}], 0)`))};
BEGIN
  IF v = ${zeroArray} THEN RETURN; END IF;
  INSERT INTO report_deltas (day, department_id, category_code, district, channel, ${cols})
  VALUES (d, coalesce(dept, ${NIL}), cat, coalesce(dist, ''), chan, ${COUNTERS.map((_, i) => `v[${i + 1}]`).join(', ')});`,
);

/**
 * A row trigger that writes counter deltas: o and n are the row's counter vectors before and after
 * (NULL where there is no such row), then `body` puts their difference under the right keys.
 */
const deltaTrigger = (name: string, local: string, vector: (alias: string) => string, body: string) =>
  plpgsql(
    name,
    '',
    'trigger',
    `DECLARE o bigint[]; n bigint[]; ${local};
BEGIN
  IF TG_OP <> 'INSERT' THEN o := ${vector('OLD')}; END IF;
  IF TG_OP <> 'DELETE' THEN n := ${vector('NEW')}; END IF;
${body}
  RETURN NULL;`,
  );

/** An appeal row changed: its counters' delta; a change of day or key also re-keys its assignments' and
 *  supervisions' counters. */
const appealsDelta = deltaTrigger(
  'report_appeals_delta',
  'moved boolean',
  appealArray,
  `  IF TG_OP = 'UPDATE' THEN
    moved := report_day(OLD.created_at) <> report_day(NEW.created_at) OR OLD.category_code <> NEW.category_code
      OR OLD.district IS DISTINCT FROM NEW.district OR OLD.channel <> NEW.channel;
    IF NOT moved AND OLD.lead_department_id IS NOT DISTINCT FROM NEW.lead_department_id THEN
      IF o <> n THEN
        PERFORM report_put(report_day(NEW.created_at), NEW.lead_department_id, NEW.category_code, NEW.district, NEW.channel, n, o);
      END IF;
      RETURN NULL;
    END IF;
    IF moved THEN
      -- the assignments' counters carry the appeal's day, category, district and channel: re-key them
      PERFORM report_put(report_day(OLD.created_at), s.department_id, OLD.category_code, OLD.district, OLD.channel, NULL, ${assignmentArray('s')})
        FROM assignments s WHERE s.appeal_id = OLD.id;
      PERFORM report_put(report_day(NEW.created_at), s.department_id, NEW.category_code, NEW.district, NEW.channel, ${assignmentArray('s')}, NULL)
        FROM assignments s WHERE s.appeal_id = NEW.id;
      PERFORM report_put(report_day(OLD.created_at), v.department_id, OLD.category_code, OLD.district, OLD.channel, NULL, ${supervisionArray('v')})
        FROM supervisions v WHERE v.appeal_id = OLD.id;
      PERFORM report_put(report_day(NEW.created_at), v.department_id, NEW.category_code, NEW.district, NEW.channel, ${supervisionArray('v')}, NULL)
        FROM supervisions v WHERE v.appeal_id = NEW.id;
      PERFORM report_put(report_day(OLD.created_at), p.department_id, OLD.category_code, OLD.district, OLD.channel, NULL, ${planArray('p')})
        FROM plans p WHERE p.appeal_id = OLD.id;
      PERFORM report_put(report_day(NEW.created_at), p.department_id, NEW.category_code, NEW.district, NEW.channel, ${planArray('p')}, NULL)
        FROM plans p WHERE p.appeal_id = NEW.id;
    END IF;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM report_put(report_day(OLD.created_at), OLD.lead_department_id, OLD.category_code, OLD.district, OLD.channel, NULL, o);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM report_put(report_day(NEW.created_at), NEW.lead_department_id, NEW.category_code, NEW.district, NEW.channel, n, NULL);
  END IF;`,
);

/**
 * A row of a table hanging off an appeal (appeal_id, department_id) changed: its counters' delta, keyed
 * by its department and its appeal's day and keys.
 */
const childDelta = (name: string, vector: (alias: string) => string) =>
  deltaTrigger(
    name,
    'ap record',
    vector,
    `  IF TG_OP = 'UPDATE' AND OLD.appeal_id = NEW.appeal_id AND OLD.department_id IS NOT DISTINCT FROM NEW.department_id THEN
    IF o = n THEN RETURN NULL; END IF;
    SELECT created_at, category_code, district, channel INTO ap FROM appeals WHERE id = NEW.appeal_id;
    PERFORM report_put(report_day(ap.created_at), NEW.department_id, ap.category_code, ap.district, ap.channel, n, o);
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' AND o <> ${zeroArray} THEN
    SELECT created_at, category_code, district, channel INTO ap FROM appeals WHERE id = OLD.appeal_id;
    PERFORM report_put(report_day(ap.created_at), OLD.department_id, ap.category_code, ap.district, ap.channel, NULL, o);
  END IF;
  IF TG_OP <> 'DELETE' AND n <> ${zeroArray} THEN
    SELECT created_at, category_code, district, channel INTO ap FROM appeals WHERE id = NEW.appeal_id;
    PERFORM report_put(report_day(ap.created_at), NEW.department_id, ap.category_code, ap.district, ap.channel, n, NULL);
  END IF;`,
  );

/** An assignment row changed: its counters' delta, keyed by its department and its appeal's day and keys. */
const assignmentsDelta = childDelta('report_assignments_delta', assignmentArray);
/** A supervision row changed: its counters' delta, keyed by the supervised department (nil when none). */
const supervisionsDelta = childDelta('report_supervisions_delta', supervisionArray);
/** A plan row changed: its counters' delta, keyed by the plan's department (SPEC §9.3). */
const plansDelta = childDelta('report_plans_delta', planArray);

/**
 * The monthly rollup summed from the narrow daily one (report_rebuild_rollups, and the migration that
 * introduced it): a few rows per day and dimension value, whatever the number of appeals.
 */
export const monthFromDays = `INSERT INTO report_rollup_month (month, dim, dim_value, ${cols})
  SELECT ${MONTH_OF_DAY}, dim, dim_value, ${sums} FROM report_rollup_dim GROUP BY 1, 2, 3`;

/** One statement: every delta leaves report_deltas and lands in the three rollups, atomically. */
const fold = fn(
  'report_fold',
  `
CREATE OR REPLACE FUNCTION report_fold() RETURNS bigint LANGUAGE sql AS $$
  WITH moved AS (DELETE FROM report_deltas RETURNING *),
  full_up AS (
    INSERT INTO report_rollup_full AS t (day, department_id, category_code, district, channel, ${cols})
    SELECT day, department_id, category_code, district, channel, ${sums} FROM moved
    GROUP BY day, department_id, category_code, district, channel
    ON CONFLICT (day, department_id, category_code, district, channel) DO UPDATE SET ${addExisting}
    RETURNING 1
  ),
  dim_up AS (
    INSERT INTO report_rollup_dim AS t (day, dim, dim_value, ${cols}) ${dimSelect('moved')}
    ON CONFLICT (day, dim, dim_value) DO UPDATE SET ${addExisting}
    RETURNING 1
  ),
  month_up AS (
    INSERT INTO report_rollup_month AS t (month, dim, dim_value, ${cols}) ${dimSelect('moved', MONTH_OF_DAY)}
    ON CONFLICT (month, dim, dim_value) DO UPDATE SET ${addExisting}
    RETURNING 1
  )
  SELECT count(*) + 0 * (SELECT count(*) FROM full_up) + 0 * (SELECT count(*) FROM dim_up)
    + 0 * (SELECT count(*) FROM month_up) FROM moved
$$`,
);

/**
 * Truncates and recomputes the rollups from appeals, assignments, supervisions and plans, holding off
 * writers meanwhile: the full one from the rows, the narrow one from the full one, the monthly one from
 * the narrow one.
 */
const rebuildRollups = plpgsql(
  'report_rebuild_rollups',
  '',
  'bigint',
  `DECLARE n bigint;
BEGIN
  LOCK TABLE report_deltas, report_rollup_full, report_rollup_dim, report_rollup_month IN ACCESS EXCLUSIVE MODE;
  TRUNCATE report_deltas, report_rollup_full, report_rollup_dim, report_rollup_month;
  INSERT INTO report_rollup_full (day, department_id, category_code, district, channel, ${cols})
  SELECT day, department_id, category_code, district, channel, ${sums} FROM (
    SELECT report_day(r.created_at) AS day, coalesce(r.lead_department_id, ${NIL}) AS department_id, r.category_code,
      coalesce(r.district, '') AS district, r.channel, ${appealVector(appealRow('r'))
        .map((e, i) => `${e} AS ${COUNTERS[i].column}`)
        .join(', ')}
    FROM appeals r
    UNION ALL
    SELECT report_day(r.created_at), s.department_id, r.category_code, coalesce(r.district, ''), r.channel,
      ${assignmentVector(assignmentRow('s')).join(', ')}
    FROM assignments s JOIN appeals r ON r.id = s.appeal_id
    UNION ALL
    SELECT report_day(r.created_at), coalesce(v.department_id, ${NIL}), r.category_code, coalesce(r.district, ''), r.channel,
      ${supervisionVector(supervisionRow('v')).join(', ')}
    FROM supervisions v JOIN appeals r ON r.id = v.appeal_id
    UNION ALL
    SELECT report_day(r.created_at), p.department_id, r.category_code, coalesce(r.district, ''), r.channel,
      ${planVector(planRow('p')).join(', ')}
    FROM plans p JOIN appeals r ON r.id = p.appeal_id
  ) x GROUP BY day, department_id, category_code, district, channel;
  GET DIAGNOSTICS n = ROW_COUNT;
  INSERT INTO report_rollup_dim (day, dim, dim_value, ${cols}) ${dimSelect('report_rollup_full')};
  ${monthFromDays};
  RETURN n;`,
);

/** Keeps report_open_assignments: one row per open assignment with its appeal's keys. */
const openAssignment = plpgsql(
  'report_open_assignment',
  '',
  'trigger',
  `BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status IS NOT DISTINCT FROM NEW.status AND OLD.ack_due_at = NEW.ack_due_at
     AND OLD.reply_due_at = NEW.reply_due_at AND OLD.department_id = NEW.department_id AND OLD.role = NEW.role
     AND OLD.appeal_id = NEW.appeal_id
     AND OLD.contact_due_at IS NOT DISTINCT FROM NEW.contact_due_at AND OLD.contacted_at IS NOT DISTINCT FROM NEW.contacted_at
     AND OLD.staged_due_at IS NOT DISTINCT FROM NEW.staged_due_at
     AND OLD.staged_replied_at IS NOT DISTINCT FROM NEW.staged_replied_at THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' OR NEW.status NOT IN ${OPEN} THEN
    IF TG_OP <> 'INSERT' THEN DELETE FROM report_open_assignments WHERE assignment_id = OLD.id; END IF;
    RETURN NULL;
  END IF;
  ${insertOpen('NEW')}
  FROM appeals a WHERE a.id = NEW.appeal_id
  ON CONFLICT (assignment_id) DO UPDATE SET appeal_id = EXCLUDED.appeal_id, created_at = EXCLUDED.created_at,
    department_id = EXCLUDED.department_id, category_code = EXCLUDED.category_code, district = EXCLUDED.district,
    channel = EXCLUDED.channel, role = EXCLUDED.role, status = EXCLUDED.status, ack_due_at = EXCLUDED.ack_due_at,
    reply_due_at = EXCLUDED.reply_due_at, contact_due_at = EXCLUDED.contact_due_at,
    staged_due_at = EXCLUDED.staged_due_at;
  RETURN NULL;`,
);

/** An appeal's day, category, district or channel changed: its open assignments follow. */
const openAppeal = plpgsql(
  'report_open_appeal',
  '',
  'trigger',
  `BEGIN
  IF OLD.created_at = NEW.created_at AND OLD.category_code = NEW.category_code
     AND OLD.district IS NOT DISTINCT FROM NEW.district AND OLD.channel = NEW.channel THEN
    RETURN NULL;
  END IF;
  UPDATE report_open_assignments SET created_at = NEW.created_at, category_code = NEW.category_code,
    district = coalesce(NEW.district, ''), channel = NEW.channel
  WHERE appeal_id = NEW.id;
  RETURN NULL;`,
);

/** The rollups and the open-assignment copy from scratch (operations; bulk loads with triggers off). */
const rebuild = plpgsql(
  'report_rebuild',
  '',
  'bigint',
  `DECLARE n bigint;
BEGIN
  LOCK TABLE report_deltas, report_rollup_full, report_rollup_dim, report_rollup_month, report_open_assignments
    IN ACCESS EXCLUSIVE MODE;
  n := report_rebuild_rollups();
  TRUNCATE report_open_assignments;
  ${insertOpen('s')}
  FROM assignments s JOIN appeals a ON a.id = s.appeal_id WHERE s.status IN ${OPEN};
  RETURN n;`,
);

/**
 * Inserts and deletes always count; an update only when it changes what the function reads (a trigger
 * with a condition on OLD and NEW serves one event only, hence two triggers per function).
 */
const ROW_IN_OR_OUT = 'INSERT OR DELETE';

/**
 * Every report function and trigger, in an order that creates each before its first use; the
 * functions are all the database's report_* functions, the triggers all that call them.
 */
export function reportSqlDefinitions(timeZone: string): SqlDefinition[] {
  return [
    reportTimeZoneFunction(timeZone),
    reportDay,
    reportPut,
    appealsDelta,
    assignmentsDelta,
    supervisionsDelta,
    plansDelta,
    fold,
    rebuildRollups,
    openAssignment,
    openAppeal,
    rebuild,
    trigger('trg_appeals_report', ROW_IN_OR_OUT, 'appeals', 'report_appeals_delta'),
    trigger(
      'trg_appeals_report_update',
      'UPDATE',
      'appeals',
      'report_appeals_delta',
      changed([...APPEAL_COLUMNS, ...APPEAL_KEYS, 'lead_department_id']),
    ),
    trigger('trg_assignments_report', ROW_IN_OR_OUT, 'assignments', 'report_assignments_delta'),
    trigger(
      'trg_assignments_report_update',
      'UPDATE',
      'assignments',
      'report_assignments_delta',
      changed([...ASSIGNMENT_COLUMNS, ...CHILD_KEYS]),
    ),
    trigger('trg_supervisions_report', ROW_IN_OR_OUT, 'supervisions', 'report_supervisions_delta'),
    trigger(
      'trg_supervisions_report_update',
      'UPDATE',
      'supervisions',
      'report_supervisions_delta',
      changed([...SUPERVISION_COLUMNS, ...CHILD_KEYS]),
    ),
    trigger('trg_plans_report', ROW_IN_OR_OUT, 'plans', 'report_plans_delta'),
    trigger(
      'trg_plans_report_update',
      'UPDATE',
      'plans',
      'report_plans_delta',
      changed([...PLAN_COLUMNS, ...CHILD_KEYS]),
    ),
    trigger('trg_assignments_report_open', ROW_IN_OR_OUT, 'assignments', 'report_open_assignment'),
    trigger(
      'trg_assignments_report_open_update',
      'UPDATE',
      'assignments',
      'report_open_assignment',
      changed(OPEN_ASSIGNMENT_COLUMNS),
    ),
    trigger('trg_appeals_report_open', 'UPDATE', 'appeals', 'report_open_appeal', changed(APPEAL_KEYS)),
  ];
}
