import { setTimeout as sleep } from 'node:timers/promises';
import { client, world, World } from '../setup/appeal-helpers';
import {
  allRouted,
  clientAddress,
  closeAndStop,
  deadlinesFire,
  expectEachAcceptedOnce,
  FilingLoad,
  loginLimitHolds,
  summaryCounts,
} from '../setup/ha-checks';
import { available, RedisSentinelSet, startRedisSentinel } from '../setup/ha-processes';
import { createTestApp, TestApp } from '../setup/test-app';
import { PASSWORD } from '../setup/factories';

const NAME = 'the app on Redis Sentinel, its master killed under load';

/**
 * A master, a replica and three sentinels started here; the app finds the master through the sentinels
 * (REDIS_SENTINELS). Eight clients file appeals and two log in while the master is SIGKILLed: the
 * sentinels promote the replica, the app follows without a restart, and whatever Redis lost (routing
 * jobs that could not be enqueued) the routing sweeper repairs.
 */
(available('redis', NAME) ? describe : describe.skip)(NAME, () => {
  let set: RedisSentinelSet;
  let t: TestApp;
  let w: World;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    set = await startRedisSentinel();
    t = await createTestApp({
      env: {
        REDIS_SENTINELS: set.sentinelsEnv,
        REDIS_SENTINEL_NAME: set.name,
        TRUSTED_PROXIES: 'loopback',
        LOGIN_FAILURE_LIMIT: '5',
        // the limiter counts every request in Redis, but refuses none of the load's
        RATE_LIMIT_PER_MINUTE: '100000',
      },
    });
    w = await world(t);
    api = client(t);
  }, 60_000);
  afterAll(() => closeAndStop(t), 60_000);

  it('before the kill: queues, deadlines, the login limit and reports work through the sentinels', async () => {
    const filed = await api.post('/appeals', w.enterprise.auth, { ...baseBody() }).expect(201);
    await allRouted(t, [filed.body.id]);
    await deadlinesFire(t, api, w);
    await loginLimitHolds(t, w.otherHandler.user.username, 5);
    await summaryCounts(api, w, 1);
  });

  it('master SIGKILLed mid-load: filing never stops, logins are 503 until the replica is promoted, nothing is lost', async () => {
    const load = new FilingLoad(api, w, 8);
    const logins: { at: number; status: number; ms: number }[] = [];
    let loggingIn = true;
    // one user per login client: each successful login clears its own count
    const loginLoop = async (username: string) => {
      while (loggingIn) {
        const at = load.now();
        const res = await t
          .http()
          .post('/api/v1/auth/login')
          .set('X-Forwarded-For', clientAddress()) // the route's per-address limit is not what is tested
          .send({ username, password: PASSWORD });
        logins.push({ at, status: res.status, ms: load.now() - at });
        await sleep(100);
      }
    };
    load.start();
    const loginClients = [loginLoop(w.leadHandler.user.username), loginLoop(w.dispatcher.user.username)];
    await sleep(2000);
    expect(load.statuses()).toEqual({ 201: expect.any(Number) });

    const killedAt = load.now();
    await set.master.kill();
    // the sentinels' view: until they name the replica as the master
    let switchedAt = 0;
    for (;;) {
      if ((await set.masterPort()) === set.replica.port) {
        switchedAt = load.now();
        break;
      }
      if (load.now() - killedAt > 30_000) throw new Error('the sentinels never promoted the replica');
      await sleep(50);
    }
    // until logins have succeeded for a while after the kill
    let loginBackAt = 0;
    for (;;) {
      const ok = logins.find((l) => l.at > killedAt && l.status === 200);
      if (ok) {
        loginBackAt = ok.at;
        break;
      }
      if (load.now() - killedAt > 40_000) throw new Error('logins never worked again after the failover');
      await sleep(50);
    }
    await sleep(3000);
    loggingIn = false;
    await Promise.all(loginClients);
    await load.stop();

    const during = logins.filter((l) => l.at > killedAt && l.at < loginBackAt);
    console.log(
      `[ha] Redis Sentinel failover (loaded machine): master killed at ${killedAt} ms; sentinels named ` +
        `the replica after ${switchedAt - killedAt} ms; first login answered 200 after ${loginBackAt - killedAt} ms. ` +
        `Filings: before ${JSON.stringify(load.statuses(0, killedAt))}, during ${JSON.stringify(
          load.statuses(killedAt, loginBackAt),
        )}, after ${JSON.stringify(load.statuses(loginBackAt))}; logins sent during ${JSON.stringify(
          count(during.map((l) => l.status)),
        )}, all ${JSON.stringify(count(logins.map((l) => l.status)))}; around the kill: ${logins
          .filter((l) => l.at > killedAt - 2000 && l.at < loginBackAt + 500)
          .map((l) => `${l.at}:${l.status}(${l.ms} ms)`)
          .join(' ')}`,
    );
    // filing does not need Redis: every attempt was accepted, before, during and after
    expect(Object.keys(load.statuses())).toEqual(['201']);
    // a login without its counter is refused with 503, never let through unlimited, never a 500
    expect(logins.every((l) => l.status === 200 || l.status === 503)).toBe(true);
    expect(logins.filter((l) => l.at > loginBackAt).every((l) => l.status === 200)).toBe(true);

    await expectEachAcceptedOnce(load, t);
    // routing jobs that could not be enqueued during the failover are the sweeper's (every 30 s)
    const ids = [...load.accepted.values()].map((s) => [...s][0]);
    await allRouted(t, ids, 60_000);
  }, 150_000);

  it('after the failover: deadlines fire, the login limit holds and the reports answer, without a restart', async () => {
    await deadlinesFire(t, api, w);
    await loginLimitHolds(t, w.coHandler.user.username, 5);
    await summaryCounts(api, w, 1);
    const health = await t.http().get('/health').expect(200);
    expect(health.body.info.redis.status).toBe('up');
  });

  function baseBody() {
    return {
      type: 'help',
      categoryCode: w.category.code,
      title: '技改项目贷款审批超过三个月未有结果',
      content: '我司于今年五月提交的技改贷款贴息申请至今未有答复，影响生产线改造进度。',
    };
  }
});

function count(values: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
