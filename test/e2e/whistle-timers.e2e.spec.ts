import { appealBody, categoryWithPolicy, client, world, World } from '../setup/appeal-helpers';
import { createTestApp, deleteRedisPrefix, TestApp } from '../setup/test-app';
import { REDIS_URL } from '../setup/test-env';
import { waitFor } from '../setup/wait';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * SPEC §12 deadlines through the §3 machinery with real workers and the real clock: a whistle's review
 * timer is armed after the writer commits and fired by its `deadline.timer` wake-up, once; with Redis
 * flushed while timers are pending and the worker restarted, the sweeper fires each exactly once.
 */
describe('SPEC §12: whistle timers on BullMQ (e2e)', () => {
  let t: TestApp;
  let w: World;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    t = await createTestApp();
    w = await world(t);
    api = client(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const count = async (ids: string[], kind: string): Promise<Map<string, number>> => {
    const rows: { appeal_id: string; n: number }[] = await t.db.query(
      `SELECT appeal_id, count(*)::int AS n FROM appeal_events
        WHERE appeal_id = ANY($1) AND action LIKE 'deadline.%' AND data ->> 'kind' = $2 GROUP BY 1`,
      [ids, kind],
    );
    return new Map(rows.map((r) => [r.appeal_id, r.n]));
  };
  const blow = async (code: string) => {
    const id = (
      await api.post('/appeals', w.enterprise.auth, appealBody(w, { categoryCode: code })).expect(201)
    ).body.id as string;
    await api.post(`/appeals/${id}/whistle`, w.enterprise.auth, { reason: '多个部门互相推诿' }).expect(201);
    return id;
  };

  it('a review left undone is warned and then overdue by its wake-ups, each once', async () => {
    const code = await categoryWithPolicy(api, w, {
      ackWithin: 'PT1H',
      replyWithin: 'PT2H',
      whistleReviewWithin: 'PT3S',
    });
    const id = await blow(code);
    await waitFor(
      async () => (await count([id], 'review_overdue')).get(id) === 1,
      'the review overdue',
      30_000,
    );
    await sleep(1500);
    expect((await count([id], 'review_overdue')).get(id)).toBe(1);
    expect((await count([id], 'review_warning')).get(id)).toBe(1);
    const [reminder] = await t.db.query(
      `SELECT level, department_id FROM supervisions WHERE appeal_id = $1`,
      [id],
    );
    expect(reminder).toEqual({ level: 'reminder', department_id: null });
  }, 60_000);

  it('Redis flushed while 10 reviews are pending, worker restarted: each fires exactly once', async () => {
    const code = await categoryWithPolicy(api, w, {
      ackWithin: 'PT1H',
      replyWithin: 'PT2H',
      whistleReviewWithin: 'PT10S',
    });
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await blow(code));
    const reuse = { databaseName: t.databaseName, redisPrefix: t.config.redisPrefix };
    await t.stop();
    await deleteRedisPrefix(REDIS_URL, reuse.redisPrefix); // every wake-up and the sweep scheduler are gone
    t = await createTestApp({ reuse });
    api = client(t);
    await waitFor(async () => (await count(ids, 'review_overdue')).size === 10, 'all 10 overdue', 90_000);
    await sleep(1500);
    const fired = await count(ids, 'review_overdue');
    expect([...fired.values()]).toEqual(Array(10).fill(1));
  }, 150_000);
});
