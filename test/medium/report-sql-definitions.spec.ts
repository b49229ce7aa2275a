import { REPORT_SQL_DIGEST } from '../../migrations/1796099000000-ReportRollupMonth';
import {
  DEFAULT_REPORT_TIME_ZONE,
  reportSqlDefinitions,
  reportSqlDigest,
} from '../../src/modules/reports/report-counters.sql';
import { useTestDatabase } from '../setup/test-env';
import { printedNames, printReportSql, printReportSqlWith } from './report-sql-printed';

/**
 * The migrated database holds exactly the report SQL that src/modules/reports/report-counters.sql.ts
 * emits: PostgreSQL prints every report function and trigger as the migrations left them, and again
 * with the module's statements applied on top; the two prints must be equal, and name the same
 * functions and triggers as the module. And the module still emits what the newest migration that
 * applies it applied, so an edit of a counter cannot reach fresh databases only.
 */
describe('report SQL definitions: the migrated database and report-counters.sql.ts agree', () => {
  const db = useTestDatabase();
  const definitions = reportSqlDefinitions(DEFAULT_REPORT_TIME_ZONE);

  it('the database has every report function and trigger the module emits, and no other', async () => {
    const names = printedNames(await printReportSql(db.client));
    const emitted = (kind: 'function' | 'trigger') =>
      definitions
        .filter((d) => d.kind === kind)
        .map((d) => d.name)
        .sort();
    expect(names).toEqual({ functions: emitted('function'), triggers: emitted('trigger') });
  });

  it('every report function prints (pg_get_functiondef) as the module has it', async () => {
    const migrated = await printReportSql(db.client);
    const emitted = await printReportSqlWith(db.client, definitions);
    expect(Object.keys(migrated.functions)).toHaveLength(12);
    expect(migrated.functions).toEqual(emitted.functions);
  });

  it('every trigger calling one prints (pg_get_triggerdef) as the module has it', async () => {
    const migrated = await printReportSql(db.client);
    const emitted = await printReportSqlWith(db.client, definitions);
    expect(Object.keys(migrated.triggers)).toHaveLength(11);
    expect(migrated.triggers).toEqual(emitted.triggers);
  });

  it('the module emits what the ReportRollupMonth migration applied (a change needs a new migration)', () => {
    expect(reportSqlDigest()).toBe(REPORT_SQL_DIGEST);
  });
});
