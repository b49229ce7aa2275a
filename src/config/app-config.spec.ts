import { ConfigError, loadConfig } from './app-config';

const base = { JWT_SECRET: 'a-secret-of-sixteen+' };

describe('loadConfig', () => {
  it('fills defaults from SPEC §6', () => {
    const c = loadConfig(base);
    expect(c.port).toBe(3000);
    expect(c.calendarTimeZone).toBe('Asia/Shanghai');
    expect(c.maxReopens).toBe(2);
    expect(c.rateLimitPerMinute).toBe(600);
    expect(c.role).toBe('all');
  });

  it('parses numbers and roles', () => {
    const c = loadConfig({
      ...base,
      PORT: '8080',
      MAX_REOPENS: '3',
      ROLE: 'worker',
      DEFAULT_WARN_AT: '0.75',
    });
    expect(c).toMatchObject({ port: 8080, maxReopens: 3, role: 'worker', defaultWarnAt: 0.75 });
  });

  it.each([
    ['JWT_SECRET', { JWT_SECRET: undefined }],
    ['JWT_SECRET', { JWT_SECRET: 'short' }],
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['REDIS_URL', { REDIS_URL: 'http://x' }],
    ['ROLE', { ROLE: 'both' }],
    ['MAX_REOPENS', { MAX_REOPENS: '-1' }],
    ['ADMIN_PASSWORD', { ADMIN_PASSWORD: 'short' }],
    ['BODY_LIMIT', { BODY_LIMIT: 'huge' }],
  ])('names %s when it is missing or malformed', (name, patch) => {
    expect(() => loadConfig({ ...base, ...patch })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ...patch })).toThrow(new RegExp(name));
  });
});

describe('loadConfig: Redis topology and the read replica', () => {
  it('one Redis by URL unless sentinels or cluster nodes are named', () => {
    expect(loadConfig(base).redisTopology).toEqual({ kind: 'single' });
    expect(loadConfig(base)).toMatchObject({ databaseReadUrl: null, readMaxLagSeconds: 10 });
  });

  it('Sentinel: the sentinels as host and port, the master name (default mymaster)', () => {
    const c = loadConfig({ ...base, REDIS_SENTINELS: 's1:26379, 10.0.0.2:26380,[::1]:26381' });
    expect(c.redisTopology).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: '10.0.0.2', port: 26380 },
        { host: '::1', port: 26381 },
      ],
      name: 'mymaster',
      sentinelPassword: undefined,
    });
    expect(
      loadConfig({ ...base, REDIS_SENTINELS: 's1:1', REDIS_SENTINEL_NAME: 'zqt' }).redisTopology,
    ).toMatchObject({
      name: 'zqt',
    });
  });

  it('Cluster: the nodes; database 0 only', () => {
    expect(loadConfig({ ...base, REDIS_CLUSTER_NODES: 'a:7000,b:7001' }).redisTopology).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'a', port: 7000 },
        { host: 'b', port: 7001 },
      ],
    });
    expect(() =>
      loadConfig({ ...base, REDIS_CLUSTER_NODES: 'a:7000', REDIS_URL: 'redis://x:6379/2' }),
    ).toThrow(/database 0/);
  });

  it.each([
    ['REDIS_SENTINELS', { REDIS_SENTINELS: 'no-port' }],
    ['REDIS_CLUSTER_NODES', { REDIS_CLUSTER_NODES: 'a:7000,' }],
    ['REDIS_SENTINELS', { REDIS_SENTINELS: 'a:1', REDIS_CLUSTER_NODES: 'b:2' }],
    ['DATABASE_READ_URL', { DATABASE_READ_URL: 'mysql://x' }],
    ['READ_MAX_LAG_SECONDS', { READ_MAX_LAG_SECONDS: '-1' }],
  ])('names %s when it is malformed', (name, patch) => {
    expect(() => loadConfig({ ...base, ...patch })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ...patch })).toThrow(new RegExp(name));
  });

  it('the read replica and its lag bound', () => {
    const c = loadConfig({ ...base, DATABASE_READ_URL: 'postgres://r/zqt', READ_MAX_LAG_SECONDS: '2.5' });
    expect(c).toMatchObject({ databaseReadUrl: 'postgres://r/zqt', readMaxLagSeconds: 2.5 });
  });
});
