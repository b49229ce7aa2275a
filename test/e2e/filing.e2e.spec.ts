import { maskName, maskPhone } from '../../src/modules/appeals/disclosure';
import { randomUUID } from 'node:crypto';
import { FakeClock } from '../../src/common/clock';
import { appealBody, client, world, World } from '../setup/appeal-helpers';
import { createTestApp, TestApp } from '../setup/test-app';

const NUMBER = /^ZQT\d{8}\d{10}$/;

/**
 * SPEC §2 filing and the appeal number of SPEC §5: human-readable, unique, sortable — not gapless. Numbers
 * are ZQT + the creation date in TZ_CALENDAR + a 10-digit sequence value.
 */
describe('filing (e2e)', () => {
  let t: TestApp;
  let w: World;
  let api: ReturnType<typeof client>;
  // 2026-11-22 23:59:50 in Asia/Shanghai
  const clock = new FakeClock(new Date('2026-11-22T15:59:50.000Z'));

  beforeAll(async () => {
    // the webhook pump stays idle: deliveries are only counted here
    t = await createTestApp({ clock, env: { WEBHOOK_POLL_MS: '3600000' } });
    w = await world(t);
    api = client(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const localDay = (iso: string) =>
    new Intl.DateTimeFormat('en-CA', {
      timeZone: t.config.calendarTimeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    })
      .format(new Date(iso))
      .replace(/-/g, '');

  async function fileAtOnce(
    n: number,
    label: string,
  ): Promise<{ id: string; number: string; createdAt: string }[]> {
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        api.post('/appeals', w.enterprise.auth, appealBody(w, { title: `${label} ${i}` })),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(n).fill(201));
    return results.map((r) => r.body);
  }

  it('50 filings at once get unique numbers of the format; a batch filed after it sorts after all of it', async () => {
    const first = await fileAtOnce(50, '并发甲');
    const second = await fileAtOnce(50, '并发乙');
    const all = [...first, ...second];
    const numbers = all.map((a) => a.number);
    expect(new Set(numbers).size).toBe(100);
    for (const a of all) {
      expect(a.number).toMatch(NUMBER);
      expect(a.number.slice(3, 11)).toBe(localDay(a.createdAt));
    }
    // every filing of the second batch started after the first batch had been answered
    const lastOfFirst = first.map((a) => a.number).sort()[49];
    for (const a of second) expect(a.number > lastOfFirst).toBe(true);
    // fixed width: sorting the strings sorts by sequence value
    const bySequence = [...numbers].sort((x, y) => (BigInt(x.slice(11)) < BigInt(y.slice(11)) ? -1 : 1));
    expect([...numbers].sort()).toEqual(bySequence);
    // what was answered is what was stored, and the first event carries the number in a valid chain
    const rows: { id: string; number: string; event_number: string }[] = await t.db.query(
      `SELECT a.id, a.number, e.data->>'number' AS event_number
         FROM appeals a JOIN appeal_events e ON e.appeal_id = a.id AND e.seq = 1
        WHERE a.id = ANY($1::uuid[])`,
      [all.map((a) => a.id)],
    );
    expect(rows).toHaveLength(100);
    for (const r of rows) {
      expect(r.event_number).toBe(r.number);
      expect(r.number).toBe(all.find((a) => a.id === r.id)!.number);
    }
    for (const a of [first[0], second[49]]) {
      const verify = await api.get(`/appeals/${a.id}/events/verify`, w.dispatcher.auth).expect(200);
      expect(verify.body).toEqual({ valid: true, count: 1 });
    }
  });

  it('across midnight in TZ_CALENDAR the date part moves on and the number sorts after the day before', async () => {
    clock.set('2026-11-22T15:59:59.900Z'); // 23:59:59.900 in Shanghai
    const late = (await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201)).body;
    clock.set('2026-11-22T16:00:00.100Z'); // 00:00:00.100 on the 23rd
    const early = (await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201)).body;
    expect(late.number.slice(0, 11)).toBe('ZQT20261122');
    expect(early.number.slice(0, 11)).toBe('ZQT20261123');
    expect(early.number > late.number).toBe(true);
  });

  it('a filing naming an unknown enterprise or category writes no appeal, event, key or delivery', async () => {
    await api
      .post('/webhooks', w.admin.auth, {
        url: 'http://127.0.0.1:9/filing-test',
        events: ['*'],
        secret: 'whsec-filing-test-0123456789',
      })
      .expect(201);
    const counts = async () =>
      (
        await t.db.query(
          `SELECT (SELECT count(*) FROM appeals)::int AS appeals, (SELECT count(*) FROM appeal_events)::int AS events,
                  (SELECT count(*) FROM idempotency_keys)::int AS keys,
                  (SELECT count(*) FROM webhook_deliveries)::int AS deliveries`,
        )
      )[0] as { appeals: number; events: number; keys: number; deliveries: number };
    const before = await counts();

    const enterpriseId = (
      await t.db.query(`SELECT enterprise_id FROM users WHERE id = $1`, [w.enterprise.user.id])
    )[0].enterprise_id as string;
    const noEnterprise = await t
      .http()
      .post('/api/v1/appeals')
      .set('Authorization', w.dispatcher.auth)
      .set('Idempotency-Key', 'refused-enterprise')
      .send(appealBody(w, { enterpriseId: randomUUID() }))
      .expect(400);
    expect(noEnterprise.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'enterpriseId' }],
    });
    const noCategory = await t
      .http()
      .post('/api/v1/appeals')
      .set('Authorization', w.enterprise.auth)
      .set('Idempotency-Key', 'refused-category')
      .send(appealBody(w, { categoryCode: 'NO.SUCH' }))
      .expect(400);
    expect(noCategory.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'categoryCode' }],
    });
    // A refused filing may or may not have taken a sequence value; a lost value is allowed, since numbers are
    // unique and sortable, not gapless (SPEC §5). Nothing else may remain.
    expect(await counts()).toEqual(before);

    // the keys were not claimed: the same keys with other, valid bodies file (a claimed key would answer 422)
    await t
      .http()
      .post('/api/v1/appeals')
      .set('Authorization', w.dispatcher.auth)
      .set('Idempotency-Key', 'refused-enterprise')
      .send(appealBody(w, { enterpriseId }))
      .expect(201);
    await t
      .http()
      .post('/api/v1/appeals')
      .set('Authorization', w.enterprise.auth)
      .set('Idempotency-Key', 'refused-category')
      .send(appealBody(w))
      .expect(201);
    // and a filing that stands writes each: one appeal, one event, one key, one delivery for the "*" webhook
    expect(await counts()).toEqual({
      appeals: before.appeals + 2,
      events: before.events + 2,
      keys: before.keys + 2,
      deliveries: before.deliveries + 2,
    });
  });

  it('what the statement fills in (number, enterprise defaults) is escaped as JSON.stringify would: outbox body, event, hash', async () => {
    // the "*" webhook of the test before subscribes; the enterprise gets a name and district that need escaping
    const odd = '引号" 反斜杠\\ 换行\n 制表\t \u0001 \u2028 😀';
    const enterpriseId = (
      await t.db.query(`SELECT enterprise_id FROM users WHERE id = $1`, [w.enterprise.user.id])
    )[0].enterprise_id as string;
    await t.db.query(`UPDATE enterprises SET name = $2, district = $3, contact_name = $4 WHERE id = $1`, [
      enterpriseId,
      `企业${odd}`,
      `区${odd}`,
      `联系人"${odd}`,
    ]);
    const filed = (
      await api
        .post(
          '/appeals',
          w.enterprise.auth,
          appealBody(w, { title: `标题 ${odd}`, content: `内容\r\n${odd}` }),
        )
        .expect(201)
    ).body;
    expect(filed).toMatchObject({
      district: `区${odd}`,
      contactName: `联系人"${odd}`,
      enterpriseName: `企业${odd}`,
    });

    const [delivery] = await t.db.query(`SELECT body FROM webhook_deliveries WHERE appeal_id = $1`, [
      filed.id,
    ]);
    const body = delivery.body as string;
    expect(JSON.stringify(JSON.parse(body))).toBe(body);
    const sent = JSON.parse(body);
    expect(Object.keys(sent)).toEqual(['id', 'event', 'occurredAt', 'appeal']);
    expect(sent.event).toBe('appeal.submitted');
    // the snapshot is the admin's view at filing time: the enterprise's own view plus the centre's routing
    // notes and the assessment appeals enterprises never see (SPEC §7.2)
    // the API answers instants in the calendar zone (SPEC §5.1), the stored snapshot in UTC: the same instants
    const utc = (v: unknown) =>
      JSON.parse(JSON.stringify(v), (_k, x: unknown) =>
        typeof x === 'string' && /^\d{4}-\d{2}-\d{2}T.*[+-]\d{2}:\d{2}$/.test(x)
          ? new Date(x).toISOString()
          : x,
      );
    // a webhook without contactAccess gets the contact masked (SPEC §11), by the statement's SQL masks,
    // which must agree with the TypeScript ones even on text that needs escaping
    expect(sent.appeal).toEqual({
      ...utc(filed),
      contactName: maskName(filed.contactName),
      contactPhone: maskPhone(filed.contactPhone),
      suggestedRouting: null,
      possibleDuplicates: [],
      routedAt: null,
      assessmentAppeals: [],
    });

    const events = await api.get(`/appeals/${filed.id}/events`, w.dispatcher.auth).expect(200);
    expect(events.body.items[0].data).toEqual({
      number: filed.number,
      channel: 'web',
      type: 'help',
      categoryCode: w.category.code,
      urgency: 'normal',
    });
    const verify = await api.get(`/appeals/${filed.id}/events/verify`, w.dispatcher.auth).expect(200);
    expect(verify.body).toEqual({ valid: true, count: 1 });
  });
});
