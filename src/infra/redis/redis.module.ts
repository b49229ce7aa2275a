import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis, { Cluster, type RedisOptions } from 'ioredis';
import { APP_CONFIG, AppConfig } from '../../config/app-config';

export const REDIS = Symbol('REDIS');

/**
 * A connection to Redis whatever the topology: one server, a Sentinel-managed master (a plain ioredis
 * client that asks the sentinels where the master is, again after every disconnect) or a Cluster.
 */
export type RedisClient = Redis | Cluster;

/** ioredis options for every connection we open. Producers fail fast instead of queueing when Redis is away. */
export function redisOptions(config: AppConfig, extra: { forBullWorker?: boolean } = {}) {
  return {
    lazyConnect: false,
    enableOfflineQueue: extra.forBullWorker ?? false,
    maxRetriesPerRequest: extra.forBullWorker ? null : 1,
    connectTimeout: 3000,
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  };
}

/** What REDIS_URL says about the data nodes besides where they are: credentials, TLS, database. */
function credentials(config: AppConfig): Pick<RedisOptions, 'username' | 'password' | 'tls' | 'db'> {
  const url = new URL(config.redisUrl);
  return {
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined,
  };
}

/**
 * Everything ioredis needs to reach one server or a Sentinel-managed master, as plain options (BullMQ
 * workers open their own connections from them). Not for a Cluster (see createRedisClient).
 */
export function redisConnectionOptions(
  config: AppConfig,
  extra: { forBullWorker?: boolean } = {},
): RedisOptions {
  const topology = config.redisTopology;
  const base = { ...credentials(config), ...redisOptions(config, extra) };
  if (topology.kind === 'sentinel') {
    return {
      ...base,
      sentinels: topology.sentinels,
      name: topology.name,
      sentinelPassword: topology.sentinelPassword,
      // the sentinels are asked again after every disconnect; between failed rounds, wait a little.
      // (ioredis's failoverDetector is left off: a +switch-master arriving while the client is
      // reconnecting ends the client for good, as seen with ioredis 5.11.)
      sentinelRetryStrategy: (times: number) => Math.min(times * 200, 2000),
    };
  }
  const url = new URL(config.redisUrl);
  return { ...base, host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 6379) };
}

/** A new connection of the configured topology. */
export function createRedisClient(config: AppConfig, extra: { forBullWorker?: boolean } = {}): RedisClient {
  const topology = config.redisTopology;
  if (topology.kind !== 'cluster') return new Redis(redisConnectionOptions(config, extra));
  const options = redisOptions(config, extra);
  return new Cluster(topology.nodes, {
    enableOfflineQueue: options.enableOfflineQueue,
    clusterRetryStrategy: options.retryStrategy,
    // a node that moved or failed over: ask again soon, a few times, before failing the command
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
    retryDelayOnTryAgain: 200,
    slotsRefreshTimeout: 2000,
    redisOptions: {
      ...credentials(config),
      db: undefined,
      connectTimeout: options.connectTimeout,
      maxRetriesPerRequest: options.maxRetriesPerRequest,
    },
  });
}

/**
 * BullMQ's key prefix. On a Cluster every key one of its scripts touches must live in one hash slot,
 * so the prefix is a hash tag there (`{zqt}`): all queue keys on one master, which the load fits.
 */
export function bullPrefix(config: AppConfig): string {
  return config.redisTopology.kind === 'cluster' ? `{${config.redisPrefix}}` : config.redisPrefix;
}

/** Keys we own outside BullMQ live under `<prefix>:`, so test files and deployments never collide. */
@Injectable()
export class RedisKeys {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}
  key(...parts: string[]): string {
    return [this.config.redisPrefix, ...parts].join(':');
  }
}

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: RedisClient) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const client = createRedisClient(config);
        client.on('error', () => undefined); // surfaced by /health and by the calls that fail
        return client;
      },
    },
    RedisKeys,
    RedisCloser,
  ],
  exports: [REDIS, RedisKeys],
})
export class RedisModule {}
