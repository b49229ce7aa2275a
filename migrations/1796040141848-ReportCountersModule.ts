import { MigrationInterface, QueryRunner } from 'typeorm';
import { REPORT_SQL_1796040141848 } from './frozen/1796040141848-report-sql';

/**
 * The report functions and triggers from their one definition, src/modules/reports/report-counters.sql.ts:
 * every report_* function and every trigger that calls one, CREATE OR REPLACE, with the database's
 * current report_time_zone(). On a database the earlier migrations built, the text it applies is the
 * text they wrote (the counters mean what they meant; nothing to rebuild). The text is frozen as it
 * shipped (migrations/frozen/1796040141848-report-sql.ts); later migrations re-apply the module.
 */

/** reportSqlDigest() of the definitions this migration applied (see report-counters.sql.ts). */
export const REPORT_SQL_DIGEST = '3d41c427c3a0ce7659382b2e9e22b6d03fd9a09a0527b5e45aad574bf9972857';

export class ReportCountersModule1796040141848 implements MigrationInterface {
  name = 'ReportCountersModule1796040141848';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const d of REPORT_SQL_1796040141848) await queryRunner.query(d.sql);
  }

  public async down(): Promise<void> {
    // up() replaced each definition with the same text: there is nothing to put back
  }
}
