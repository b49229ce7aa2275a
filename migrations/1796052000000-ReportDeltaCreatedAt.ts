import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When each report delta was written, so operations can see how far the fold is behind (the age of the
 * oldest delta not yet folded, zqt_report_fold_lag_seconds). The default fills it: the row triggers and
 * report_put() stay as they are. now() is stable, so adding the column rewrites no rows.
 */
export class ReportDeltaCreatedAt1796052000000 implements MigrationInterface {
  name = 'ReportDeltaCreatedAt1796052000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "report_deltas" ADD "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "report_deltas" DROP COLUMN "created_at"`);
  }
}
