import Redis from 'ioredis';
import { appealBody, client, world, World } from '../setup/appeal-helpers';
import { allRouted, closeAndStop, deadlinesFire, loginLimitHolds, summaryCounts } from '../setup/ha-checks';
import { available, RedisCluster, startRedisCluster } from '../setup/ha-processes';
import { createTestApp, TestApp } from '../setup/test-app';

const NAME = 'the app on a 3-master Redis Cluster (REDIS_CLUSTER_NODES)';

/**
 * Queues, deadlines, the login limit, the rate limiter and the reports with Redis as a Cluster of three
 * masters started here: BullMQ's keys carry the hash tag `{prefix}` so each script's keys share a slot.
 */
(available('redis-cluster', NAME) ? describe : describe.skip)(NAME, () => {
  let cluster: RedisCluster;
  let t: TestApp;
  let w: World;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    t = await createTestApp({
      env: { REDIS_CLUSTER_NODES: cluster.nodesEnv, TRUSTED_PROXIES: 'loopback', LOGIN_FAILURE_LIMIT: '3' },
    });
    w = await world(t);
    api = client(t);
  }, 60_000);
  afterAll(() => closeAndStop(t), 60_000);

  /** Every key of every master, by node. */
  async function keysByNode(match: string): Promise<string[][]> {
    return Promise.all(
      cluster.nodes.map(async (n) => {
        const c = new Redis({ port: n.port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
        try {
          return await c.keys(match);
        } finally {
          c.disconnect();
        }
      }),
    );
  }

  it('filed appeals are routed by their jobs; the queue keys are hash-tagged into one slot', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i++)
      ids.push((await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201)).body.id);
    await allRouted(t, ids);
    const prefix = t.config.redisPrefix;
    const bull = (await keysByNode(`{${prefix}}:*`)).map((keys) => keys.length);
    // BullMQ's keys all live on the master that owns the tag's slot, none anywhere else
    expect(bull.filter((n) => n > 0)).toHaveLength(1);
    const c = new Redis({ port: cluster.nodes[0].port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
    try {
      const keys = (await keysByNode(`{${prefix}}:*`)).flat();
      const slots = new Set(await Promise.all(keys.slice(0, 50).map((k) => c.cluster('KEYSLOT', k))));
      expect(slots.size).toBe(1);
    } finally {
      c.disconnect();
    }
    // the appeals route through the dispatch queue of this cluster, not the single test Redis
    expect((await keysByNode(`{${prefix}}:dispatch:*`)).flat().length).toBeGreaterThan(0);
  });

  it('deadline wake-ups fire from the deadlines queue', async () => {
    expect(await deadlinesFire(t, api, w)).toContain('deadline.overdue');
  });

  it('the login limit counts in the cluster: past LOGIN_FAILURE_LIMIT the answer is 429', async () => {
    await loginLimitHolds(t, w.otherHandler.user.username, 3);
    const counters = (await keysByNode(`${t.config.redisPrefix}:login-fail:*`)).flat();
    expect(counters.length).toBeGreaterThan(0);
    // and the rate limiter's counters are there too
    expect((await keysByNode(`${t.config.redisPrefix}:throttle:*`)).flat().length).toBeGreaterThan(0);
  });

  it('the reports and /health answer', async () => {
    const res = await summaryCounts(api, w, 10);
    expect(res.body.freshness).toMatchObject({ source: 'primary', ageSeconds: 0 });
    const health = await t.http().get('/health').expect(200);
    expect(health.body.info.redis.status).toBe('up');
  });
});
