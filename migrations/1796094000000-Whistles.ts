import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SPEC §12 企业吹哨、部门报到: the whistles, the departments they summon (check-ins) and the commitments
 * of their minutes, each timer a column with its fired mark; at most one active whistle per appeal (a
 * partial unique index). SLA policies gain whistleReviewWithin (PT4H) and whistleMeetingWithin (P3D).
 */
export class Whistles1796094000000 implements MigrationInterface {
  name = 'Whistles1796094000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "whistles" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "appeal_id" uuid NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'requested', "reason" text NOT NULL, "requested_department_ids" uuid array NOT NULL DEFAULT '{}', "requested_by" uuid, "requested_role" character varying(16) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "review_due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "review_warn_at" TIMESTAMP WITH TIME ZONE, "review_warn_fired_at" TIMESTAMP WITH TIME ZONE, "review_overdue_fired_at" TIMESTAMP WITH TIME ZONE, "reviewed_by" uuid, "reviewed_at" TIMESTAMP WITH TIME ZONE, "reviewed_on_time" boolean, "decision_reason" text, "lead_department_id" uuid, "meeting_at" TIMESTAMP WITH TIME ZONE, "location" text, "meeting_due_at" TIMESTAMP WITH TIME ZONE, "meeting_warn_at" TIMESTAMP WITH TIME ZONE, "meeting_warn_fired_at" TIMESTAMP WITH TIME ZONE, "meeting_overdue_fired_at" TIMESTAMP WITH TIME ZONE, "held_at" TIMESTAMP WITH TIME ZONE, "held_on_time" boolean, "minutes_summary" text, "resolved_on_site" boolean, "minutes_by" uuid, "closed_by" uuid, "closed_at" TIMESTAMP WITH TIME ZONE, "close_note" text, "ended_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_whistles_status" CHECK ("status" IN ('requested','approved','denied','cancelled','held','closed')), CONSTRAINT "PK_707261aa570f63fccad2186667d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_whistles_meeting_due" ON "whistles"  ("meeting_due_at") WHERE "status" = 'approved'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_whistles_review_due" ON "whistles"  ("review_due_at") WHERE "status" = 'requested'`,
    );
    await queryRunner.query(`CREATE INDEX "ix_whistles_created" ON "whistles"  ("created_at")`);
    await queryRunner.query(`CREATE INDEX "ix_whistles_appeal" ON "whistles"  ("appeal_id", "created_at")`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_whistles_active_appeal" ON "whistles"  ("appeal_id") WHERE "status" IN ('requested','approved','held')`,
    );
    await queryRunner.query(
      `CREATE TABLE "whistle_commitments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "whistle_id" uuid NOT NULL, "appeal_id" uuid NOT NULL, "department_id" uuid NOT NULL, "content" text NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "completed_at" TIMESTAMP WITH TIME ZONE, "completed_by" uuid, "completion" text, "completed_on_time" boolean, "overdue_fired_at" TIMESTAMP WITH TIME ZONE, "supervision_id" uuid, CONSTRAINT "PK_94e12edf94f8836eb5f77d0996e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_whistle_commitments_due" ON "whistle_commitments"  ("due_at") WHERE "completed_at" IS NULL AND "overdue_fired_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_whistle_commitments_department" ON "whistle_commitments"  ("department_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_whistle_commitments_whistle" ON "whistle_commitments"  ("whistle_id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "whistle_departments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "whistle_id" uuid NOT NULL, "appeal_id" uuid NOT NULL, "department_id" uuid NOT NULL, "role" character varying(8) NOT NULL, "summoned_at" TIMESTAMP WITH TIME ZONE NOT NULL, "check_in_due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "check_in_warn_at" TIMESTAMP WITH TIME ZONE, "check_in_warn_fired_at" TIMESTAMP WITH TIME ZONE, "check_in_overdue_fired_at" TIMESTAMP WITH TIME ZONE, "checked_in_at" TIMESTAMP WITH TIME ZONE, "checked_in_by" uuid, "attendee_name" character varying(128), CONSTRAINT "ck_whistle_departments_role" CHECK ("role" IN ('lead','co')), CONSTRAINT "PK_3d24296e0ee93a6b462014f2c1d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_whistle_departments_check_in_due" ON "whistle_departments"  ("check_in_due_at") WHERE "checked_in_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_whistle_departments_department" ON "whistle_departments"  ("department_id")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_whistle_departments" ON "whistle_departments"  ("whistle_id", "department_id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "sla_policies" ADD "whistle_review_within" character varying(32) NOT NULL DEFAULT 'PT4H'`,
    );
    await queryRunner.query(
      `ALTER TABLE "sla_policies" ADD "whistle_meeting_within" character varying(32) NOT NULL DEFAULT 'P3D'`,
    );
    await queryRunner.query(
      `ALTER TABLE "whistles" ADD CONSTRAINT "fk_whistles_appeal" FOREIGN KEY ("appeal_id") REFERENCES "appeals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "whistles" ADD CONSTRAINT "fk_whistles_lead_department" FOREIGN KEY ("lead_department_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "whistle_commitments" ADD CONSTRAINT "fk_whistle_commitments_whistle" FOREIGN KEY ("whistle_id") REFERENCES "whistles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "whistle_commitments" ADD CONSTRAINT "fk_whistle_commitments_department" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "whistle_departments" ADD CONSTRAINT "fk_whistle_departments_whistle" FOREIGN KEY ("whistle_id") REFERENCES "whistles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "whistle_departments" ADD CONSTRAINT "fk_whistle_departments_department" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "whistle_departments" DROP CONSTRAINT "fk_whistle_departments_department"`,
    );
    await queryRunner.query(
      `ALTER TABLE "whistle_departments" DROP CONSTRAINT "fk_whistle_departments_whistle"`,
    );
    await queryRunner.query(
      `ALTER TABLE "whistle_commitments" DROP CONSTRAINT "fk_whistle_commitments_department"`,
    );
    await queryRunner.query(
      `ALTER TABLE "whistle_commitments" DROP CONSTRAINT "fk_whistle_commitments_whistle"`,
    );
    await queryRunner.query(`ALTER TABLE "whistles" DROP CONSTRAINT "fk_whistles_lead_department"`);
    await queryRunner.query(`ALTER TABLE "whistles" DROP CONSTRAINT "fk_whistles_appeal"`);
    await queryRunner.query(`ALTER TABLE "sla_policies" DROP COLUMN "whistle_meeting_within"`);
    await queryRunner.query(`ALTER TABLE "sla_policies" DROP COLUMN "whistle_review_within"`);
    await queryRunner.query(`DROP INDEX "public"."uq_whistle_departments"`);
    await queryRunner.query(`DROP INDEX "public"."ix_whistle_departments_department"`);
    await queryRunner.query(`DROP INDEX "public"."ix_whistle_departments_check_in_due"`);
    await queryRunner.query(`DROP TABLE "whistle_departments"`);
    await queryRunner.query(`DROP INDEX "public"."ix_whistle_commitments_whistle"`);
    await queryRunner.query(`DROP INDEX "public"."ix_whistle_commitments_department"`);
    await queryRunner.query(`DROP INDEX "public"."ix_whistle_commitments_due"`);
    await queryRunner.query(`DROP TABLE "whistle_commitments"`);
    await queryRunner.query(`DROP INDEX "public"."uq_whistles_active_appeal"`);
    await queryRunner.query(`DROP INDEX "public"."ix_whistles_appeal"`);
    await queryRunner.query(`DROP INDEX "public"."ix_whistles_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_whistles_review_due"`);
    await queryRunner.query(`DROP INDEX "public"."ix_whistles_meeting_due"`);
    await queryRunner.query(`DROP TABLE "whistles"`);
  }
}
