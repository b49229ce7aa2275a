import { MigrationInterface, QueryRunner } from 'typeorm';

export class DeadlineFiring1795530977017 implements MigrationInterface {
  name = 'DeadlineFiring1795530977017';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "assignments" ADD "ack_warn_fired_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "assignments" ADD "ack_overdue_fired_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "assignments" ADD "reply_warn_fired_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `ALTER TABLE "assignments" ADD "reply_overdue_fired_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_appeals_survey_due" ON "appeals"  ("survey_due_at") WHERE "status" = 'replied'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_assignments_pending_reply" ON "assignments"  ("reply_due_at") WHERE "status" = 'in_progress'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_assignments_pending_ack" ON "assignments"  ("ack_due_at") WHERE "status" = 'dispatched'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_assignments_pending_ack"`);
    await queryRunner.query(`DROP INDEX "public"."ix_assignments_pending_reply"`);
    await queryRunner.query(`DROP INDEX "public"."ix_appeals_survey_due"`);
    await queryRunner.query(`ALTER TABLE "assignments" DROP COLUMN "reply_overdue_fired_at"`);
    await queryRunner.query(`ALTER TABLE "assignments" DROP COLUMN "reply_warn_fired_at"`);
    await queryRunner.query(`ALTER TABLE "assignments" DROP COLUMN "ack_overdue_fired_at"`);
    await queryRunner.query(`ALTER TABLE "assignments" DROP COLUMN "ack_warn_fired_at"`);
  }
}
