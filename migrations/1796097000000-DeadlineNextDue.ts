import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One due time per assignment: an expression index on the instant of its next pending timer (the least
 * of its seven timers' instants, each while its step is open and it has not fired), over the open
 * assignments only. Finding what is due is then one range scan in due order, not a union of seven.
 * The text is NEXT_DUE of src/modules/appeals/deadlines/deadline-timers.ts as it is here: queries must
 * spell it the same to use the index (deadline-timers.spec.ts checks they agree).
 */
export const NEXT_DUE_1796097000000 = `LEAST(CASE WHEN status = 'dispatched' AND ack_warn_fired_at IS NULL THEN ack_warn_at END, CASE WHEN status = 'dispatched' AND ack_overdue_fired_at IS NULL THEN ack_due_at END, CASE WHEN status = 'in_progress' AND reply_warn_fired_at IS NULL THEN reply_warn_at END, CASE WHEN status = 'in_progress' AND reply_overdue_fired_at IS NULL THEN reply_due_at END, CASE WHEN status IN ('dispatched','in_progress') AND contacted_at IS NULL AND contact_warn_fired_at IS NULL THEN contact_warn_at END, CASE WHEN status IN ('dispatched','in_progress') AND contacted_at IS NULL AND contact_overdue_fired_at IS NULL THEN contact_due_at END, CASE WHEN status IN ('dispatched','in_progress') AND staged_replied_at IS NULL AND staged_overdue_fired_at IS NULL THEN staged_due_at END)`;

export class DeadlineNextDue1796097000000 implements MigrationInterface {
  name = 'DeadlineNextDue1796097000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ix_assignments_next_due" ON "assignments" ((${NEXT_DUE_1796097000000})) WHERE status IN ('dispatched','in_progress')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_assignments_next_due"`);
  }
}
