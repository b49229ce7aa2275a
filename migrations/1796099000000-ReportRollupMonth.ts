import { MigrationInterface, QueryRunner } from 'typeorm';
import { reportSqlDefinitions } from '../src/modules/reports/report-counters.sql';
import { REPORT_SQL_1796098000000 } from './frozen/1796098000000-report-sql';

/**
 * The monthly narrow rollup `report_rollup_month` (docs/reports.md, Reading): report_rollup_dim's rows
 * summed by local month, folded by report_fold() from the same deltas and rebuilt by report_rebuild(), so
 * a report over years reads ~86 rows a month instead of ~86 a day. The report definitions of
 * src/modules/reports/report-counters.sql.ts are applied again; the new table is filled from the daily
 * narrow rollup (a few rows per day and dimension value, whatever the number of appeals: seconds at
 * 10 M), with report writers and folds held off meanwhile, and the deltas folded into all three rollups
 * by the new report_fold() before the lock is released (a fold of the former definition that waited on
 * the lock then finds nothing left to move).
 */

/** reportSqlDigest() of the definitions this migration applies (see report-counters.sql.ts). */
export const REPORT_SQL_DIGEST = '65393ffb8c93721df8ed0407cb909ad3643d5e015dad26ccf1aa25ec81b5c9da';

export class ReportRollupMonth1796099000000 implements MigrationInterface {
  name = 'ReportRollupMonth1796099000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // the counter columns exactly as report_rollup_dim has them at this point (names, types, defaults)
    await queryRunner.query(
      `CREATE TABLE "report_rollup_month" (LIKE "report_rollup_dim" INCLUDING DEFAULTS)`,
    );
    await queryRunner.query(`ALTER TABLE "report_rollup_month" RENAME COLUMN "day" TO "month"`);
    await queryRunner.query(
      `ALTER TABLE "report_rollup_month" ADD CONSTRAINT "ck_report_rollup_month_dim" CHECK ("dim" IN ('all','department','category','district','channel'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_month" ADD CONSTRAINT "pk_report_rollup_month" PRIMARY KEY ("month", "dim", "dim_value")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_report_rollup_month_value" ON "report_rollup_month" ("dim", "dim_value", "month") `,
    );
    await queryRunner.query(
      `LOCK TABLE report_deltas, report_rollup_full, report_rollup_dim, report_rollup_month IN ACCESS EXCLUSIVE MODE`,
    );
    const [{ tz }] = await queryRunner.query(`SELECT report_time_zone() AS tz`);
    for (const d of reportSqlDefinitions(tz)) await queryRunner.query(d.sql);
    const counters: { name: string }[] = await queryRunner.query(
      `SELECT column_name AS name FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'report_rollup_dim'
          AND column_name NOT IN ('day', 'dim', 'dim_value')
        ORDER BY ordinal_position`,
    );
    const cols = counters.map((c) => `"${c.name}"`);
    await queryRunner.query(
      `INSERT INTO report_rollup_month (month, dim, dim_value, ${cols.join(', ')})
       SELECT date_trunc('month', day::timestamp)::date, dim, dim_value, ${cols.map((c) => `sum(${c})`).join(', ')}
         FROM report_rollup_dim GROUP BY 1, 2, 3`,
    );
    await queryRunner.query(`SELECT report_fold()`);
    // its statistics now, not at autovacuum's next pass: reports plan their reads of it at once
    await queryRunner.query(`ANALYZE report_rollup_month`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // the report SQL as the ReportTriggerConditions migration left it, which knows no monthly rollup
    for (const d of REPORT_SQL_1796098000000) await queryRunner.query(d.sql);
    await queryRunner.query(`DROP TABLE "report_rollup_month"`);
  }
}
