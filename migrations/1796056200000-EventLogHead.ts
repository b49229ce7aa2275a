import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * appeals.event_count and appeals.event_head: the event log's length and last hash, kept with every
 * append, so verification catches events cut off the end of a chain. Existing appeals get theirs from
 * the log as it stands.
 */
export class EventLogHead1796056200000 implements MigrationInterface {
  name = 'EventLogHead1796056200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "appeals" ADD "event_count" integer NOT NULL DEFAULT 0, ADD "event_head" character varying(64)`,
    );
    await queryRunner.query(
      `UPDATE appeals a SET event_count = h.seq, event_head = h.hash
         FROM (SELECT DISTINCT ON (appeal_id) appeal_id, seq, hash FROM appeal_events
                ORDER BY appeal_id, seq DESC) h
        WHERE h.appeal_id = a.id`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "appeals" DROP COLUMN "event_head", DROP COLUMN "event_count"`);
  }
}
