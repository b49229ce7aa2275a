import { appealBody, appealSuite } from '../setup/appeal-helpers';

/** SPEC §2 concurrency: one transaction per action, the appeal row locked, compare-and-set on version. */
describe('races (e2e)', () => {
  const s = appealSuite();

  it('20 concurrent acknowledgements of one assignment: exactly 1 succeeds, 19 get 409', async () => {
    const { body } = await s.api.post('/appeals', s.w.enterprise.auth, appealBody(s.w)).expect(201);
    await s.api
      .post(`/appeals/${body.id}/dispatch`, s.w.dispatcher.auth, { leadDepartmentId: s.w.lead.id })
      .expect(200);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => s.api.post(`/appeals/${body.id}/acknowledge`, s.w.leadHandler.auth)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('INVALID_TRANSITION');
    const events = await s.t.db.query(
      `SELECT count(*)::int AS n FROM appeal_events WHERE appeal_id = $1 AND action = 'assignment.acknowledged'`,
      [body.id],
    );
    expect(events[0].n).toBe(1);
    const verify = await s.api.get(`/appeals/${body.id}/events/verify`, s.w.dispatcher.auth).expect(200);
    expect(verify.body.valid).toBe(true);
  });

  it('20 concurrent acknowledgements of a co assignment (no status change): exactly 1 succeeds', async () => {
    const { body } = await s.api.post('/appeals', s.w.enterprise.auth, appealBody(s.w)).expect(201);
    await s.api
      .post(`/appeals/${body.id}/dispatch`, s.w.dispatcher.auth, {
        leadDepartmentId: s.w.lead.id,
        coDepartmentIds: [s.w.co.id],
      })
      .expect(200);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => s.api.post(`/appeals/${body.id}/acknowledge`, s.w.coHandler.auth)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(19);
  });

  it('two different actions racing with the same expectedVersion: one wins, the other gets VERSION_CONFLICT', async () => {
    const { body } = await s.api.post('/appeals', s.w.enterprise.auth, appealBody(s.w)).expect(201);
    const [a, b] = await Promise.all([
      s.api.post(`/appeals/${body.id}/supervise`, s.w.supervisor.auth, {
        note: '督办',
        expectedVersion: body.version,
      }),
      s.api.post(`/appeals/${body.id}/supplements`, s.w.enterprise.auth, {
        content: '补充',
        expectedVersion: body.version,
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect([a, b].find((r) => r.status === 409)!.body.code).toBe('VERSION_CONFLICT');
  });

  it('50 concurrent filings with distinct keys: 50 appeals with distinct numbers', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        s.t
          .http()
          .post('/api/v1/appeals')
          .set('Authorization', s.w.enterprise.auth)
          .set('Idempotency-Key', `race-${i}`)
          .send(appealBody(s.w, { title: `并发提交 ${i}` })),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    const numbers = results.map((r) => r.body.number as string);
    expect(new Set(numbers).size).toBe(50);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(50);
    // ZQT + date + sequence value; unique and sortable, not gapless (SPEC §5): filing.e2e.spec.ts checks the order
    for (const n of numbers) expect(n).toMatch(/^ZQT\d{8}\d{10}$/);
    const keys = await s.t.db.query(
      `SELECT count(*)::int AS n FROM idempotency_keys WHERE key LIKE 'race-%'`,
    );
    expect(keys[0].n).toBe(50);
  });

  it('10 concurrent retries of one key: 1 appeal, every response names it', async () => {
    const body = appealBody(s.w, { title: '同一请求重试十次' });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        s.t
          .http()
          .post('/api/v1/appeals')
          .set('Authorization', s.w.enterprise.auth)
          .set('Idempotency-Key', 'one-key-ten-tries')
          .send(body),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(9);
    const rows = await s.t.db.query(`SELECT count(*)::int AS n FROM appeals WHERE title = $1`, [body.title]);
    expect(rows[0].n).toBe(1);
  });

  it('the same key from another user is another request', async () => {
    const body = appealBody(s.w, { title: '不同用户同一键' });
    const a = await s.t
      .http()
      .post('/api/v1/appeals')
      .set('Authorization', s.w.enterprise.auth)
      .set('Idempotency-Key', 'shared')
      .send(body)
      .expect(201);
    const b = await s.t
      .http()
      .post('/api/v1/appeals')
      .set('Authorization', s.w.otherEnterprise.auth)
      .set('Idempotency-Key', 'shared')
      .send(body)
      .expect(201);
    expect(a.body.id).not.toBe(b.body.id);
  });

  it('an expired key (older than 24 h) no longer replays, and the purge job deletes it', async () => {
    const body = appealBody(s.w, { title: '过期的幂等键' });
    const first = await s.t
      .http()
      .post('/api/v1/appeals')
      .set('Authorization', s.w.enterprise.auth)
      .set('Idempotency-Key', 'old-key')
      .send(body)
      .expect(201);
    await s.t.db.query(
      `UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = 'old-key'`,
    );
    const second = await s.t
      .http()
      .post('/api/v1/appeals')
      .set('Authorization', s.w.enterprise.auth)
      .set('Idempotency-Key', 'old-key')
      .send(body)
      .expect(201);
    expect(second.body.id).not.toBe(first.body.id);
    await s.t.db.query(
      `UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = 'old-key'`,
    );
    const { MaintenanceProcessor } = await import('../../src/modules/maintenance/maintenance.processor');
    expect(await s.t.app.get(MaintenanceProcessor).purgeIdempotencyKeys()).toBe(1);
  });
});
