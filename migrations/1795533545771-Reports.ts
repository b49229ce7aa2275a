import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports (SPEC §4). Besides the tables TypeORM generated, hand-written SQL:
 *  - report_time_zone(): the local zone of the rollups' days (TZ_CALENDAR; the app re-creates it and
 *    rebuilds when the configured zone differs), report_day(ts) the local date of an instant;
 *  - row triggers on appeals and assignments that write signed counter deltas to report_deltas
 *    (insert-only: no shared row is updated inside a user transaction, so no hot-row contention);
 *  - report_fold(): moves every delta into report_rollup_full and report_rollup_dim in ONE statement;
 *  - report_rebuild(): truncates and recomputes the rollups from the raw rows (operations, bulk loads).
 * The definitions of the counters must match ReportsRepository.raw*() (the consistency test checks it).
 */

const NIL = `'00000000-0000-0000-0000-000000000000'::uuid`;
const COUNTERS = [
  'received',
  'rejected',
  'withdrawn',
  'merged',
  'closed',
  'closed_first',
  'rated',
  'satisfied',
  'resolved',
  'ack_on_time',
  'ack_due',
  'reply_on_time',
  'reply_due',
  'replied_lead',
  'reply_working_seconds',
];
const APPEAL_N = 9; // the first 9 are appeal-level, the other 6 assignment-level
const cols = COUNTERS.join(', ');
const sums = COUNTERS.map((c) => `sum(${c})`).join(', ');
const ENDED = `('completed','returned','cancelled')`;

/** the appeal-level vector of a row (alias r) as SQL expressions, in COUNTERS order */
const appealExprs = (r: string) => [
  '1',
  `(${r}.status = 'rejected')::int`,
  `(${r}.status = 'withdrawn')::int`,
  `(${r}.status = 'merged')::int`,
  `(${r}.status = 'closed')::int`,
  `(${r}.status = 'closed' AND ${r}.reopen_count = 0)::int`,
  `(${r}.latest_satisfaction IS NOT NULL)::int`,
  `coalesce(${r}.latest_satisfaction IN ('satisfied','basically_satisfied'), false)::int`,
  `(${r}.latest_satisfaction IS NOT NULL AND coalesce(${r}.latest_resolved, false))::int`,
];
/** the assignment-level vector of a row (alias s) */
const assignmentExprs = (s: string) => [
  `coalesce(${s}.ack_on_time, false)::int`,
  `(${s}.ack_on_time IS NOT NULL OR coalesce(${s}.acknowledged_at IS NULL AND ${s}.status IN ${ENDED} AND ${s}.ended_at > ${s}.ack_due_at, false))::int`,
  `(${s}.role = 'lead' AND coalesce(${s}.reply_on_time, false))::int`,
  `(${s}.role = 'lead' AND (${s}.reply_on_time IS NOT NULL OR coalesce(${s}.status IN ${ENDED} AND ${s}.ended_at > ${s}.reply_due_at, false)))::int`,
  `(${s}.role = 'lead' AND ${s}.reply_working_seconds IS NOT NULL)::int`,
  `(CASE WHEN ${s}.role = 'lead' THEN coalesce(${s}.reply_working_seconds, 0) ELSE 0 END)::bigint`,
];
const zeros = (n: number) => Array.from({ length: n }, () => '0');
const appealRow = (r: string) => [...appealExprs(r), ...zeros(6)];
const assignmentRow = (s: string) => [...zeros(APPEAL_N), ...assignmentExprs(s)];
const vec = (exprs: string[]) => `ARRAY[${exprs.join(', ')}]::bigint[]`;

/** INSERT one delta: key expressions, then the vector difference n - o (either may be NULL = zeros) */
const putDelta = `
CREATE FUNCTION report_put(d date, dept uuid, cat text, dist text, chan text, n bigint[], o bigint[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE v bigint[] := ARRAY[]::bigint[]; i int; nz boolean := false;
BEGIN
  FOR i IN 1..${COUNTERS.length} LOOP
    v := v || (coalesce(n[i], 0) - coalesce(o[i], 0));
    IF v[i] <> 0 THEN nz := true; END IF;
  END LOOP;
  IF NOT nz THEN RETURN; END IF;
  INSERT INTO report_deltas (day, department_id, category_code, district, channel, ${cols})
  VALUES (d, coalesce(dept, ${NIL}), cat, coalesce(dist, ''), chan, ${COUNTERS.map((_, i) => `v[${i + 1}]`).join(', ')});
END $$`;

const appealsTrigger = `
CREATE FUNCTION report_appeals_delta() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE o bigint[]; n bigint[]; moved boolean;
BEGIN
  IF TG_OP <> 'INSERT' THEN o := ${vec(appealRow('OLD'))}; END IF;
  IF TG_OP <> 'DELETE' THEN n := ${vec(appealRow('NEW'))}; END IF;
  IF TG_OP = 'UPDATE' THEN
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
      PERFORM report_put(report_day(OLD.created_at), s.department_id, OLD.category_code, OLD.district, OLD.channel, NULL, ${vec(assignmentRow('s'))})
        FROM assignments s WHERE s.appeal_id = OLD.id;
      PERFORM report_put(report_day(NEW.created_at), s.department_id, NEW.category_code, NEW.district, NEW.channel, ${vec(assignmentRow('s'))}, NULL)
        FROM assignments s WHERE s.appeal_id = NEW.id;
    END IF;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM report_put(report_day(OLD.created_at), OLD.lead_department_id, OLD.category_code, OLD.district, OLD.channel, NULL, o);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM report_put(report_day(NEW.created_at), NEW.lead_department_id, NEW.category_code, NEW.district, NEW.channel, n, NULL);
  END IF;
  RETURN NULL;
END $$`;

const assignmentsTrigger = `
CREATE FUNCTION report_assignments_delta() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE o bigint[]; n bigint[]; ap record;
BEGIN
  IF TG_OP <> 'INSERT' THEN o := ${vec(assignmentRow('OLD'))}; END IF;
  IF TG_OP <> 'DELETE' THEN n := ${vec(assignmentRow('NEW'))}; END IF;
  IF TG_OP = 'UPDATE' AND OLD.appeal_id = NEW.appeal_id AND OLD.department_id = NEW.department_id THEN
    IF o = n THEN RETURN NULL; END IF;
    SELECT created_at, category_code, district, channel INTO ap FROM appeals WHERE id = NEW.appeal_id;
    PERFORM report_put(report_day(ap.created_at), NEW.department_id, ap.category_code, ap.district, ap.channel, n, o);
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' AND o <> ${vec(zeros(COUNTERS.length))} THEN
    SELECT created_at, category_code, district, channel INTO ap FROM appeals WHERE id = OLD.appeal_id;
    PERFORM report_put(report_day(ap.created_at), OLD.department_id, ap.category_code, ap.district, ap.channel, NULL, o);
  END IF;
  IF TG_OP <> 'DELETE' AND n <> ${vec(zeros(COUNTERS.length))} THEN
    SELECT created_at, category_code, district, channel INTO ap FROM appeals WHERE id = NEW.appeal_id;
    PERFORM report_put(report_day(ap.created_at), NEW.department_id, ap.category_code, ap.district, ap.channel, n, NULL);
  END IF;
  RETURN NULL;
END $$`;

const dimSelect = (from: string) => `
  SELECT day,
    CASE WHEN GROUPING(department_id) = 0 THEN 'department' WHEN GROUPING(category_code) = 0 THEN 'category'
         WHEN GROUPING(district) = 0 THEN 'district' WHEN GROUPING(channel) = 0 THEN 'channel' ELSE 'all' END,
    coalesce(department_id::text, category_code, district, channel, ''),
    ${sums}
  FROM ${from}
  GROUP BY GROUPING SETS ((day), (day, department_id), (day, category_code), (day, district), (day, channel))`;
const addExisting = COUNTERS.map((c) => `${c} = t.${c} + EXCLUDED.${c}`).join(', ');

/** One statement: every delta leaves report_deltas and lands in both rollups, atomically. */
const fold = `
CREATE FUNCTION report_fold() RETURNS bigint LANGUAGE sql AS $$
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
  )
  SELECT count(*) + 0 * (SELECT count(*) FROM full_up) + 0 * (SELECT count(*) FROM dim_up) FROM moved
$$`;

/** Truncates and recomputes both rollups from appeals and assignments, holding off writers meanwhile. */
const rebuild = `
CREATE FUNCTION report_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
  LOCK TABLE report_deltas, report_rollup_full, report_rollup_dim IN ACCESS EXCLUSIVE MODE;
  TRUNCATE report_deltas, report_rollup_full, report_rollup_dim;
  INSERT INTO report_rollup_full (day, department_id, category_code, district, channel, ${cols})
  SELECT day, department_id, category_code, district, channel, ${sums} FROM (
    SELECT report_day(r.created_at) AS day, coalesce(r.lead_department_id, ${NIL}) AS department_id, r.category_code,
      coalesce(r.district, '') AS district, r.channel, ${appealRow('r')
        .map((e, i) => `${e} AS ${COUNTERS[i]}`)
        .join(', ')}
    FROM appeals r
    UNION ALL
    SELECT report_day(r.created_at), s.department_id, r.category_code, coalesce(r.district, ''), r.channel,
      ${assignmentRow('s').join(', ')}
    FROM assignments s JOIN appeals r ON r.id = s.appeal_id
  ) x GROUP BY day, department_id, category_code, district, channel;
  GET DIAGNOSTICS n = ROW_COUNT;
  INSERT INTO report_rollup_dim (day, dim, dim_value, ${cols}) ${dimSelect('report_rollup_full')};
  RETURN n;
END $$`;

export class Reports1795533545771 implements MigrationInterface {
  name = 'Reports1795533545771';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "report_deltas" ("received" integer NOT NULL DEFAULT '0', "rejected" integer NOT NULL DEFAULT '0', "withdrawn" integer NOT NULL DEFAULT '0', "merged" integer NOT NULL DEFAULT '0', "closed" integer NOT NULL DEFAULT '0', "closed_first" integer NOT NULL DEFAULT '0', "rated" integer NOT NULL DEFAULT '0', "satisfied" integer NOT NULL DEFAULT '0', "resolved" integer NOT NULL DEFAULT '0', "ack_on_time" integer NOT NULL DEFAULT '0', "ack_due" integer NOT NULL DEFAULT '0', "reply_on_time" integer NOT NULL DEFAULT '0', "reply_due" integer NOT NULL DEFAULT '0', "replied_lead" integer NOT NULL DEFAULT '0', "reply_working_seconds" bigint NOT NULL DEFAULT '0', "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "day" date NOT NULL, "department_id" uuid NOT NULL, "category_code" character varying(32) NOT NULL, "district" character varying(64) NOT NULL, "channel" character varying(16) NOT NULL, CONSTRAINT "PK_c3807f529bdd30fe85e4db2574b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "report_rollup_full" ("received" integer NOT NULL DEFAULT '0', "rejected" integer NOT NULL DEFAULT '0', "withdrawn" integer NOT NULL DEFAULT '0', "merged" integer NOT NULL DEFAULT '0', "closed" integer NOT NULL DEFAULT '0', "closed_first" integer NOT NULL DEFAULT '0', "rated" integer NOT NULL DEFAULT '0', "satisfied" integer NOT NULL DEFAULT '0', "resolved" integer NOT NULL DEFAULT '0', "ack_on_time" integer NOT NULL DEFAULT '0', "ack_due" integer NOT NULL DEFAULT '0', "reply_on_time" integer NOT NULL DEFAULT '0', "reply_due" integer NOT NULL DEFAULT '0', "replied_lead" integer NOT NULL DEFAULT '0', "reply_working_seconds" bigint NOT NULL DEFAULT '0', "day" date NOT NULL, "department_id" uuid NOT NULL, "category_code" character varying(32) NOT NULL, "district" character varying(64) NOT NULL, "channel" character varying(16) NOT NULL, CONSTRAINT "PK_70ed9c29f1b847e93a02872133e" PRIMARY KEY ("day", "department_id", "category_code", "district", "channel"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_report_rollup_full_category" ON "report_rollup_full"  ("category_code", "day") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_report_rollup_full_department" ON "report_rollup_full"  ("department_id", "day") `,
    );
    await queryRunner.query(
      `CREATE TABLE "report_rollup_dim" ("received" integer NOT NULL DEFAULT '0', "rejected" integer NOT NULL DEFAULT '0', "withdrawn" integer NOT NULL DEFAULT '0', "merged" integer NOT NULL DEFAULT '0', "closed" integer NOT NULL DEFAULT '0', "closed_first" integer NOT NULL DEFAULT '0', "rated" integer NOT NULL DEFAULT '0', "satisfied" integer NOT NULL DEFAULT '0', "resolved" integer NOT NULL DEFAULT '0', "ack_on_time" integer NOT NULL DEFAULT '0', "ack_due" integer NOT NULL DEFAULT '0', "reply_on_time" integer NOT NULL DEFAULT '0', "reply_due" integer NOT NULL DEFAULT '0', "replied_lead" integer NOT NULL DEFAULT '0', "reply_working_seconds" bigint NOT NULL DEFAULT '0', "day" date NOT NULL, "dim" character varying(16) NOT NULL, "dim_value" character varying(64) NOT NULL, CONSTRAINT "ck_report_rollup_dim_dim" CHECK ("dim" IN ('all','department','category','district','channel')), CONSTRAINT "PK_7a7aeeffde195a58da6147f94ab" PRIMARY KEY ("day", "dim", "dim_value"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_report_rollup_dim_value" ON "report_rollup_dim"  ("dim", "dim_value", "day") `,
    );
    await queryRunner.query(
      `CREATE TABLE "report_targets" ("id" smallint NOT NULL, "thresholds" jsonb NOT NULL DEFAULT '{}', "score_weights" jsonb NOT NULL, "min_sample" integer NOT NULL DEFAULT '10', "updated_at" TIMESTAMP WITH TIME ZONE, "updated_by" uuid, CONSTRAINT "ck_report_targets_single" CHECK ("id" = 1), CONSTRAINT "PK_165f150ded090298264d2414e82" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`ALTER TABLE "appeals" ADD "latest_satisfaction" character varying(24)`);
    await queryRunner.query(`ALTER TABLE "appeals" ADD "latest_resolved" boolean`);
    await queryRunner.query(`ALTER TABLE "assignments" ADD "reply_working_seconds" integer`);
    // ---- hand-written: functions, triggers, defaults, backfill
    await queryRunner.query(
      `CREATE FUNCTION report_time_zone() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'Asia/Shanghai'::text $$`,
    );
    await queryRunner.query(
      `CREATE FUNCTION report_day(ts timestamptz) RETURNS date LANGUAGE sql IMMUTABLE AS $$ SELECT (ts AT TIME ZONE report_time_zone())::date $$`,
    );
    await queryRunner.query(putDelta);
    await queryRunner.query(appealsTrigger);
    await queryRunner.query(assignmentsTrigger);
    await queryRunner.query(fold);
    await queryRunner.query(rebuild);
    // existing rows: the latest survey onto its appeal, then the rollups from scratch
    await queryRunner.query(
      `UPDATE appeals a SET latest_satisfaction = l.satisfaction, latest_resolved = l.resolved
           FROM (SELECT DISTINCT ON (appeal_id) appeal_id, satisfaction, resolved FROM surveys ORDER BY appeal_id, created_at DESC, id DESC) l
           WHERE l.appeal_id = a.id`,
    );
    await queryRunner.query(`SELECT report_rebuild()`);
    await queryRunner.query(
      `CREATE TRIGGER trg_appeals_report AFTER INSERT OR UPDATE OR DELETE ON appeals FOR EACH ROW EXECUTE FUNCTION report_appeals_delta()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER trg_assignments_report AFTER INSERT OR UPDATE OR DELETE ON assignments FOR EACH ROW EXECUTE FUNCTION report_assignments_delta()`,
    );
    await queryRunner.query(
      `INSERT INTO report_targets (id, thresholds, score_weights, min_sample) VALUES (1, '{"closureRate": 0.95, "satisfactionRate": 0.96}', '{"responseRate": 0.1, "resolutionRate": 0.5, "satisfactionRate": 0.4}', 10)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_assignments_report ON assignments`);
    await queryRunner.query(`DROP TRIGGER trg_appeals_report ON appeals`);
    await queryRunner.query(`DROP FUNCTION report_rebuild()`);
    await queryRunner.query(`DROP FUNCTION report_fold()`);
    await queryRunner.query(`DROP FUNCTION report_assignments_delta()`);
    await queryRunner.query(`DROP FUNCTION report_appeals_delta()`);
    await queryRunner.query(`DROP FUNCTION report_put(date, uuid, text, text, text, bigint[], bigint[])`);
    await queryRunner.query(`DROP FUNCTION report_day(timestamptz)`);
    await queryRunner.query(`DROP FUNCTION report_time_zone()`);
    await queryRunner.query(`ALTER TABLE "assignments" DROP COLUMN "reply_working_seconds"`);
    await queryRunner.query(`ALTER TABLE "appeals" DROP COLUMN "latest_resolved"`);
    await queryRunner.query(`ALTER TABLE "appeals" DROP COLUMN "latest_satisfaction"`);
    await queryRunner.query(`DROP TABLE "report_targets"`);
    await queryRunner.query(`DROP INDEX "public"."ix_report_rollup_dim_value"`);
    await queryRunner.query(`DROP TABLE "report_rollup_dim"`);
    await queryRunner.query(`DROP INDEX "public"."ix_report_rollup_full_department"`);
    await queryRunner.query(`DROP INDEX "public"."ix_report_rollup_full_category"`);
    await queryRunner.query(`DROP TABLE "report_rollup_full"`);
    await queryRunner.query(`DROP TABLE "report_deltas"`);
  }
}
