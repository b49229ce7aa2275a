import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each attendance (meeting_enterprises row) carries its meeting's held_at and district, and the held_at
 * of the same enterprise's previous attendance — over all meetings, and within the meeting's district —
 * in (held_at, meeting_id) order. An enterprise attended some meeting held in [from, to) exactly when one
 * of its attendances in [from, to) has no previous one before `from`, so the meetings report counts its
 * distinct attending enterprises as a count of those rows over an index range, with no grouping.
 * Meetings are never edited or deleted; creating one fills these columns (MeetingsService.create).
 *
 * The change runs in a transaction of its own, then VACUUM FULL and VACUUM ANALYZE (which no transaction
 * can hold): the backfill rewrote every row, leaving the table twice its size, and the count is an
 * index-only scan only over pages marked all-visible. Attendances are few (one row per enterprise per
 * meeting), so the rewrite's exclusive lock is short.
 */
export class MeetingAttendanceChain1796100000000 implements MigrationInterface {
  name = 'MeetingAttendanceChain1796100000000';
  transaction = false;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.startTransaction();
    try {
      await this.change(queryRunner);
      await queryRunner.commitTransaction();
    } catch (err) {
      await queryRunner.rollbackTransaction();
      throw err;
    }
    await queryRunner.query(`VACUUM FULL "meeting_enterprises"`);
    await queryRunner.query(`VACUUM ANALYZE "meeting_enterprises"`);
  }

  private async change(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "meeting_enterprises" ADD "held_at" TIMESTAMP WITH TIME ZONE, ADD "district" character varying(64),
         ADD "prev_held_at" TIMESTAMP WITH TIME ZONE, ADD "prev_held_at_in_district" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `UPDATE meeting_enterprises me
          SET held_at = x.held_at, district = x.district, prev_held_at = x.prev,
              prev_held_at_in_district = x.prev_in_district
         FROM (SELECT e.meeting_id, e.enterprise_id, m.held_at, m.district,
                      lag(m.held_at) OVER (PARTITION BY e.enterprise_id ORDER BY m.held_at, m.id) AS prev,
                      lag(m.held_at) OVER (PARTITION BY e.enterprise_id, m.district ORDER BY m.held_at, m.id) AS prev_in_district
                 FROM meeting_enterprises e JOIN meetings m ON m.id = e.meeting_id) x
        WHERE me.meeting_id = x.meeting_id AND me.enterprise_id = x.enterprise_id`,
    );
    await queryRunner.query(`ALTER TABLE "meeting_enterprises" ALTER COLUMN "held_at" SET NOT NULL`);
    await queryRunner.query(
      `CREATE INDEX "ix_meeting_enterprises_held" ON "meeting_enterprises" ("held_at") INCLUDE ("prev_held_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_meeting_enterprises_district_held" ON "meeting_enterprises" ("district", "held_at") INCLUDE ("prev_held_at_in_district")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_meeting_enterprises_district_held"`);
    await queryRunner.query(`DROP INDEX "public"."ix_meeting_enterprises_held"`);
    await queryRunner.query(
      `ALTER TABLE "meeting_enterprises" DROP COLUMN "prev_held_at_in_district", DROP COLUMN "prev_held_at",
         DROP COLUMN "district", DROP COLUMN "held_at"`,
    );
  }
}
