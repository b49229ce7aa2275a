import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Appeal numbers from a sequence: ZQT + yyyymmdd (TZ_CALENDAR) + nextval('appeal_number_seq') zero-padded to
 * 10 digits. A sequence is not transactional, so a filing holds no lock on it beyond the nextval call: no
 * filing waits for another to commit. Numbers stay unique (one value per call) and sortable (fixed width, and
 * a later nextval is larger); they are not gapless (SPEC §5 asks for human-readable, unique, sortable).
 *
 * 10 digits: 10^10 - 1 numbers in all, about 390 years at Beijing's 70,000 requests a day. MAXVALUE makes
 * the sequence fail loudly (filing errors) rather than grow an 11th digit that would break the sort. CACHE 1
 * (the default) is required: a per-session cache would hand out values out of order across connections.
 *
 * appeal_number_counters (the per-day counters of the 5-digit numbers) is kept, not dropped: a process of
 * the previous release still running during a rolling upgrade files through it. Nothing in this release
 * reads or writes it; a later migration can drop it.
 */
export class AppealNumberSequence1796040000000 implements MigrationInterface {
  name = 'AppealNumberSequence1796040000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE SEQUENCE appeal_number_seq AS bigint MINVALUE 1 MAXVALUE 9999999999 START WITH 1 CACHE 1 NO CYCLE`,
    );
    // On the day of the switch, 5-digit numbers (ZQT20261122 00042) already exist. A 10-digit part that
    // begins with the day's last 5-digit part (00042 00001) sorts after all of them, so new numbers of that
    // day still sort after the old ones. Only a recent day matters (the latest counter row, if from
    // yesterday or later in the server's zone; TZ_CALENDAR is at most a day off that).
    await queryRunner.query(
      `SELECT setval('appeal_number_seq', c.last::bigint * 100000, true)
         FROM (SELECT day, last FROM appeal_number_counters ORDER BY day DESC LIMIT 1) c
        WHERE c.day >= current_date - 1 AND c.last > 0`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SEQUENCE appeal_number_seq`);
  }
}
