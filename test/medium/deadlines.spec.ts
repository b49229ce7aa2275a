import { DeadlinesService } from '../../src/modules/deadlines/deadlines.service';
import { appealBody, client, world, World, categoryWithPolicy } from '../setup/appeal-helpers';
import { deleteRedisPrefix, createTestApp, TestApp } from '../setup/test-app';
import { REDIS_URL } from '../setup/test-env';
import { waitFor } from '../setup/wait';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SPEC §3 enforcement against real Redis and PostgreSQL, with natural-clock policies of seconds. */
describe('deadline enforcement (BullMQ + PostgreSQL)', () => {
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

  async function dispatched(categoryCode: string, appealDb = t) {
    const filed = await client(appealDb)
      .post('/appeals', w.enterprise.auth, appealBody(w, { categoryCode }))
      .expect(201);
    await client(appealDb)
      .post(`/appeals/${filed.body.id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: w.lead.id })
      .expect(200);
    return filed.body.id as string;
  }

  const actions = async (id: string, db = t) => {
    const rows: { action: string }[] = await db.db.query(
      `SELECT action FROM appeal_events WHERE appeal_id = $1 ORDER BY seq`,
      [id],
    );
    return rows.map((r) => r.action);
  };

  it('a warning then an overdue fire once each; overdue flags, supervises and logs; repeats change nothing', async () => {
    const code = await categoryWithPolicy(api, w, { ackWithin: 'PT2S', replyWithin: 'PT20S', warnAt: 0.5 });
    const id = await dispatched(code);
    await waitFor(async () => (await actions(id)).includes('deadline.overdue'));
    await sleep(500);
    expect((await actions(id)).filter((a) => a.startsWith('deadline.'))).toEqual([
      'deadline.warning',
      'deadline.overdue',
    ]);
    const appeal = (await api.get(`/appeals/${id}`, w.dispatcher.auth).expect(200)).body;
    expect(appeal.supervised).toBe(true);
    expect(appeal.assignments[0]).toMatchObject({ overdue: true, warning: true });
    const sup = await t.db.query(`SELECT source FROM supervisions WHERE appeal_id = $1`, [id]);
    expect(sup).toEqual([{ source: 'overdue' }]);
    // the department is told: its new case, the warning, the overdue
    const inbox = await api.get('/notifications?limit=100', w.leadHandler.auth).expect(200);
    const kinds = inbox.body.items
      .filter((n: { appealId: string }) => n.appealId === id)
      .map((n: { kind: string }) => n.kind);
    expect(kinds.sort()).toEqual(['assignment.new', 'deadline.overdue', 'deadline.warning']);
    // the same wake-up again, and a sweep: nothing more
    const deadlines = t.app.get(DeadlinesService);
    expect(await deadlines.fire(appeal.assignments[0].id, 'ack_overdue')).toBe(false);
    expect(await deadlines.fire(appeal.assignments[0].id, 'ack_warning')).toBe(false);
    await deadlines.sweep();
    expect((await actions(id)).filter((a) => a.startsWith('deadline.'))).toHaveLength(2);
    expect((await api.get(`/appeals/${id}/events/verify`, w.dispatcher.auth)).body.valid).toBe(true);
  });

  it('a wake-up before its instant fires nothing and is recognised as early (the processor retries it)', async () => {
    const code = await categoryWithPolicy(api, w, { ackWithin: 'PT60S', replyWithin: 'PT120S', warnAt: 0.5 });
    const id = await dispatched(code);
    const a = (await api.get(`/appeals/${id}`, w.dispatcher.auth)).body.assignments[0];
    const deadlines = t.app.get(DeadlinesService);
    expect(await deadlines.fire(a.id, 'ack_overdue')).toBe(false);
    expect(await deadlines.isEarly(a.id, 'ack_overdue')).toBe(true);
    // once acknowledged, the acknowledgement timers are no longer pending at all: not early, nothing to do
    await api.post(`/appeals/${id}/acknowledge`, w.leadHandler.auth).expect(200);
    expect(await deadlines.isEarly(a.id, 'ack_overdue')).toBe(false);
    expect(await deadlines.isEarly(a.id, 'reply_overdue')).toBe(true);
  });

  it('an acknowledgement in time prevents the acknowledgement overdue', async () => {
    const code = await categoryWithPolicy(api, w, { ackWithin: 'PT2S', replyWithin: 'PT60S', warnAt: 0.9 });
    const id = await dispatched(code);
    await api.post(`/appeals/${id}/acknowledge`, w.leadHandler.auth).expect(200);
    await sleep(3000);
    expect((await actions(id)).filter((a) => a.startsWith('deadline.'))).toEqual([]);
    const a = (await api.get(`/appeals/${id}`, w.dispatcher.auth)).body.assignments[0];
    expect(a).toMatchObject({ ackOnTime: true, overdue: false });
  });

  it('an approved extension moves the reply overdue', async () => {
    const code = await categoryWithPolicy(api, w, { ackWithin: 'PT60S', replyWithin: 'PT3S', warnAt: 0.95 });
    const id = await dispatched(code);
    await api.post(`/appeals/${id}/acknowledge`, w.leadHandler.auth).expect(200);
    const ext = await api
      .post(`/appeals/${id}/extensions`, w.leadHandler.auth, { days: 2, reason: '需要现场核查' })
      .expect(201);
    await api.post(`/appeals/${id}/extensions/${ext.body.id}/approve`, w.dispatcher.auth).expect(200);
    await sleep(4000);
    expect((await actions(id)).filter((a) => a === 'deadline.overdue')).toEqual([]);
    const a = (await api.get(`/appeals/${id}`, w.dispatcher.auth)).body.assignments[0];
    expect(a.overdue).toBe(false);
    expect(new Date(a.replyDueAt).getTime()).toBeGreaterThan(Date.now() + 24 * 3600_000);
  });

  it('no survey within the window closes the appeal as not_rated', async () => {
    const code = await categoryWithPolicy(api, w, {
      ackWithin: 'PT60S',
      replyWithin: 'PT60S',
      surveyWithin: 'PT2S',
    });
    const id = await dispatched(code);
    await api.post(`/appeals/${id}/acknowledge`, w.leadHandler.auth).expect(200);
    await api
      .post(`/appeals/${id}/reply`, w.leadHandler.auth, { content: '已处理', outcome: 'resolved' })
      .expect(200);
    await waitFor(async () => (await api.get(`/appeals/${id}`, w.dispatcher.auth)).body.status === 'closed');
    const appeal = (await api.get(`/appeals/${id}`, w.dispatcher.auth)).body;
    expect(appeal).toMatchObject({ status: 'closed', closeReason: 'not_rated' });
    expect((await actions(id)).slice(-1)).toEqual(['appeal.closed']);
  });

  it('Redis flushed while 100 deadlines are pending, worker restarted: every deadline fires exactly once', async () => {
    // 40 s: filing and dispatching 100 appeals must finish before the first warning, even on a loaded machine
    const code = await categoryWithPolicy(api, w, { ackWithin: 'PT40S', replyWithin: 'PT120S', warnAt: 0.9 });
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) ids.push(await dispatched(code));
    // all 200 timers (a warning and an overdue each) are still pending when Redis loses them
    const [{ pending }] = await t.db.query(
      `SELECT count(*)::int AS pending FROM assignments WHERE appeal_id = ANY($1) AND ack_warn_fired_at IS NULL AND ack_overdue_fired_at IS NULL`,
      [ids],
    );
    expect(pending).toBe(100);
    const reuse = { databaseName: t.databaseName, redisPrefix: t.config.redisPrefix };
    await t.stop();
    await deleteRedisPrefix(REDIS_URL, reuse.redisPrefix); // every wake-up and the sweep scheduler are gone
    t = await createTestApp({ reuse });
    api = client(t);
    await waitFor(
      async () => {
        const [{ n }] = await t.db.query(
          `SELECT count(*)::int AS n FROM appeal_events WHERE action = 'deadline.overdue' AND appeal_id = ANY($1)`,
          [ids],
        );
        return n === 100;
      },
      'all 100 overdue events',
      60_000,
    );
    await sleep(1000);
    const rows: { appeal_id: string; action: string; n: number }[] = await t.db.query(
      `SELECT appeal_id, action, count(*)::int AS n FROM appeal_events
       WHERE action LIKE 'deadline.%' AND appeal_id = ANY($1) GROUP BY appeal_id, action`,
      [ids],
    );
    expect(rows).toHaveLength(200); // a warning and an overdue for each of the 100
    expect(rows.every((r) => r.n === 1)).toBe(true);
  }, 240_000);
});
