import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { isUnreachable } from '../http/error.filter';
import { dataSourceOptions } from './data-source-options';

/** Where a read's figures came from and how old they are. */
export interface Freshness {
  source: 'primary' | 'replica';
  /** the primary's state the figures show: now on the primary, now minus the replay lag on a replica */
  asOf: Date;
  /** seconds the figures may lag the primary (0 on the primary), rounded up to a tenth */
  ageSeconds: number;
}

/**
 * How far the replica's snapshot lags the primary, read as the first statement of the snapshot (so it
 * is the lag of that very snapshot). Caught up with a live WAL receiver: 0. Otherwise the time since
 * the last transaction it replayed committed on the primary, an upper bound (the primary may have
 * committed nothing since). A server that is not in recovery (a promoted replica) lags nothing.
 */
const LAG_SQL = `
SELECT CASE
  WHEN NOT pg_is_in_recovery() THEN 0
  WHEN EXISTS (SELECT 1 FROM pg_stat_wal_receiver)
       AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
  ELSE COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 'Infinity')
END::float8 AS lag, clock_timestamp() AS now`;

/** After the replica fails to answer, it is left alone this long before being tried again. */
const RETRY_AFTER_MS = 5000;

class TooStale extends Error {}

/**
 * DATABASE_READ_URL: the read-only routes that may be a few seconds stale (the reports) run their
 * snapshot on a streaming replica when one is configured, answers, and lags the primary by at most
 * READ_MAX_LAG_SECONDS; on the primary otherwise. Each read says which it was and how old its figures
 * are. A replica that failed is skipped for a few seconds, so an outage costs no connect timeout per read.
 */
@Injectable()
export class ReadDatabase implements OnApplicationShutdown {
  private readonly logger = new Logger(ReadDatabase.name);
  private replica?: DataSource;
  private connecting?: Promise<DataSource>;
  private skipUntil = 0;

  constructor(
    @InjectDataSource() private readonly primary: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Runs `work` in one read-only REPEATABLE READ snapshot on the replica or the primary. */
  async snapshot<T>(work: (m: EntityManager) => Promise<T>): Promise<{ value: T; freshness: Freshness }> {
    if (this.config.databaseReadUrl && Date.now() >= this.skipUntil) {
      try {
        return await this.onReplica(work);
      } catch (err) {
        if (err instanceof TooStale) {
          // the replica answers but lags: the primary for this read, the replica again next time
        } else if (isUnreachable(err) || isRecoveryConflict(err)) {
          if (isUnreachable(err)) this.skipUntil = Date.now() + RETRY_AFTER_MS;
          this.logger.warn(`read replica unusable (${(err as Error).message}); reading the primary`);
        } else {
          throw err;
        }
      }
    }
    return this.onPrimary(work);
  }

  private async onPrimary<T>(work: (m: EntityManager) => Promise<T>) {
    return readOnlySnapshot(this.primary, async (m) => {
      const [{ now }]: { now: Date }[] = await m.query('SELECT clock_timestamp() AS now');
      const value = await work(m);
      return { value, freshness: { source: 'primary' as const, asOf: now, ageSeconds: 0 } };
    });
  }

  private async onReplica<T>(work: (m: EntityManager) => Promise<T>) {
    const replica = await this.replicaSource();
    return readOnlySnapshot(replica, async (m) => {
      const [{ lag, now }]: { lag: number; now: Date }[] = await m.query(LAG_SQL);
      if (!(lag <= this.config.readMaxLagSeconds)) throw new TooStale();
      const ageSeconds = Math.ceil(lag * 10) / 10;
      const value = await work(m);
      return {
        value,
        freshness: {
          source: 'replica' as const,
          asOf: new Date(new Date(now).getTime() - ageSeconds * 1000),
          ageSeconds,
        },
      };
    });
  }

  private replicaSource(): Promise<DataSource> {
    if (this.replica?.isInitialized) return Promise.resolve(this.replica);
    this.connecting ??= (async () => {
      const ds = new DataSource({
        ...dataSourceOptions(this.config.databaseReadUrl!, this.config.dbPoolSize),
        extra: {
          max: this.config.dbPoolSize,
          application_name: 'zhengqitong-read',
          connectionTimeoutMillis: 2000,
        },
      });
      try {
        await ds.initialize();
        this.replica = ds;
        return ds;
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.replica?.isInitialized) await this.replica.destroy().catch(() => undefined);
  }
}

/**
 * `work` in a read-only REPEATABLE READ transaction of its own connection, opened by one statement
 * (DataSource.transaction takes two, and a third to make it read-only): a report's snapshot costs its
 * statements, a begin and a commit.
 */
async function readOnlySnapshot<T>(ds: DataSource, work: (m: EntityManager) => Promise<T>): Promise<T> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    let value: T;
    try {
      value = await work(runner.manager);
    } catch (err) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    await runner.query('COMMIT');
    return value;
  } finally {
    await runner.release();
  }
}

/** A standby cancelled the query because replaying the primary's WAL needed what it read. */
function isRecoveryConflict(err: unknown): boolean {
  return (err as { code?: string }).code === '40001' && /recovery/i.test((err as Error).message);
}
