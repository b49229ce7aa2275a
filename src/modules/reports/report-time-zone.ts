import type { QueryRunner } from 'typeorm';
import { reportTimeZoneFunction } from './report-counters.sql';

/**
 * Makes the rollups' local days those of TZ_CALENDAR: when report_time_zone() names another zone,
 * re-creates it and rebuilds the rollups from the rows, in one transaction. A migration-time step —
 * the migration runner calls it under its lock, before the application starts; the application only
 * checks the zone. Returns the zone it replaced, or null when the database was already in `timeZone`.
 */
export async function applyReportTimeZone(runner: QueryRunner, timeZone: string): Promise<string | null> {
  const [{ tz }] = await runner.query(`SELECT report_time_zone() AS tz`);
  if (tz === timeZone) return null;
  await runner.startTransaction();
  try {
    await runner.query(reportTimeZoneFunction(timeZone).sql);
    await runner.query(`SELECT report_rebuild()`);
    await runner.commitTransaction();
  } catch (err) {
    await runner.rollbackTransaction();
    throw err;
  }
  return tz as string;
}
