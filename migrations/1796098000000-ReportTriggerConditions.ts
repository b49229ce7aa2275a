import { MigrationInterface, QueryRunner } from 'typeorm';
import { REPORT_SQL_1796092000000 } from './frozen/1796092000000-report-sql';
import { REPORT_SQL_1796098000000 } from './frozen/1796098000000-report-sql';

/**
 * The report triggers fire on an update only when it changes a column their function reads: each
 * AFTER INSERT OR UPDATE OR DELETE row trigger becomes one for INSERT OR DELETE and one for UPDATE with
 * a WHEN condition (the counted columns and the keys), and the appeals' open-assignment trigger gets
 * its condition too. An update that changes none of them (a deadline firing's appeal version and event
 * head, its timers' fired marks) no longer calls a PL/pgSQL function that would find nothing to do.
 * report_put() computes the delta vector in one expression instead of a loop of array appends (the
 * same rows written). The counters are unchanged: no rebuild. The definitions of
 * src/modules/reports/report-counters.sql.ts as they were then are frozen in
 * migrations/frozen/1796098000000-report-sql.ts.
 */

/** reportSqlDigest() of the definitions this migration applies (see report-counters.sql.ts). */
export const REPORT_SQL_DIGEST = '08e825c259a4f8f1de2b147fafb2c001f7ab1f3b0f997b4ed9f197a1fdfe0b94';

/** The UPDATE triggers this migration adds. */
const UPDATE_TRIGGERS = [
  ['trg_appeals_report_update', 'appeals'],
  ['trg_assignments_report_update', 'assignments'],
  ['trg_supervisions_report_update', 'supervisions'],
  ['trg_plans_report_update', 'plans'],
  ['trg_assignments_report_open_update', 'assignments'],
] as const;

export class ReportTriggerConditions1796098000000 implements MigrationInterface {
  name = 'ReportTriggerConditions1796098000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // the definitions as this migration shipped them (frozen); report_time_zone() keeps the database's zone
    for (const d of REPORT_SQL_1796098000000) await queryRunner.query(d.sql);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [name, table] of UPDATE_TRIGGERS) await queryRunner.query(`DROP TRIGGER ${name} ON ${table}`);
    for (const d of REPORT_SQL_1796092000000) await queryRunner.query(d.sql);
  }
}
