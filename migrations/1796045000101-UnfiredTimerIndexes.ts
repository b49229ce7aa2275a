import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One partial index per deadline timer over the assignments whose timer has not fired: the sweeper's
 * and the wake-ups' search for what is due reads only unfired timers, however many fired ones the
 * open assignments carry.
 */

export class UnfiredTimerIndexes1796045000101 implements MigrationInterface {
  name = 'UnfiredTimerIndexes1796045000101';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ix_assignments_unfired_reply_due" ON "assignments"  ("reply_due_at") WHERE "status" = 'in_progress' AND "reply_overdue_fired_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_assignments_unfired_reply_warn" ON "assignments"  ("reply_warn_at") WHERE "status" = 'in_progress' AND "reply_warn_fired_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_assignments_unfired_ack_due" ON "assignments"  ("ack_due_at") WHERE "status" = 'dispatched' AND "ack_overdue_fired_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_assignments_unfired_ack_warn" ON "assignments"  ("ack_warn_at") WHERE "status" = 'dispatched' AND "ack_warn_fired_at" IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_assignments_unfired_ack_warn"`);
    await queryRunner.query(`DROP INDEX "public"."ix_assignments_unfired_ack_due"`);
    await queryRunner.query(`DROP INDEX "public"."ix_assignments_unfired_reply_warn"`);
    await queryRunner.query(`DROP INDEX "public"."ix_assignments_unfired_reply_due"`);
  }
}
