import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Room on each page of appeals for the row's next version: an appeal is updated many times after it is
 * filed, and those that record an event without changing the status (a deadline firing, a supervision:
 * the version, the event head, the supervised flag) change no indexed column, so with room on the page
 * they are HOT — no entry in any of the fifteen appeal indexes, two of them trigram GIN. New pages are filled to 80 %; the pages already
 * there keep what they hold until VACUUM FULL or CLUSTER rewrites them (not needed: they free up as rows
 * are pruned).
 */
export class AppealsFillfactor1796098100000 implements MigrationInterface {
  name = 'AppealsFillfactor1796098100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "appeals" SET (fillfactor = 80)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "appeals" RESET (fillfactor)`);
  }
}
