import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What `GET /appeals?q=` reads besides the title and content trigram index (SPEC §5.1 "Finding things"):
 * the appeal number read backwards (a suffix of 6 or more digits becomes a prefix of the reversed number, a
 * btree range) and the contact's name and phone as one trigram expression. The enterprise's name and USCC
 * are read through the enterprise search's indexes (1796064100000-EnterpriseSearch).
 */
export class AppealSearchIndexes1796080000000 implements MigrationInterface {
  name = 'AppealSearchIndexes1796080000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(
      `CREATE INDEX "ix_appeals_number_reverse" ON "appeals" (reverse("number") text_pattern_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_appeals_contact_trgm" ON "appeals" USING gin ((coalesce("contact_name", '') || ' ' || coalesce("contact_phone", '')) gin_trgm_ops)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_appeals_contact_trgm"`);
    await queryRunner.query(`DROP INDEX "ix_appeals_number_reverse"`);
  }
}
