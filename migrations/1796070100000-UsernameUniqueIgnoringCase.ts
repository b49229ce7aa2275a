import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usernames are unique whatever their case (SPEC §5.1: login limits count the account, not the
 * spelling): a unique index on lower(username). Names that already differ only in case cannot be merged
 * or renamed by a migration without someone deciding which account keeps the name, so the migration
 * stops and names them; rename all but one of each group (`UPDATE users SET username = … WHERE id = …`)
 * and run it again.
 */
export class UsernameUniqueIgnoringCase1796070100000 implements MigrationInterface {
  name = 'UsernameUniqueIgnoringCase1796070100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const twins: { names: string }[] = await queryRunner.query(
      `SELECT string_agg(format('%s (id %s)', username, id), ', ' ORDER BY username) AS names
       FROM users GROUP BY lower(username) HAVING count(*) > 1 ORDER BY lower(username)`,
    );
    if (twins.length > 0) {
      throw new Error(
        `usernames must be unique whatever their case, and these differ only in case: ` +
          `${twins.map((t) => `[${t.names}]`).join('; ')}. ` +
          `Rename all but one of each group (UPDATE users SET username = '…' WHERE id = '…'), then migrate again.`,
      );
    }
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_username_lower" ON "users" (lower("username"))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "uq_users_username_lower"`);
  }
}
