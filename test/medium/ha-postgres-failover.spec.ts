import { setTimeout as sleep } from 'node:timers/promises';
import { migrate } from '../../src/infra/database/data-source-options';
import { appealBody, client, world, World } from '../setup/appeal-helpers';
import { CuttableProxy } from '../setup/cuttable-proxy';
import { allRouted, closeAndStop, expectEachAcceptedOnce, FilingLoad } from '../setup/ha-checks';
import { available, caughtUp, PgServer, startPostgresPair } from '../setup/ha-processes';
import { createTestApp, TestApp } from '../setup/test-app';
import { waitFor } from '../setup/wait';

const NAME = 'a PostgreSQL primary killed under load, its standby promoted behind a proxy';
const DB = 'zqt_test_ha_failover';

/**
 * A primary and a synchronous streaming standby started here; the app reaches the database through a
 * TCP proxy, as operators run it (a proxy or a virtual address that follows the primary). Eight clients
 * file appeals, each under an Idempotency-Key retried until it is accepted; the primary is SIGKILLed,
 * the standby promoted (pg_ctl promote) and the proxy pointed at it. Writes answer 503 while no primary
 * is there and 201 again after the promotion without a restart; every 201 is in the promoted database
 * once, with its event chain intact.
 */
(available('postgres', NAME) ? describe : describe.skip)(NAME, () => {
  let primary: PgServer;
  let standby: PgServer;
  const proxy = new CuttableProxy();
  let t: TestApp;
  let w: World;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    const pair = await startPostgresPair({ standby: true, synchronous: true });
    primary = pair.primary;
    standby = pair.standby!;
    await primary.query(`CREATE DATABASE ${DB}`);
    await migrate(primary.url(DB));
    await caughtUp(primary, standby);
    await proxy.start(new URL(primary.url()));
    t = await createTestApp({
      databaseUrl: () => `postgres://postgres@127.0.0.1:${proxy.port}/${DB}`,
      // the limiter still counts every request, but refuses none of the load's
      env: { RATE_LIMIT_PER_MINUTE: '100000' },
    });
    w = await world(t);
    api = client(t);
  }, 120_000);
  afterAll(() => closeAndStop(t, () => proxy.restore()).finally(() => proxy.close()), 60_000);

  it('8 filing clients through the kill and the promotion: 503 meanwhile, nothing lost, nothing doubled', async () => {
    const load = new FilingLoad(api, w, 8);
    load.start();
    await waitFor(async () => load.accepted.size >= 16, 'filings before the kill', 30_000);

    const killedAt = load.now();
    await primary.kill();
    proxy.stop(); // the proxy finds its server gone: every connection through it drops
    await sleep(1000); // what a failover manager takes to decide, at the least
    const promoteFrom = load.now();
    await standby.promote();
    proxy.retarget(new URL(standby.url()));
    proxy.restore();
    const promotedAt = load.now();
    const back = await waitFor(
      async () => load.attempts.find((a) => a.at >= promotedAt && a.status === 201),
      'a filing accepted after the promotion',
      30_000,
    );
    await sleep(3000);
    await load.stop();

    const firstOk = load.attempts
      .filter((a) => a.at > killedAt && a.status === 201)
      .reduce((min, a) => Math.min(min, a.at), Infinity);
    console.log(
      `[ha] PostgreSQL failover (loaded machine): primary killed at ${killedAt} ms; promote took ` +
        `${promotedAt - promoteFrom} ms; first filing sent after the kill and accepted: ${firstOk - killedAt} ms ` +
        `after the kill (${back.at - promotedAt} ms after the promotion). Filings: before ${JSON.stringify(
          load.statuses(0, killedAt),
        )}, while no primary ${JSON.stringify(load.statuses(killedAt, promotedAt))}, after ${JSON.stringify(
          load.statuses(promotedAt),
        )}; ${load.accepted.size} filings accepted`,
    );
    // while the primary was gone writes were refused with 503, never a 500 or another error
    const statuses = Object.keys(load.statuses());
    expect(statuses.filter((s) => s !== '201' && s !== '503')).toEqual([]);
    expect(load.statuses(killedAt + 200, promoteFrom)['503']).toBeGreaterThan(0);
    // no filing sent while there was no primary was accepted before there was one again (one sent
    // before the kill may be answered after it: its commit had reached the synchronous standby)
    const acceptedMeanwhile = load.attempts.filter(
      (a) => a.status === 201 && a.at > killedAt + 200 && a.doneAt < promoteFrom,
    );
    expect(acceptedMeanwhile).toEqual([]);

    // every 201 is in the promoted database, once, its events verified
    await expectEachAcceptedOnce(load, t);
    const [{ recovery }] = await t.db.query('SELECT pg_is_in_recovery() AS recovery');
    expect(recovery).toBe(false);
  }, 180_000);

  it('after the promotion, without a restart: filing, routing and reads work on the new primary', async () => {
    const filed = await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201);
    await allRouted(t, [filed.body.id]);
    await api.get(`/appeals/${filed.body.id}`, w.dispatcher.auth).expect(200);
    const health = await t.http().get('/health').expect(200);
    expect(health.body.info.database.status).toBe('up');
  });
});
