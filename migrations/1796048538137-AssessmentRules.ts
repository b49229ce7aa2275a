import { MigrationInterface, QueryRunner } from 'typeorm';
import { REPORT_SQL_1796048538137 } from './frozen/1796048538137-report-sql';
import { REPORT_SQL_1796040141848 } from './frozen/1796040141848-report-sql';

/**
 * The assessment rules (SPEC §7): return requests, assessment appeals and valid return visits, graded
 * supervision records with answer dues and escalation, the three windows as SLA policy fields (seeded
 * defaults as column defaults: every existing policy gets P2D / P3D / P3D on its own clock), and the new
 * report counters. Existing supervisions keep no answer duty (no answer_due_at) and are given the
 * department they concern: the overdue assignment's, else the appeal's lead.
 *
 * The report definitions of src/modules/reports/report-counters.sql.ts are applied again (a supervision
 * trigger, new counters, `rated` / `satisfied` / `resolved` over valid visits) and the rollups are
 * rebuilt, since new counters start from the rows already there. The rebuild holds report writers off
 * for its duration (minutes at 10 M appeals).
 */

/** reportSqlDigest() of the definitions this migration applies (see report-counters.sql.ts). */
export const REPORT_SQL_DIGEST = 'ab23fb1b23fbd83a00080c3ad943762b3c64979dfdd9ba6f13aac33f6260fbf1';

export class AssessmentRules1796048538137 implements MigrationInterface {
  name = 'AssessmentRules1796048538137';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "return_requests" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "appeal_id" uuid NOT NULL, "assignment_id" uuid NOT NULL, "department_id" uuid NOT NULL, "reason" text NOT NULL, "suggested_department_id" uuid, "status" character varying(16) NOT NULL, "requested_by" uuid NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL, "decided_by" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, "decision_note" text, CONSTRAINT "ck_return_requests_status" CHECK ("status" IN ('pending','approved','denied','cancelled')), CONSTRAINT "PK_38714de8942bd9bc3a450a06889" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_return_requests_assignment" ON "return_requests"  ("assignment_id") `,
    );
    await queryRunner.query(`CREATE INDEX "ix_return_requests_appeal" ON "return_requests"  ("appeal_id") `);
    await queryRunner.query(
      `CREATE TABLE "assessment_appeals" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "appeal_id" uuid NOT NULL, "survey_id" uuid NOT NULL, "department_id" uuid NOT NULL, "reason" character varying(24) NOT NULL, "explanation" text NOT NULL, "recontacted" boolean NOT NULL, "status" character varying(16) NOT NULL, "filed_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "decided_by" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, "decision_note" text, CONSTRAINT "ck_assessment_appeals_reason" CHECK ("reason" IN ('beyond_duty','unreasonable_demand','untrue','misrated')), CONSTRAINT "ck_assessment_appeals_status" CHECK ("status" IN ('pending','approved','denied')), CONSTRAINT "PK_c2b5009a73a8fbe6fe0188caa62" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_assessment_appeals_survey" ON "assessment_appeals"  ("survey_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_assessment_appeals_appeal" ON "assessment_appeals"  ("appeal_id") `,
    );
    await queryRunner.query(`ALTER TABLE "appeals" ADD "latest_survey_valid" boolean NOT NULL DEFAULT true`);
    await queryRunner.query(`ALTER TABLE "appeals" ADD "assessment_appeals" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(
      `ALTER TABLE "appeals" ADD "assessment_appeals_approved" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(`ALTER TABLE "assignments" ADD "return_status" character varying(16)`);
    await queryRunner.query(`ALTER TABLE "surveys" ADD "valid" boolean NOT NULL DEFAULT true`);
    await queryRunner.query(`ALTER TABLE "supervisions" ADD "department_id" uuid`);
    await queryRunner.query(
      `ALTER TABLE "supervisions" ADD "level" character varying(16) NOT NULL DEFAULT 'supervision'`,
    );
    await queryRunner.query(
      `ALTER TABLE "supervisions" ADD "status" character varying(16) NOT NULL DEFAULT 'open'`,
    );
    await queryRunner.query(`ALTER TABLE "supervisions" ADD "answer_due_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "supervisions" ADD "answer" text`);
    await queryRunner.query(`ALTER TABLE "supervisions" ADD "answered_by" uuid`);
    await queryRunner.query(`ALTER TABLE "supervisions" ADD "answered_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "supervisions" ADD "answered_on_time" boolean`);
    await queryRunner.query(`ALTER TABLE "supervisions" ADD "escalated_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "supervisions" ADD "escalated_from_id" uuid`);
    await queryRunner.query(`ALTER TABLE "supervisions" ADD "closed_by" uuid`);
    await queryRunner.query(`ALTER TABLE "supervisions" ADD "closed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "supervisions" ADD "close_note" text`);
    await queryRunner.query(
      `ALTER TABLE "sla_policies" ADD "return_within" character varying(32) NOT NULL DEFAULT 'P2D'`,
    );
    await queryRunner.query(
      `ALTER TABLE "sla_policies" ADD "assessment_appeal_within" character varying(32) NOT NULL DEFAULT 'P3D'`,
    );
    await queryRunner.query(
      `ALTER TABLE "sla_policies" ADD "supervision_answer_within" character varying(32) NOT NULL DEFAULT 'P3D'`,
    );
    await queryRunner.query(`ALTER TABLE "report_deltas" ADD "rated_all" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "report_deltas" ADD "satisfied_all" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(
      `ALTER TABLE "report_deltas" ADD "assessment_appeals" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_deltas" ADD "assessment_appeals_approved" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(`ALTER TABLE "report_deltas" ADD "lead_dispatched" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "report_deltas" ADD "lead_returned" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "report_deltas" ADD "returns_denied" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "report_deltas" ADD "supervisions" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(
      `ALTER TABLE "report_deltas" ADD "supervisions_answered_on_time" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_deltas" ADD "supervisions_answer_due" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(`ALTER TABLE "report_deltas" ADD "notices" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" ADD "rated_all" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(
      `ALTER TABLE "report_rollup_full" ADD "satisfied_all" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_full" ADD "assessment_appeals" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_full" ADD "assessment_appeals_approved" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_full" ADD "lead_dispatched" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_full" ADD "lead_returned" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_full" ADD "returns_denied" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_full" ADD "supervisions" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_full" ADD "supervisions_answered_on_time" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_full" ADD "supervisions_answer_due" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(`ALTER TABLE "report_rollup_full" ADD "notices" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" ADD "rated_all" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(
      `ALTER TABLE "report_rollup_dim" ADD "satisfied_all" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_dim" ADD "assessment_appeals" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_dim" ADD "assessment_appeals_approved" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_dim" ADD "lead_dispatched" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_dim" ADD "lead_returned" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_dim" ADD "returns_denied" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_dim" ADD "supervisions" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_dim" ADD "supervisions_answered_on_time" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_dim" ADD "supervisions_answer_due" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" ADD "notices" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_supervisions_escalated_from" ON "supervisions"  ("escalated_from_id") WHERE "escalated_from_id" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_supervisions_answer_due" ON "supervisions"  ("answer_due_at") WHERE "level" = 'supervision' AND "status" = 'open' AND "escalated_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_supervisions_department" ON "supervisions"  ("department_id", "created_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "supervisions" ADD CONSTRAINT "ck_supervisions_status" CHECK ("status" IN ('open','answered','closed'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "supervisions" ADD CONSTRAINT "ck_supervisions_level" CHECK ("level" IN ('reminder','supervision','notice'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "supervisions" ADD CONSTRAINT "fk_supervisions_department" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "return_requests" ADD CONSTRAINT "fk_return_requests_appeal" FOREIGN KEY ("appeal_id") REFERENCES "appeals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "return_requests" ADD CONSTRAINT "fk_return_requests_assignment" FOREIGN KEY ("assignment_id") REFERENCES "assignments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "assessment_appeals" ADD CONSTRAINT "fk_assessment_appeals_appeal" FOREIGN KEY ("appeal_id") REFERENCES "appeals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "assessment_appeals" ADD CONSTRAINT "fk_assessment_appeals_survey" FOREIGN KEY ("survey_id") REFERENCES "surveys"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // ---- hand-written
    await queryRunner.query(`ALTER TABLE "supervisions" DROP CONSTRAINT "ck_supervisions_source"`);
    await queryRunner.query(
      `ALTER TABLE "supervisions" ADD CONSTRAINT "ck_supervisions_source" CHECK ("source" IN ('manual','overdue','reopen_limit','escalation'))`,
    );
    await queryRunner.query(`UPDATE supervisions v SET department_id = coalesce(
            (SELECT s.department_id FROM assignments s WHERE s.id = v.assignment_id),
            (SELECT a.lead_department_id FROM appeals a WHERE a.id = v.appeal_id))`);
    // the definitions as this migration shipped them (frozen); later migrations re-apply the module
    for (const d of REPORT_SQL_1796048538137) await queryRunner.query(d.sql);
    await queryRunner.query(`SELECT report_rebuild()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // the report SQL as the ReportCountersModule migration left it, before the columns it no longer reads go
    await queryRunner.query(`DROP TRIGGER trg_supervisions_report ON supervisions`);
    await queryRunner.query(`DROP FUNCTION report_supervisions_delta()`);
    for (const d of REPORT_SQL_1796040141848) await queryRunner.query(d.sql);
    await queryRunner.query(`ALTER TABLE "supervisions" DROP CONSTRAINT "ck_supervisions_source"`);
    await queryRunner.query(`DELETE FROM supervisions WHERE source = 'escalation'`);
    await queryRunner.query(
      `ALTER TABLE "supervisions" ADD CONSTRAINT "ck_supervisions_source" CHECK ("source" IN ('manual','overdue','reopen_limit'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "assessment_appeals" DROP CONSTRAINT "fk_assessment_appeals_survey"`,
    );
    await queryRunner.query(
      `ALTER TABLE "assessment_appeals" DROP CONSTRAINT "fk_assessment_appeals_appeal"`,
    );
    await queryRunner.query(`ALTER TABLE "return_requests" DROP CONSTRAINT "fk_return_requests_assignment"`);
    await queryRunner.query(`ALTER TABLE "return_requests" DROP CONSTRAINT "fk_return_requests_appeal"`);
    await queryRunner.query(`ALTER TABLE "supervisions" DROP CONSTRAINT "fk_supervisions_department"`);
    await queryRunner.query(`ALTER TABLE "supervisions" DROP CONSTRAINT "ck_supervisions_level"`);
    await queryRunner.query(`ALTER TABLE "supervisions" DROP CONSTRAINT "ck_supervisions_status"`);
    await queryRunner.query(`DROP INDEX "public"."ix_supervisions_department"`);
    await queryRunner.query(`DROP INDEX "public"."ix_supervisions_answer_due"`);
    await queryRunner.query(`DROP INDEX "public"."uq_supervisions_escalated_from"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" DROP COLUMN "notices"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" DROP COLUMN "supervisions_answer_due"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" DROP COLUMN "supervisions_answered_on_time"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" DROP COLUMN "supervisions"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" DROP COLUMN "returns_denied"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" DROP COLUMN "lead_returned"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" DROP COLUMN "lead_dispatched"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" DROP COLUMN "assessment_appeals_approved"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" DROP COLUMN "assessment_appeals"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" DROP COLUMN "satisfied_all"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" DROP COLUMN "rated_all"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" DROP COLUMN "notices"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" DROP COLUMN "supervisions_answer_due"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" DROP COLUMN "supervisions_answered_on_time"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" DROP COLUMN "supervisions"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" DROP COLUMN "returns_denied"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" DROP COLUMN "lead_returned"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" DROP COLUMN "lead_dispatched"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" DROP COLUMN "assessment_appeals_approved"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" DROP COLUMN "assessment_appeals"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" DROP COLUMN "satisfied_all"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" DROP COLUMN "rated_all"`);
    await queryRunner.query(`ALTER TABLE "report_deltas" DROP COLUMN "notices"`);
    await queryRunner.query(`ALTER TABLE "report_deltas" DROP COLUMN "supervisions_answer_due"`);
    await queryRunner.query(`ALTER TABLE "report_deltas" DROP COLUMN "supervisions_answered_on_time"`);
    await queryRunner.query(`ALTER TABLE "report_deltas" DROP COLUMN "supervisions"`);
    await queryRunner.query(`ALTER TABLE "report_deltas" DROP COLUMN "returns_denied"`);
    await queryRunner.query(`ALTER TABLE "report_deltas" DROP COLUMN "lead_returned"`);
    await queryRunner.query(`ALTER TABLE "report_deltas" DROP COLUMN "lead_dispatched"`);
    await queryRunner.query(`ALTER TABLE "report_deltas" DROP COLUMN "assessment_appeals_approved"`);
    await queryRunner.query(`ALTER TABLE "report_deltas" DROP COLUMN "assessment_appeals"`);
    await queryRunner.query(`ALTER TABLE "report_deltas" DROP COLUMN "satisfied_all"`);
    await queryRunner.query(`ALTER TABLE "report_deltas" DROP COLUMN "rated_all"`);
    await queryRunner.query(`ALTER TABLE "sla_policies" DROP COLUMN "supervision_answer_within"`);
    await queryRunner.query(`ALTER TABLE "sla_policies" DROP COLUMN "assessment_appeal_within"`);
    await queryRunner.query(`ALTER TABLE "sla_policies" DROP COLUMN "return_within"`);
    await queryRunner.query(`ALTER TABLE "supervisions" DROP COLUMN "close_note"`);
    await queryRunner.query(`ALTER TABLE "supervisions" DROP COLUMN "closed_at"`);
    await queryRunner.query(`ALTER TABLE "supervisions" DROP COLUMN "closed_by"`);
    await queryRunner.query(`ALTER TABLE "supervisions" DROP COLUMN "escalated_from_id"`);
    await queryRunner.query(`ALTER TABLE "supervisions" DROP COLUMN "escalated_at"`);
    await queryRunner.query(`ALTER TABLE "supervisions" DROP COLUMN "answered_on_time"`);
    await queryRunner.query(`ALTER TABLE "supervisions" DROP COLUMN "answered_at"`);
    await queryRunner.query(`ALTER TABLE "supervisions" DROP COLUMN "answered_by"`);
    await queryRunner.query(`ALTER TABLE "supervisions" DROP COLUMN "answer"`);
    await queryRunner.query(`ALTER TABLE "supervisions" DROP COLUMN "answer_due_at"`);
    await queryRunner.query(`ALTER TABLE "supervisions" DROP COLUMN "status"`);
    await queryRunner.query(`ALTER TABLE "supervisions" DROP COLUMN "level"`);
    await queryRunner.query(`ALTER TABLE "supervisions" DROP COLUMN "department_id"`);
    await queryRunner.query(`ALTER TABLE "surveys" DROP COLUMN "valid"`);
    await queryRunner.query(`ALTER TABLE "assignments" DROP COLUMN "return_status"`);
    await queryRunner.query(`ALTER TABLE "appeals" DROP COLUMN "assessment_appeals_approved"`);
    await queryRunner.query(`ALTER TABLE "appeals" DROP COLUMN "assessment_appeals"`);
    await queryRunner.query(`ALTER TABLE "appeals" DROP COLUMN "latest_survey_valid"`);
    await queryRunner.query(`DROP INDEX "public"."ix_assessment_appeals_appeal"`);
    await queryRunner.query(`DROP INDEX "public"."uq_assessment_appeals_survey"`);
    await queryRunner.query(`DROP TABLE "assessment_appeals"`);
    await queryRunner.query(`DROP INDEX "public"."ix_return_requests_appeal"`);
    await queryRunner.query(`DROP INDEX "public"."uq_return_requests_assignment"`);
    await queryRunner.query(`DROP TABLE "return_requests"`);
    await queryRunner.query(`SELECT report_rebuild()`);
  }
}
