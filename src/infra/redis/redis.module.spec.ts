import { loadConfig } from '../../config/app-config';
import { bullPrefix, redisConnectionOptions } from './redis.module';

const base = { JWT_SECRET: 'a-secret-of-sixteen+', REDIS_PREFIX: 'zqt' };

describe('Redis connections by topology', () => {
  it("BullMQ's prefix is a hash tag on a Cluster only", () => {
    expect(bullPrefix(loadConfig(base))).toBe('zqt');
    expect(bullPrefix(loadConfig({ ...base, REDIS_SENTINELS: 's:26379' }))).toBe('zqt');
    expect(bullPrefix(loadConfig({ ...base, REDIS_CLUSTER_NODES: 'a:7000' }))).toBe('{zqt}');
  });

  it('one server: host, port, credentials, TLS and database from REDIS_URL', () => {
    const o = redisConnectionOptions(loadConfig({ ...base, REDIS_URL: 'rediss://u:p%40ss@[::1]:6380/3' }));
    expect(o).toMatchObject({ host: '::1', port: 6380, username: 'u', password: 'p@ss', db: 3, tls: {} });
    expect(o.sentinels).toBeUndefined();
  });

  it('Sentinel: the sentinels and the master name; the password of REDIS_URL for the data nodes', () => {
    const o = redisConnectionOptions(
      loadConfig({
        ...base,
        REDIS_URL: 'redis://:secret@ignored:1',
        REDIS_SENTINELS: 's1:26379,s2:26379',
        REDIS_SENTINEL_NAME: 'zqt',
        REDIS_SENTINEL_PASSWORD: 'sp',
      }),
      { forBullWorker: true },
    );
    expect(o).toMatchObject({
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
      name: 'zqt',
      password: 'secret',
      sentinelPassword: 'sp',
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
    });
    expect(o.host).toBeUndefined();
  });
});
