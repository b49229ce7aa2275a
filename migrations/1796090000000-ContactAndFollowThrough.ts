import { MigrationInterface, QueryRunner } from 'typeorm';
import { REPORT_SQL_1796048538137 } from './frozen/1796048538137-report-sql';
import { REPORT_SQL_1796090000000 } from './frozen/1796090000000-report-sql';

/**
 * Contact and follow-through (SPEC §9.1, §9.2): contact attempts and staged replies, the lead
 * assignment's contact and staged-reply deadlines with their timers and recorded verdicts, the survey's
 * "were you contacted?", the SLA policy fields `contact_within` / `staged_reply_within` (seeded: the
 * enterprise policies contact within PT1H working, the urgent one PT30M natural; new complaint and help
 * policies, normal urgency, with the default's figures and a staged reply within P3D working), the new
 * report counters and the open-assignment copy's pending contact and staged-reply deadlines.
 *
 * The report definitions of src/modules/reports/report-counters.sql.ts, as they were then (frozen in
 * migrations/frozen/1796090000000-report-sql.ts), are applied again and the
 * rollups rebuilt (new counters start from the rows already there). Existing assignments keep no
 * contact or staged deadline: only dispatches from now on get them.
 */

/** reportSqlDigest() of the definitions this migration applies (see report-counters.sql.ts). */
export const REPORT_SQL_DIGEST = '2a37e39d639955c28b20dd9309d6b20e540caa92ffc2b438dd1dd9e95de073d1';

export class ContactAndFollowThrough1796090000000 implements MigrationInterface {
  name = 'ContactAndFollowThrough1796090000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "contact_attempts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "appeal_id" uuid NOT NULL, "assignment_id" uuid NOT NULL, "department_id" uuid NOT NULL, "method" character varying(16) NOT NULL, "outcome" character varying(16) NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "note" text, "logged_by" uuid NOT NULL, "logged_role" character varying(16) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_contact_attempts_outcome" CHECK ("outcome" IN ('reached','unreachable','left_message')), CONSTRAINT "ck_contact_attempts_method" CHECK ("method" IN ('phone','sms','visit','online','three_way_call')), CONSTRAINT "PK_6c99688e7d639dca8dd04378c90" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_contact_attempts_assignment" ON "contact_attempts"  ("assignment_id", "at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_contact_attempts_appeal" ON "contact_attempts"  ("appeal_id", "at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "staged_replies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "appeal_id" uuid NOT NULL, "assignment_id" uuid NOT NULL, "department_id" uuid NOT NULL, "content" text NOT NULL, "next_feedback_at" TIMESTAMP WITH TIME ZONE, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_2e0d55c6b9ea8cd066f06e4ce2f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_staged_replies_appeal" ON "staged_replies"  ("appeal_id", "created_at") `,
    );
    await queryRunner.query(`ALTER TABLE "appeals" ADD "latest_contacted" boolean`);
    await queryRunner.query(`ALTER TABLE "assignments" ADD "contact_due_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "assignments" ADD "contact_warn_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "assignments" ADD "contact_warn_fired_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `ALTER TABLE "assignments" ADD "contact_overdue_fired_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(`ALTER TABLE "assignments" ADD "contacted_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "assignments" ADD "contacted_on_time" boolean`);
    await queryRunner.query(`ALTER TABLE "assignments" ADD "staged_due_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `ALTER TABLE "assignments" ADD "staged_overdue_fired_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(`ALTER TABLE "assignments" ADD "staged_replied_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "assignments" ADD "staged_on_time" boolean`);
    await queryRunner.query(`ALTER TABLE "surveys" ADD "contacted" boolean`);
    await queryRunner.query(`ALTER TABLE "sla_policies" ADD "contact_within" character varying(32)`);
    await queryRunner.query(`ALTER TABLE "sla_policies" ADD "staged_reply_within" character varying(32)`);
    await queryRunner.query(`ALTER TABLE "report_deltas" ADD "contact_on_time" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "report_deltas" ADD "contact_due" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "report_deltas" ADD "staged_on_time" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "report_deltas" ADD "staged_due" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "report_deltas" ADD "contact_asked" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(
      `ALTER TABLE "report_deltas" ADD "contact_confirmed" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_full" ADD "contact_on_time" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_full" ADD "contact_due" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_full" ADD "staged_on_time" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(`ALTER TABLE "report_rollup_full" ADD "staged_due" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(
      `ALTER TABLE "report_rollup_full" ADD "contact_asked" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_full" ADD "contact_confirmed" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_dim" ADD "contact_on_time" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" ADD "contact_due" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(
      `ALTER TABLE "report_rollup_dim" ADD "staged_on_time" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" ADD "staged_due" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(
      `ALTER TABLE "report_rollup_dim" ADD "contact_asked" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_dim" ADD "contact_confirmed" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_open_assignments" ADD "contact_due_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_open_assignments" ADD "staged_due_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_assignments_pending_staged" ON "assignments"  ("staged_due_at") WHERE "status" IN ('dispatched','in_progress') AND "staged_replied_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_assignments_pending_contact" ON "assignments"  ("contact_due_at") WHERE "status" IN ('dispatched','in_progress') AND "contacted_at" IS NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "contact_attempts" ADD CONSTRAINT "fk_contact_attempts_appeal" FOREIGN KEY ("appeal_id") REFERENCES "appeals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "contact_attempts" ADD CONSTRAINT "fk_contact_attempts_assignment" FOREIGN KEY ("assignment_id") REFERENCES "assignments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "staged_replies" ADD CONSTRAINT "fk_staged_replies_appeal" FOREIGN KEY ("appeal_id") REFERENCES "appeals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "staged_replies" ADD CONSTRAINT "fk_staged_replies_assignment" FOREIGN KEY ("assignment_id") REFERENCES "assignments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // ---- hand-written
    // SPEC §9.1: the seeded enterprise policies contact within one working hour, the urgent one 30 minutes
    await queryRunner.query(`UPDATE sla_policies SET contact_within = CASE WHEN urgency = 'urgent' THEN 'PT30M' ELSE 'PT1H' END
            WHERE created_at IN ('2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', '2026-01-01T00:00:02Z') AND category_code IS NULL`);
    // SPEC §9.2: complaints and requests for help get a staged reply within three working days (Zhongshan)
    await queryRunner.query(`INSERT INTO "sla_policies"
            ("name", "category_code", "type", "urgency", "clock", "ack_within", "reply_within", "warn_at", "survey_within", "contact_within", "staged_reply_within", "created_at") VALUES
            ('投诉: 1小时内联系企业, 3个工作日内阶段性答复, 5个工作日内答复 (中山)', NULL, 'complaint', 'normal', 'working', 'P1D', 'P5D', 0.8, 'P3D', 'PT1H', 'P3D', '2026-01-01T00:00:03Z'),
            ('求助: 1小时内联系企业, 3个工作日内阶段性答复, 5个工作日内答复 (中山)', NULL, 'help', 'normal', 'working', 'P1D', 'P5D', 0.8, 'P3D', 'PT1H', 'P3D', '2026-01-01T00:00:04Z')`);
    for (const d of REPORT_SQL_1796090000000) await queryRunner.query(d.sql);
    await queryRunner.query(`SELECT report_rebuild()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // the report SQL as the AssessmentRules migration left it, before the columns it no longer reads go
    for (const d of REPORT_SQL_1796048538137) await queryRunner.query(d.sql);
    await queryRunner.query(
      `DELETE FROM sla_policies WHERE created_at IN ('2026-01-01T00:00:03Z', '2026-01-01T00:00:04Z') AND category_code IS NULL`,
    );
    await queryRunner.query(`ALTER TABLE "staged_replies" DROP CONSTRAINT "fk_staged_replies_assignment"`);
    await queryRunner.query(`ALTER TABLE "staged_replies" DROP CONSTRAINT "fk_staged_replies_appeal"`);
    await queryRunner.query(
      `ALTER TABLE "contact_attempts" DROP CONSTRAINT "fk_contact_attempts_assignment"`,
    );
    await queryRunner.query(`ALTER TABLE "contact_attempts" DROP CONSTRAINT "fk_contact_attempts_appeal"`);
    await queryRunner.query(`DROP INDEX "public"."ix_assignments_pending_contact"`);
    await queryRunner.query(`DROP INDEX "public"."ix_assignments_pending_staged"`);
    await queryRunner.query(`ALTER TABLE "report_open_assignments" DROP COLUMN "staged_due_at"`);
    await queryRunner.query(`ALTER TABLE "report_open_assignments" DROP COLUMN "contact_due_at"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" DROP COLUMN "contact_confirmed"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" DROP COLUMN "contact_asked"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" DROP COLUMN "staged_due"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" DROP COLUMN "staged_on_time"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" DROP COLUMN "contact_due"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" DROP COLUMN "contact_on_time"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" DROP COLUMN "contact_confirmed"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" DROP COLUMN "contact_asked"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" DROP COLUMN "staged_due"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" DROP COLUMN "staged_on_time"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" DROP COLUMN "contact_due"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" DROP COLUMN "contact_on_time"`);
    await queryRunner.query(`ALTER TABLE "report_deltas" DROP COLUMN "contact_confirmed"`);
    await queryRunner.query(`ALTER TABLE "report_deltas" DROP COLUMN "contact_asked"`);
    await queryRunner.query(`ALTER TABLE "report_deltas" DROP COLUMN "staged_due"`);
    await queryRunner.query(`ALTER TABLE "report_deltas" DROP COLUMN "staged_on_time"`);
    await queryRunner.query(`ALTER TABLE "report_deltas" DROP COLUMN "contact_due"`);
    await queryRunner.query(`ALTER TABLE "report_deltas" DROP COLUMN "contact_on_time"`);
    await queryRunner.query(`ALTER TABLE "sla_policies" DROP COLUMN "staged_reply_within"`);
    await queryRunner.query(`ALTER TABLE "sla_policies" DROP COLUMN "contact_within"`);
    await queryRunner.query(`ALTER TABLE "surveys" DROP COLUMN "contacted"`);
    await queryRunner.query(`ALTER TABLE "assignments" DROP COLUMN "staged_on_time"`);
    await queryRunner.query(`ALTER TABLE "assignments" DROP COLUMN "staged_replied_at"`);
    await queryRunner.query(`ALTER TABLE "assignments" DROP COLUMN "staged_overdue_fired_at"`);
    await queryRunner.query(`ALTER TABLE "assignments" DROP COLUMN "staged_due_at"`);
    await queryRunner.query(`ALTER TABLE "assignments" DROP COLUMN "contacted_on_time"`);
    await queryRunner.query(`ALTER TABLE "assignments" DROP COLUMN "contacted_at"`);
    await queryRunner.query(`ALTER TABLE "assignments" DROP COLUMN "contact_overdue_fired_at"`);
    await queryRunner.query(`ALTER TABLE "assignments" DROP COLUMN "contact_warn_fired_at"`);
    await queryRunner.query(`ALTER TABLE "assignments" DROP COLUMN "contact_warn_at"`);
    await queryRunner.query(`ALTER TABLE "assignments" DROP COLUMN "contact_due_at"`);
    await queryRunner.query(`ALTER TABLE "appeals" DROP COLUMN "latest_contacted"`);
    await queryRunner.query(`DROP INDEX "public"."ix_staged_replies_appeal"`);
    await queryRunner.query(`DROP TABLE "staged_replies"`);
    await queryRunner.query(`DROP INDEX "public"."ix_contact_attempts_appeal"`);
    await queryRunner.query(`DROP INDEX "public"."ix_contact_attempts_assignment"`);
    await queryRunner.query(`DROP TABLE "contact_attempts"`);
    await queryRunner.query(`SELECT report_rebuild()`);
  }
}
