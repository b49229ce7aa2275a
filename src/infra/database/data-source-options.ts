import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import { applyReportTimeZone } from '../../modules/reports/report-time-zone';
import { ENTITIES } from './entities';

export function dataSourceOptions(databaseUrl: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: poolSize, application_name: 'zhengqitong' },
  };
}

/** An arbitrary constant: one migrating process at a time, however many start together. */
const MIGRATION_LOCK = 7_345_012_345;

export interface MigrateOptions {
  /** TZ_CALENDAR: the report rollups' local days follow it (rebuilt when it changed); absent, they stay */
  calendarTimeZone?: string;
  log?: (message: string) => void;
}

/**
 * Runs pending migrations, then the migration-time settings (the report rollups' time zone), under a
 * PostgreSQL advisory lock; returns the names of the migrations it applied.
 */
export async function migrate(databaseUrl: string, options: MigrateOptions = {}): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(databaseUrl, 2));
  await ds.initialize();
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await ds.runMigrations({ transaction: 'each' });
    if (options.calendarTimeZone) {
      const was = await applyReportTimeZone(runner, options.calendarTimeZone);
      if (was !== null)
        options.log?.(
          `report rollups rebuilt for TZ_CALENDAR ${options.calendarTimeZone} (they were in ${was})`,
        );
    }
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
    await ds.destroy();
  }
}
