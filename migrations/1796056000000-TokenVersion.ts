import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * users.token_version: every token carries it; deactivation, a password change or reset and a change of
 * role or department raise it, so every earlier token stops working on its next request.
 */
export class TokenVersion1796056000000 implements MigrationInterface {
  name = 'TokenVersion1796056000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "token_version" integer NOT NULL DEFAULT 0`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "token_version"`);
  }
}
