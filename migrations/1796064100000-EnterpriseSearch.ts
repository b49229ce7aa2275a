import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SPEC §5.1: the centre finds an enterprise by a part of its name (pg_trgm, as the appeals' ?q=; Chinese
 * characters are letters to pg_trgm under C.UTF-8), the beginning of its USCC, or the beginning of its
 * contact phone's digits. The pattern operator classes let LIKE 'prefix%' use a btree whatever the
 * database's collation.
 */
export class EnterpriseSearch1796064100000 implements MigrationInterface {
  name = 'EnterpriseSearch1796064100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(
      `CREATE INDEX "ix_enterprises_name_trgm" ON "enterprises" USING gin ("name" gin_trgm_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_enterprises_uscc_prefix" ON "enterprises" ("uscc" bpchar_pattern_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_enterprises_phone_digits" ON "enterprises" ((regexp_replace("contact_phone", '[^0-9]', '', 'g')) text_pattern_ops)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_enterprises_phone_digits"`);
    await queryRunner.query(`DROP INDEX "public"."ix_enterprises_uscc_prefix"`);
    await queryRunner.query(`DROP INDEX "public"."ix_enterprises_name_trgm"`);
  }
}
