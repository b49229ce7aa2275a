import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../../config/app-config';

export const REDIS = Symbol('REDIS');

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
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
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
        const client = new Redis(config.redisUrl, redisOptions(config));
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
