import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SPEC §8: meetings (政企恳谈会) with their attending enterprises; appeals carry the meeting they were raised
 * at, whether the centre answered them on the spot, and the leader leading them (领导领衔) with the
 * leader's instructions; SLA policies may match the channel.
 */
export class Meetings1796060000000 implements MigrationInterface {
  name = 'Meetings1796060000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "meetings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "title" character varying(200) NOT NULL, "held_at" TIMESTAMP WITH TIME ZONE NOT NULL, "district" character varying(64), "host_department_id" uuid, "leader_name" character varying(64), "attendee_count" integer NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_meetings_attendee_count" CHECK ("attendee_count" >= 0), CONSTRAINT "PK_aa73be861afa77eb4ed31f3ed57" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_meetings_held" ON "meetings"  ("held_at", "id") `);
    await queryRunner.query(
      `CREATE TABLE "meeting_enterprises" ("meeting_id" uuid NOT NULL, "enterprise_id" uuid NOT NULL, CONSTRAINT "PK_5ad3656e6ebd58c89f5080ea350" PRIMARY KEY ("meeting_id", "enterprise_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_meeting_enterprises_enterprise" ON "meeting_enterprises"  ("enterprise_id") `,
    );
    await queryRunner.query(`ALTER TABLE "appeals" ADD "meeting_id" uuid`);
    await queryRunner.query(`ALTER TABLE "appeals" ADD "resolved_on_spot" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "appeals" ADD "leader_name" character varying(64)`);
    await queryRunner.query(`ALTER TABLE "appeals" ADD "leader_instructions" jsonb`);
    await queryRunner.query(`ALTER TABLE "sla_policies" ADD "channel" character varying(16)`);
    await queryRunner.query(
      `CREATE INDEX "ix_appeals_leader_led" ON "appeals"  ("created_at", "id") WHERE "leader_name" IS NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "meetings" ADD CONSTRAINT "fk_meetings_host_department" FOREIGN KEY ("host_department_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "meetings" ADD CONSTRAINT "fk_meetings_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "meeting_enterprises" ADD CONSTRAINT "fk_meeting_enterprises_meeting" FOREIGN KEY ("meeting_id") REFERENCES "meetings"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "meeting_enterprises" ADD CONSTRAINT "fk_meeting_enterprises_enterprise" FOREIGN KEY ("enterprise_id") REFERENCES "enterprises"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // the meetings report aggregates a meeting's issues from this index alone (an index-only scan)
    await queryRunner.query(
      `CREATE INDEX "ix_appeals_meeting" ON "appeals" ("meeting_id") INCLUDE ("status", "latest_satisfaction", "latest_survey_valid", "resolved_on_spot", "leader_name") WHERE "meeting_id" IS NOT NULL`,
    );
    // appeals answered on the spot before the column existed
    await queryRunner.query(
      `UPDATE "appeals" SET "resolved_on_spot" = true WHERE "id" IN (SELECT "appeal_id" FROM "appeal_events" WHERE "action" = 'appeal.resolved_on_spot')`,
    );
    await queryRunner.query(
      `ALTER TABLE "appeals" ADD CONSTRAINT "fk_appeals_meeting" FOREIGN KEY ("meeting_id") REFERENCES "meetings"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "appeals" DROP CONSTRAINT "fk_appeals_meeting"`);
    await queryRunner.query(
      `ALTER TABLE "meeting_enterprises" DROP CONSTRAINT "fk_meeting_enterprises_enterprise"`,
    );
    await queryRunner.query(
      `ALTER TABLE "meeting_enterprises" DROP CONSTRAINT "fk_meeting_enterprises_meeting"`,
    );
    await queryRunner.query(`ALTER TABLE "meetings" DROP CONSTRAINT "fk_meetings_created_by"`);
    await queryRunner.query(`ALTER TABLE "meetings" DROP CONSTRAINT "fk_meetings_host_department"`);
    await queryRunner.query(`DROP INDEX "public"."ix_appeals_meeting"`);
    await queryRunner.query(`DROP INDEX "public"."ix_appeals_leader_led"`);
    await queryRunner.query(`ALTER TABLE "sla_policies" DROP COLUMN "channel"`);
    await queryRunner.query(`ALTER TABLE "appeals" DROP COLUMN "leader_instructions"`);
    await queryRunner.query(`ALTER TABLE "appeals" DROP COLUMN "leader_name"`);
    await queryRunner.query(`ALTER TABLE "appeals" DROP COLUMN "resolved_on_spot"`);
    await queryRunner.query(`ALTER TABLE "appeals" DROP COLUMN "meeting_id"`);
    await queryRunner.query(`DROP INDEX "public"."ix_meeting_enterprises_enterprise"`);
    await queryRunner.query(`DROP TABLE "meeting_enterprises"`);
    await queryRunner.query(`DROP INDEX "public"."ix_meetings_held"`);
    await queryRunner.query(`DROP TABLE "meetings"`);
  }
}
