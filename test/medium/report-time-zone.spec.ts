import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { FakeClock } from '../../src/common/clock';
import { dataSourceOptions, migrate } from '../../src/infra/database/data-source-options';
import { reportSqlDefinitions } from '../../src/modules/reports/report-counters.sql';
import { DistrictsService } from '../../src/modules/districts/districts.service';
import { ReportsRepository } from '../../src/modules/reports/reports.repository';
import { ReadDatabase } from '../../src/infra/database/read-replica';
import { ReportsService } from '../../src/modules/reports/reports.service';
import { Factory } from '../setup/factories';
import { createTestApp, deleteRedisPrefix, TestApp } from '../setup/test-app';
import { createDatabaseFromTemplate, dropDatabase, REDIS_URL, uniqueName, urlFor } from '../setup/test-env';
import { printReportSql, printReportSqlWith } from './report-sql-printed';

const ZONE = 'America/New_York';

/**
 * TZ_CALENDAR other than the default. Four appeals on either side of the local midnights: in
 * Asia/Shanghai they fall on 03-10 (3) and 03-11 (1), in New York (EDT since 03-08) on 03-09 (1) and
 * 03-10 (3). The migration runner — not the application — turns the rollups into New York days, once;
 * the application then boots and its rollup-backed figures are on New York days and equal the raw
 * recomputation; an application whose TZ_CALENDAR differs from the database's does not start, and
 * its check changes nothing.
 */
describe('reports in a TZ_CALENDAR other than the default', () => {
  let databaseName: string;
  const redisPrefix = uniqueName('r');
  const clock = new FakeClock(new Date('2026-03-20T12:00:00Z'));
  let url: string;
  let t: TestApp | undefined;
  let c: Client;

  const q = async (sql: string) => (await c.query(sql)).rows;
  const allByDay = async () =>
    Object.fromEntries(
      (
        await q(`SELECT to_char(day, 'YYYY-MM-DD') AS day, received FROM report_rollup_dim WHERE dim = 'all'`)
      ).map((r) => [r.day, r.received]),
    );

  beforeAll(async () => {
    databaseName = await createDatabaseFromTemplate();
    url = urlFor(databaseName);
    const ds = new DataSource(dataSourceOptions(url, 2));
    await ds.initialize();
    try {
      const f = new Factory(ds);
      const category = await f.category();
      const enterprise = await f.enterprise();
      const creator = await f.user('dispatcher');
      const instants = [
        '2026-03-10T02:00:00Z',
        '2026-03-10T05:00:00Z',
        '2026-03-10T15:00:00Z',
        '2026-03-10T17:00:00Z',
      ];
      for (const [i, at] of instants.entries())
        await ds.query(
          `INSERT INTO appeals (number, type, category_code, title, content, channel, enterprise_id, status, created_by, created_at, updated_at)
           VALUES ($1, 'help', $2, 't', 'c', 'web', $3, 'submitted', $4, $5, $5)`,
          [`ZQTZ${String(i).padStart(8, '0')}`, category.code, enterprise.id, creator.id, new Date(at)],
        );
      await ds.query(`SELECT report_fold()`);
    } finally {
      await ds.destroy();
    }
    c = new Client({ connectionString: url });
    await c.connect();
  });
  afterAll(async () => {
    await t?.stop();
    await c?.end();
    if (databaseName) await dropDatabase(databaseName);
    await deleteRedisPrefix(REDIS_URL, redisPrefix);
  });

  it('the migration runner rebuilds the rollups in the new zone, once', async () => {
    expect(await q(`SELECT report_time_zone() AS tz`)).toEqual([{ tz: 'Asia/Shanghai' }]);
    expect(await allByDay()).toEqual({ '2026-03-10': 3, '2026-03-11': 1 });

    const log: string[] = [];
    await migrate(url, { calendarTimeZone: ZONE, log: (line) => log.push(line) });
    expect(await q(`SELECT report_time_zone() AS tz`)).toEqual([{ tz: ZONE }]);
    expect(await allByDay()).toEqual({ '2026-03-09': 1, '2026-03-10': 3 });
    expect(log).toEqual([expect.stringMatching(/America\/New_York.*Asia\/Shanghai/)]);

    // the same zone again: nothing to do
    await migrate(url, { calendarTimeZone: ZONE, log: (line) => log.push(line) });
    expect(log).toHaveLength(1);
  });

  it('the database then holds what report-counters.sql.ts emits for that zone', async () => {
    const migrated = await printReportSql(c);
    expect(migrated).toEqual(await printReportSqlWith(c, reportSqlDefinitions(ZONE)));
  });

  it('the application with TZ_CALENDAR=America/New_York reports New York days, rollups equal to the raw rows', async () => {
    t = await createTestApp({
      clock,
      env: { TZ_CALENDAR: ZONE, ROLE: 'api' },
      reuse: { databaseName, redisPrefix },
    });
    const reports = t.app.get(ReportsService);
    const r = { from: new Date('2026-03-09T00:00:00-04:00'), to: new Date('2026-03-11T00:00:00-04:00') };
    const rollup = await reports.read(r, {}, 'day', 'rollup');
    expect(Object.fromEntries([...rollup].map(([day, counters]) => [day, counters.received]))).toEqual({
      '2026-03-09': 1,
      '2026-03-10': 3,
    });
    expect(rollup).toEqual(await reports.read(r, {}, 'day', 'raw'));
  });

  it('an application whose TZ_CALENDAR differs refuses to start and changes nothing', async () => {
    const app = t!;
    const other = new ReportsService(
      app.db,
      { ...app.config, calendarTimeZone: 'Asia/Shanghai' },
      clock,
      app.app.get(ReportsRepository),
      app.app.get(DistrictsService),
      app.app.get(ReadDatabase),
    );
    const before = { printed: await printReportSql(c), days: await allByDay() };
    await expect(other.onApplicationBootstrap()).rejects.toThrow(/Asia\/Shanghai/);
    expect({ printed: await printReportSql(c), days: await allByDay() }).toEqual(before);
    expect(await q(`SELECT report_time_zone() AS tz`)).toEqual([{ tz: ZONE }]);
  });
});
