import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports: the open assignments with their appeal's keys (report_open_assignments), kept by row
 * triggers, so the "now"-dependent parts of a report read a small table instead of joining every
 * open assignment to appeals (that join was ~0.45 s at 10 M appeals with 64 k open assignments).
 * report_rebuild() now also rebuilds this table (the rollup part is kept as report_rebuild_rollups()).
 */

const OPEN = `('dispatched','in_progress')`;

const assignmentsOpen = `
CREATE FUNCTION report_open_assignment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status IS NOT DISTINCT FROM NEW.status AND OLD.ack_due_at = NEW.ack_due_at
     AND OLD.reply_due_at = NEW.reply_due_at AND OLD.department_id = NEW.department_id AND OLD.role = NEW.role
     AND OLD.appeal_id = NEW.appeal_id THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' OR NEW.status NOT IN ${OPEN} THEN
    IF TG_OP <> 'INSERT' THEN DELETE FROM report_open_assignments WHERE assignment_id = OLD.id; END IF;
    RETURN NULL;
  END IF;
  INSERT INTO report_open_assignments (assignment_id, appeal_id, created_at, department_id, category_code, district,
    channel, role, status, ack_due_at, reply_due_at)
  SELECT NEW.id, a.id, a.created_at, NEW.department_id, a.category_code, coalesce(a.district, ''), a.channel,
    NEW.role, NEW.status, NEW.ack_due_at, NEW.reply_due_at
  FROM appeals a WHERE a.id = NEW.appeal_id
  ON CONFLICT (assignment_id) DO UPDATE SET appeal_id = EXCLUDED.appeal_id, created_at = EXCLUDED.created_at,
    department_id = EXCLUDED.department_id, category_code = EXCLUDED.category_code, district = EXCLUDED.district,
    channel = EXCLUDED.channel, role = EXCLUDED.role, status = EXCLUDED.status, ack_due_at = EXCLUDED.ack_due_at,
    reply_due_at = EXCLUDED.reply_due_at;
  RETURN NULL;
END $$`;

/** an appeal's day, category, district or channel changed: its open assignments follow */
const appealsOpen = `
CREATE FUNCTION report_open_appeal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.created_at = NEW.created_at AND OLD.category_code = NEW.category_code
     AND OLD.district IS NOT DISTINCT FROM NEW.district AND OLD.channel = NEW.channel THEN
    RETURN NULL;
  END IF;
  UPDATE report_open_assignments SET created_at = NEW.created_at, category_code = NEW.category_code,
    district = coalesce(NEW.district, ''), channel = NEW.channel
  WHERE appeal_id = NEW.id;
  RETURN NULL;
END $$`;

const rebuild = `
CREATE FUNCTION report_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
  LOCK TABLE report_deltas, report_rollup_full, report_rollup_dim, report_open_assignments IN ACCESS EXCLUSIVE MODE;
  n := report_rebuild_rollups();
  TRUNCATE report_open_assignments;
  INSERT INTO report_open_assignments (assignment_id, appeal_id, created_at, department_id, category_code, district,
    channel, role, status, ack_due_at, reply_due_at)
  SELECT s.id, a.id, a.created_at, s.department_id, a.category_code, coalesce(a.district, ''), a.channel,
    s.role, s.status, s.ack_due_at, s.reply_due_at
  FROM assignments s JOIN appeals a ON a.id = s.appeal_id WHERE s.status IN ${OPEN};
  RETURN n;
END $$`;

export class ReportsOpenAssignments1795536404729 implements MigrationInterface {
  name = 'ReportsOpenAssignments1795536404729';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "report_open_assignments" ("assignment_id" uuid NOT NULL, "appeal_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "department_id" uuid NOT NULL, "category_code" character varying(32) NOT NULL, "district" character varying(64) NOT NULL, "channel" character varying(16) NOT NULL, "role" character varying(4) NOT NULL, "status" character varying(16) NOT NULL, "ack_due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "reply_due_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_f9a9dbbbbb8ccf2b9d47ae1985d" PRIMARY KEY ("assignment_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_report_open_assignments_appeal" ON "report_open_assignments"  ("appeal_id") `,
    );
    // ---- hand-written
    await queryRunner.query(assignmentsOpen);
    await queryRunner.query(appealsOpen);
    await queryRunner.query(`ALTER FUNCTION report_rebuild() RENAME TO report_rebuild_rollups`);
    await queryRunner.query(rebuild);
    await queryRunner.query(
      `INSERT INTO report_open_assignments (assignment_id, appeal_id, created_at, department_id, category_code, district,
             channel, role, status, ack_due_at, reply_due_at)
           SELECT s.id, a.id, a.created_at, s.department_id, a.category_code, coalesce(a.district, ''), a.channel,
             s.role, s.status, s.ack_due_at, s.reply_due_at
           FROM assignments s JOIN appeals a ON a.id = s.appeal_id WHERE s.status IN ${OPEN}`,
    );
    await queryRunner.query(
      `CREATE TRIGGER trg_assignments_report_open AFTER INSERT OR UPDATE OR DELETE ON assignments FOR EACH ROW EXECUTE FUNCTION report_open_assignment()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER trg_appeals_report_open AFTER UPDATE ON appeals FOR EACH ROW EXECUTE FUNCTION report_open_appeal()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_appeals_report_open ON appeals`);
    await queryRunner.query(`DROP TRIGGER trg_assignments_report_open ON assignments`);
    await queryRunner.query(`DROP FUNCTION report_rebuild()`);
    await queryRunner.query(`ALTER FUNCTION report_rebuild_rollups() RENAME TO report_rebuild`);
    await queryRunner.query(`DROP FUNCTION report_open_appeal()`);
    await queryRunner.query(`DROP FUNCTION report_open_assignment()`);
    await queryRunner.query(`DROP INDEX "public"."ix_report_open_assignments_appeal"`);
    await queryRunner.query(`DROP TABLE "report_open_assignments"`);
  }
}
