import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import dns from 'node:dns';
import { createServer, type AddressInfo } from 'node:net';
import { WebhookDeliveryService } from '../../src/modules/webhooks/webhook-delivery.service';
import { appealBody, client, world, World } from '../setup/appeal-helpers';
import { createTestApp, TestApp } from '../setup/test-app';
import { waitFor } from '../setup/wait';
import { Receiver } from '../setup/webhook-receiver';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface DeliveryBody {
  id: string;
  appealId: string;
  event: string;
  status: string;
  attemptCount: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  attempts: {
    attempt: number;
    statusCode: number | null;
    ok: boolean;
    error: string | null;
    durationMs: number;
  }[];
}

/** The HTTP side of one app: an admin client that remembers every response body, to search for secrets. */
function harness(t: TestApp, w: World) {
  const api = client(t);
  const texts: string[] = [];
  const keep = <R extends { text: string }>(res: R): R => {
    texts.push(res.text ?? '');
    return res;
  };
  const admin = w.admin.auth;
  const h = {
    texts,
    post: async (path: string, body: object, auth = admin) => keep(await api.post(path, auth, body)),
    get: async (path: string, auth = admin) => keep(await api.get(path, auth)),
    patch: async (path: string, body: object, auth = admin) =>
      keep(await t.http().patch(`/api/v1${path}`).set('Authorization', auth).send(body)),
    del: async (path: string, auth = admin) =>
      keep(await t.http().delete(`/api/v1${path}`).set('Authorization', auth)),
    async register(url: string, events: string[], secret: string): Promise<string> {
      const res = await h.post('/webhooks', { url, events, secret });
      expect(res.status).toBe(201);
      return res.body.id as string;
    },
    async file(extra: Record<string, unknown> = {}): Promise<string> {
      const res = await api.post('/appeals', w.enterprise.auth, appealBody(w, extra)).expect(201);
      return res.body.id as string;
    },
    async dispatch(id: string): Promise<void> {
      await api
        .post(`/appeals/${id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: w.lead.id })
        .expect(200);
    },
    async deliveries(hookId: string, appealId?: string): Promise<DeliveryBody[]> {
      const res = await h.get(`/webhooks/${hookId}/deliveries?limit=100`);
      expect(res.status).toBe(200);
      return (res.body.items as DeliveryBody[]).filter((d) => !appealId || d.appealId === appealId);
    },
  };
  return h;
}

const hmac = (secret: string, raw: Buffer) => createHmac('sha256', secret).update(raw).digest();

/** SPEC §5 webhooks end to end: real PostgreSQL, Redis, BullMQ workers and a local HTTP receiver. */
describe('webhooks (e2e)', () => {
  let t: TestApp;
  let w: World;
  let h: ReturnType<typeof harness>;
  const rx = new Receiver();
  const secrets: string[] = [];
  const secret = (label: string) => {
    const s = `whsec-${label}-${randomUUID()}`;
    secrets.push(s);
    return s;
  };

  beforeAll(async () => {
    await rx.start();
    t = await createTestApp({
      env: {
        WEBHOOK_POLL_MS: '200',
        WEBHOOK_BACKOFF_MS: '100',
        WEBHOOK_BACKOFF_MAX_MS: '400',
        WEBHOOK_TIMEOUT_MS: '1500',
        WEBHOOK_MAX_ATTEMPTS: '3',
      },
    });
    w = await world(t);
    h = harness(t, w);
  });
  afterAll(async () => {
    await t?.close();
    await rx.close();
  });

  it('delivers every event of a "*" webhook, signed over the raw body, and records one attempt each', async () => {
    const key = secret('all');
    const created = await h.post('/webhooks', { url: rx.url('/all'), events: ['*'], secret: key });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      url: rx.url('/all'),
      events: ['*'],
      secretSet: true,
      enabled: true,
      disabledReason: null,
      failingSince: null,
      createdBy: w.admin.user.id,
    });
    expect(created.body).not.toHaveProperty('secret');
    const hookId = created.body.id as string;

    const appealId = await h.file();
    await h.dispatch(appealId);

    const got = await waitFor(async () => {
      const hits = rx.at('/all', appealId);
      const events = hits.map((r) => r.body.event);
      return events.includes('appeal.submitted') && events.includes('appeal.dispatched') && hits;
    }, 'the submitted and dispatched deliveries');

    const log = await h.get(`/appeals/${appealId}/events`);
    for (const [event, status] of [
      ['appeal.submitted', 'submitted'],
      ['appeal.dispatched', 'dispatched'],
    ]) {
      const r = got.find((x) => x.body.event === event)!;
      expect(Object.keys(r.body).sort()).toEqual(['appeal', 'event', 'id', 'occurredAt']);
      expect(r.body.appeal).toMatchObject({ id: appealId, status });
      const logged = log.body.items.find((e: { action: string }) => e.action === event);
      expect(r.body.occurredAt).toBe(new Date(logged.createdAt).toISOString());
      // the receiver's check: HMAC of the bytes as received, compared in constant time
      const header = String(r.headers['x-signature']);
      expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
      const given = Buffer.from(header.slice('sha256='.length), 'hex');
      expect(timingSafeEqual(given, hmac(key, r.raw))).toBe(true);
      expect(timingSafeEqual(given, hmac('another-secret-entirely', r.raw))).toBe(false);
      expect(r.headers).toMatchObject({
        'content-type': 'application/json',
        'x-webhook-id': hookId,
        'x-delivery-id': r.body.id,
        'x-event': event,
        'user-agent': 'zhengqitong-webhooks',
      });
    }
    // the snapshot is the whole appeal as the API shows it
    const dispatched = got.find((x) => x.body.event === 'appeal.dispatched')!.body
      .appeal as unknown as Record<string, unknown>;
    expect(dispatched).toMatchObject({ leadDepartmentId: w.lead.id, version: 2 });
    expect(dispatched.assignments).toHaveLength(1);

    const deliveries = await waitFor(async () => {
      const ds = await h.deliveries(hookId, appealId);
      return ds.length >= 2 && ds.every((d) => d.status === 'delivered') && ds;
    }, 'both deliveries recorded as delivered');
    for (const d of deliveries.filter((x) => ['appeal.submitted', 'appeal.dispatched'].includes(x.event))) {
      expect(d).toMatchObject({ status: 'delivered', attemptCount: 1, lastError: null });
      expect(d.attempts).toEqual([
        {
          attempt: 1,
          attemptedAt: expect.any(String),
          statusCode: 200,
          ok: true,
          error: null,
          durationMs: expect.any(Number),
        },
      ]);
      expect(got.find((r) => r.body.id === d.id)).toBeDefined();
    }

    // newest first, one page at a time
    const first = await h.get(`/webhooks/${hookId}/deliveries?limit=1`);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.items[0].event).toBe('appeal.dispatched');
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await h.get(
      `/webhooks/${hookId}/deliveries?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`,
    );
    expect(second.body.items[0].event).toBe('appeal.submitted');
    const delivered = await h.get(`/webhooks/${hookId}/deliveries?status=delivered`);
    expect(delivered.body.items.length).toBeGreaterThanOrEqual(2);
    const failed = await h.get(`/webhooks/${hookId}/deliveries?status=failed`);
    expect(failed.body).toEqual({ items: [], nextCursor: null });
  });

  it('an event filter gets only its events', async () => {
    const hookId = await h.register(rx.url('/dispatched-only'), ['appeal.dispatched'], secret('filter'));
    const appealId = await h.file();
    // the outbox is written with the event: the rows are there as soon as the action answered
    expect(await h.deliveries(hookId, appealId)).toEqual([]);
    await h.dispatch(appealId);
    expect((await h.deliveries(hookId, appealId)).map((d) => d.event)).toEqual(['appeal.dispatched']);

    await waitFor(async () => rx.at('/dispatched-only', appealId).length > 0, 'the dispatched delivery');
    await waitFor(
      async () => (await h.deliveries(hookId, appealId)).every((d) => d.status === 'delivered'),
      'the delivery recorded',
    );
    expect(rx.at('/dispatched-only', appealId).map((r) => r.body.event)).toEqual(['appeal.dispatched']);
  });

  it('retries with backoff: 500, 500, 200 sends the same id and body three times and ends delivered', async () => {
    rx.script('/flaky', (n) => (n <= 2 ? 500 : 200));
    const hookId = await h.register(rx.url('/flaky'), ['appeal.submitted'], secret('flaky'));
    const appealId = await h.file();

    const [delivery] = await waitFor(async () => {
      const ds = await h.deliveries(hookId, appealId);
      return ds.length === 1 && ds[0].status === 'delivered' && ds;
    }, 'the delivery to end delivered');
    expect(delivery).toMatchObject({ status: 'delivered', attemptCount: 3, lastError: null });
    expect(delivery.attempts.map((a) => [a.attempt, a.statusCode, a.ok, a.error])).toEqual([
      [1, 500, false, 'HTTP 500'],
      [2, 500, false, 'HTTP 500'],
      [3, 200, true, null],
    ]);

    const hits = rx.at('/flaky', appealId);
    expect(hits).toHaveLength(3);
    expect(new Set(hits.map((r) => r.body.id))).toEqual(new Set([delivery.id]));
    expect(hits[1].raw.equals(hits[0].raw)).toBe(true);
    expect(hits[2].raw.equals(hits[0].raw)).toBe(true);
    expect(new Set(hits.map((r) => r.headers['x-signature'])).size).toBe(1);

    // a success ends the run of failures
    const hook = await h.get(`/webhooks/${hookId}`);
    expect(hook.body).toMatchObject({ enabled: true, failingSince: null, disabledReason: null });
    const metrics = await t.http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/zqt_webhook_attempts_total\{outcome="retrying"\} [1-9]/);
    expect(metrics.text).toMatch(/zqt_webhook_attempts_total\{outcome="delivered"\} [1-9]/);
  });

  it('gives up after WEBHOOK_MAX_ATTEMPTS (3 here): the delivery ends failed and is not tried again', async () => {
    rx.script('/broken', () => 503);
    const hookId = await h.register(rx.url('/broken'), ['appeal.submitted'], secret('broken'));
    const appealId = await h.file();
    const [failed] = await waitFor(async () => {
      const ds = await h.deliveries(hookId, appealId);
      return ds[0]?.status === 'failed' && ds;
    }, 'the delivery to be given up');
    expect(failed).toMatchObject({
      attemptCount: 3,
      lastStatusCode: 503,
      lastError: 'HTTP 503',
      nextAttemptAt: null,
    });
    expect(failed.attempts.map((a) => a.statusCode)).toEqual([503, 503, 503]);
    await sleep(1000); // several pump runs and backoff periods
    expect(rx.at('/broken', appealId)).toHaveLength(3);
    const listed = await h.get(`/webhooks/${hookId}/deliveries?status=failed`);
    expect(listed.body.items.map((d: DeliveryBody) => d.id)).toEqual([failed.id]);
    // the webhook itself stays enabled: its failures are recent
    expect((await h.get(`/webhooks/${hookId}`)).body).toMatchObject({
      enabled: true,
      failingSince: expect.any(String),
    });
    expect((await h.del(`/webhooks/${hookId}`)).status).toBe(204);
  });

  it('a delivery job run several times at once sends once: the claim decides', async () => {
    const hookId = await h.register(rx.url('/once'), ['appeal.submitted'], secret('once'));
    const appealId = await h.file();
    const [row] = await h.deliveries(hookId, appealId);
    const service = t.app.get(WebhookDeliveryService);
    // racing the worker's own pump and job as well
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => service.deliver(row.id)));
    expect(outcomes.filter((o) => o !== 'skipped').length).toBeLessThanOrEqual(1);
    const [done] = await waitFor(async () => {
      const ds = await h.deliveries(hookId, appealId);
      return ds[0].status === 'delivered' && ds;
    }, 'the delivery');
    await sleep(600); // a few pump runs: nothing more may be sent
    expect(rx.at('/once', appealId)).toHaveLength(1);
    expect(done.attemptCount).toBe(1);
    expect((await h.deliveries(hookId, appealId))[0].attempts).toHaveLength(1);
    // and a late job for a delivered row does nothing
    expect(await service.deliver(row.id)).toBe('skipped');
  });

  it('at least once: a claim left by a worker that died after the POST expires and the same id is sent again', async () => {
    const hookId = await h.register(rx.url('/crash'), ['appeal.submitted'], secret('crash'));
    const appealId = await h.file();
    const [first] = await waitFor(async () => {
      const ds = await h.deliveries(hookId, appealId);
      return ds[0]?.status === 'delivered' && ds;
    }, 'the first delivery');
    // as if a worker had claimed it, POSTed, and died before recording: pending, claimed for a while
    await t.db.query(
      `UPDATE webhook_deliveries SET status = 'pending', delivered_at = NULL, next_attempt_at = now(),
         claimed_until = now() + interval '700 milliseconds' WHERE id = $1`,
      [first.id],
    );
    const [again] = await waitFor(async () => {
      const ds = await h.deliveries(hookId, appealId);
      return ds[0].status === 'delivered' && ds[0].attemptCount === 2 && ds;
    }, 'the resend once the claim expired');
    expect(again.attempts.map((a) => a.ok)).toEqual([true, true]);
    const hits = rx.at('/crash', appealId);
    expect(hits).toHaveLength(2);
    expect(hits[0].body.id).toBe(first.id);
    expect(hits[1].raw.equals(hits[0].raw)).toBe(true);
  });

  it('a receiver that does not answer in time gets a failed attempt with the reason; deleting the webhook stops it', async () => {
    rx.script('/slow', () => 'hang');
    const hookId = await h.register(rx.url('/slow'), ['appeal.submitted'], secret('slow'));
    const appealId = await h.file();

    const [delivery] = await waitFor(async () => {
      const ds = await h.deliveries(hookId, appealId);
      return ds.length === 1 && ds[0].attempts.length >= 1 && ds;
    }, 'a recorded attempt');
    expect(delivery.status).toBe('pending');
    expect(delivery.lastError).toBe('timeout after 1500 ms');
    expect(delivery.attempts[0]).toMatchObject({
      attempt: 1,
      statusCode: null,
      ok: false,
      error: 'timeout after 1500 ms',
    });
    expect(delivery.attempts[0].durationMs).toBeGreaterThanOrEqual(1000);
    expect(rx.at('/slow', appealId).length).toBeGreaterThanOrEqual(1);
    const hook = await h.get(`/webhooks/${hookId}`);
    expect(hook.body.failingSince).toEqual(expect.any(String));

    expect((await h.del(`/webhooks/${hookId}`)).status).toBe(204);
    expect((await h.get(`/webhooks/${hookId}`)).status).toBe(404);
    expect((await h.get(`/webhooks/${hookId}/deliveries`)).status).toBe(404);
    const rows: unknown[] = await t.db.query(`SELECT 1 FROM webhook_deliveries WHERE webhook_id = $1`, [
      hookId,
    ]);
    expect(rows).toHaveLength(0);
  });

  it('an admin can switch a webhook off and on, change its URL, events and secret', async () => {
    const hookId = await h.register(rx.url('/switch'), ['appeal.submitted'], secret('switch'));
    const off = await h.patch(`/webhooks/${hookId}`, { enabled: false });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ enabled: false, disabledReason: 'disabled by an administrator' });
    expect(off.body.disabledAt).toEqual(expect.any(String));
    const quiet = await h.file();
    expect(await h.deliveries(hookId, quiet)).toEqual([]);

    const key = secret('switch-2');
    const on = await h.patch(`/webhooks/${hookId}`, {
      enabled: true,
      url: rx.url('/switch-2'),
      events: ['appeal.submitted', 'appeal.dispatched'],
      secret: key,
    });
    expect(on.body).toMatchObject({
      enabled: true,
      disabledReason: null,
      disabledAt: null,
      url: rx.url('/switch-2'),
      events: ['appeal.submitted', 'appeal.dispatched'],
      secretSet: true,
    });
    const heard = await h.file();
    const [r] = await waitFor(
      async () => rx.at('/switch-2', heard).length > 0 && rx.at('/switch-2', heard),
      'a delivery',
    );
    const given = Buffer.from(String(r.headers['x-signature']).slice(7), 'hex');
    expect(timingSafeEqual(given, hmac(key, r.raw))).toBe(true);
    expect(rx.at('/switch', quiet)).toEqual([]);
    expect((await h.get('/webhooks')).body.items.map((x: { id: string }) => x.id)).toContain(hookId);
  });

  it('validates input: 400 for bad URLs, events, secrets and unknown fields', async () => {
    const ok = { url: 'https://hooks.example.com/zqt', events: ['appeal.closed'], secret: secret('valid') };
    const bad: object[] = [
      { ...ok, url: 'ftp://example.com/hook' },
      { ...ok, url: 'javascript:alert(1)' },
      { ...ok, url: 'http://' },
      { ...ok, url: 'not a url' },
      { ...ok, url: 'file:///etc/passwd' },
      { ...ok, url: 'https://user:pass@example.com/' },
      { ...ok, url: `https://example.com/${'x'.repeat(2100)}` },
      { ...ok, url: 42 },
      { ...ok, events: ['appeal.exploded'] },
      { ...ok, events: [] },
      { ...ok, events: ['*', 'appeal.closed'] },
      { ...ok, events: 'appeal.closed' },
      { ...ok, secret: 'too-short' },
      { ...ok, secret: 'x'.repeat(257) },
      { url: ok.url, events: ok.events },
      { ...ok, extra: true },
    ];
    for (const body of bad) {
      const res = await h.post('/webhooks', body);
      expect({ body, status: res.status, code: res.body.code }).toEqual({
        body,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    // loopback and private targets are allowed (SPEC §5: intranet receivers)
    expect((await h.post('/webhooks', { ...ok, url: 'http://10.20.30.40:8080/hook' })).status).toBe(201);

    const hookId = await h.register(ok.url, ok.events, ok.secret);
    for (const body of [
      { url: 'ftp://example.com' },
      { url: null },
      { enabled: 'yes' },
      { events: ['nope'] },
      { secret: 'short' },
      { nope: 1 },
    ]) {
      const res = await h.patch(`/webhooks/${hookId}`, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    for (const q of ['status=lost', 'limit=0', 'limit=101', 'cursor=%%%', 'cursor=eyJ4IjoxfQ']) {
      expect({ q, status: (await h.get(`/webhooks/${hookId}/deliveries?${q}`)).status }).toEqual({
        q,
        status: 400,
      });
    }
    expect((await h.get('/webhooks/not-a-uuid')).status).toBe(400);
  });

  it('refuses link-local and cloud metadata targets in every form, on create and on change (400 on url)', async () => {
    const ok = { url: 'https://hooks.example.com/zqt', events: ['appeal.closed'], secret: secret('target') };
    const refused = [
      'http://169.254.169.254/latest/meta-data/',
      'http://0xa9fea9fe/',
      'http://2852039166/',
      'http://0251.0376.0251.0376/',
      'http://169.254.43518/',
      'http://169.254.169.254./',
      'http://[::ffff:169.254.169.254]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://[fe80::1]:8080/hook',
      'http://0.0.0.0:8080/hook',
      'http://0/',
      'http://[::]/',
      'http://100.100.100.200/latest/meta-data/',
    ];
    const hookId = await h.register(ok.url, ok.events, ok.secret);
    for (const url of refused) {
      const created = await h.post('/webhooks', { ...ok, url });
      const changed = await h.patch(`/webhooks/${hookId}`, { url });
      for (const res of [created, changed]) {
        expect({ url, status: res.status, code: res.body.code }).toEqual({
          url,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
        expect(res.body.details).toEqual([
          { field: 'url', message: expect.stringContaining('must not point to') },
        ]);
      }
    }
    expect((await h.get(`/webhooks/${hookId}`)).body.url).toBe(ok.url);
    // private, shared and loopback targets stay allowed (SPEC §5: intranet receivers)
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://[::1]:8080/hook',
      'http://localhost:8080/hook',
      'http://192.168.10.20/hook',
      'http://[::ffff:10.0.0.1]/hook',
      'http://[fd12:3456::1]/hook',
    ])
      expect({ url, status: (await h.post('/webhooks', { ...ok, url })).status }).toEqual({
        url,
        status: 201,
      });
  });

  it('a host name resolving to a link-local address is not called: the delivery fails at once with a plain reason', async () => {
    const name = 'metadata.zqt-test.invalid';
    const lookup = dns.lookup.bind(dns);
    // the system resolver, but this one name answers with the metadata address first and the receiver second
    const spy = jest.spyOn(dns, 'lookup').mockImplementation(((
      hostname: string,
      options: dns.LookupOptions,
      callback: (err: Error | null, address: string | dns.LookupAddress[], family?: number) => void,
    ) => {
      if (hostname !== name) return lookup(hostname, options, callback);
      const addresses = [
        { address: '169.254.169.254', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ];
      process.nextTick(() =>
        options.all ? callback(null, addresses) : callback(null, addresses[0].address, addresses[0].family),
      );
    }) as unknown as typeof dns.lookup);
    try {
      const port = new URL(rx.url('/')).port;
      const hookId = await h.register(`http://${name}:${port}/meta`, ['appeal.submitted'], secret('dns'));
      const appealId = await h.file();
      const [delivery] = await waitFor(async () => {
        const ds = await h.deliveries(hookId, appealId);
        return ds[0]?.status === 'failed' && ds;
      }, 'the delivery to be refused');
      expect(delivery).toMatchObject({
        attemptCount: 1,
        lastStatusCode: null,
        lastError: 'target address not allowed (link-local or cloud metadata)',
      });
      expect(spy.mock.calls.some(([host]) => host === name)).toBe(true);
      await sleep(600); // several pump runs: no retry, nothing sent
      expect(rx.at('/meta')).toEqual([]);
      expect((await h.deliveries(hookId, appealId))[0].attemptCount).toBe(1);
    } finally {
      spy.mockRestore();
    }

    // a webhook stored with a metadata address before the rule existed is refused at delivery too
    const hookId = await h.register(rx.url('/old'), ['appeal.submitted'], secret('old'));
    await t.db.query(`UPDATE webhooks SET url = $2 WHERE id = $1`, [
      hookId,
      'http://169.254.169.254/latest/',
    ]);
    const appealId = await h.file();
    const [old] = await waitFor(async () => {
      const ds = await h.deliveries(hookId, appealId);
      return ds[0]?.status === 'failed' && ds;
    }, 'the stored metadata target to be refused');
    expect(old).toMatchObject({
      attemptCount: 1,
      lastError: 'target address not allowed (link-local or cloud metadata)',
    });
  });

  it('a delivery error names no address, port or socket detail (the log is not a port scanner)', async () => {
    const port = await closedPort();
    const targets = [`http://127.0.0.1:${port}/x`, `http://[::1]:${port}/x`, `http://localhost:${port}/x`];
    for (const url of targets) {
      const hookId = await h.register(url, ['appeal.submitted'], secret('refused'));
      const appealId = await h.file();
      const [delivery] = await waitFor(async () => {
        const ds = await h.deliveries(hookId, appealId);
        return ds[0]?.status === 'failed' && ds;
      }, `the delivery to ${url} to be given up`);
      const reasons = [delivery.lastError, ...delivery.attempts.map((a) => a.error)];
      for (const reason of reasons)
        expect({ url, reason }).toEqual({
          url,
          reason: expect.stringMatching(/^(connection refused|target unreachable)$/),
        });
      // nor does the reason a webhook is disabled for, which quotes the last error
      const { disabledReason } = (await h.get(`/webhooks/${hookId}`)).body as {
        disabledReason: string | null;
      };
      expect(String(disabledReason)).not.toMatch(new RegExp(`${port}|ECONN|connect |127\\.0\\.0\\.1|::1`));
      expect((await h.del(`/webhooks/${hookId}`)).status).toBe(204);
    }
  });

  it('404 for an unknown webhook', async () => {
    const id = randomUUID();
    for (const res of [
      await h.get(`/webhooks/${id}`),
      await h.patch(`/webhooks/${id}`, { enabled: true }),
      await h.del(`/webhooks/${id}`),
      await h.get(`/webhooks/${id}/deliveries`),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('NOT_FOUND');
    }
  });

  it('403 for everyone but admins', async () => {
    const hookId = await h.register(rx.url('/nobody'), ['appeal.closed'], secret('403'));
    for (const who of [w.enterprise, w.dispatcher, w.supervisor, w.leadHandler]) {
      const calls = [
        await h.post(
          '/webhooks',
          { url: rx.url('/x'), events: ['*'], secret: 'sixteen-chars-long!' },
          who.auth,
        ),
        await h.get('/webhooks', who.auth),
        await h.get(`/webhooks/${hookId}`, who.auth),
        await h.patch(`/webhooks/${hookId}`, { enabled: false }, who.auth),
        await h.del(`/webhooks/${hookId}`, who.auth),
        await h.get(`/webhooks/${hookId}/deliveries`, who.auth),
      ];
      expect(calls.map((c) => c.status)).toEqual([403, 403, 403, 403, 403, 403]);
    }
    expect((await t.http().get('/api/v1/webhooks')).status).toBe(401);
  });

  it('never shows a secret in any response', async () => {
    const list = await h.get('/webhooks');
    for (const item of list.body.items) expect(item).not.toHaveProperty('secret');
    expect(secrets.length).toBeGreaterThan(5);
    for (const s of secrets) for (const text of h.texts) expect(text.includes(s)).toBe(false);
  });
});

/** A URL failing for longer than WEBHOOK_DISABLE_AFTER_MS is disabled (shrunk to 1.5 s here). */
describe('webhooks: disabling a failing URL (e2e)', () => {
  let t: TestApp;
  let w: World;
  let h: ReturnType<typeof harness>;
  const rx = new Receiver();
  let down = true;

  beforeAll(async () => {
    await rx.start();
    rx.script('/down', () => (down ? 500 : 204));
    t = await createTestApp({
      env: {
        WEBHOOK_POLL_MS: '200',
        WEBHOOK_BACKOFF_MS: '100',
        WEBHOOK_BACKOFF_MAX_MS: '300',
        WEBHOOK_DISABLE_AFTER_MS: '1500',
      },
    });
    w = await world(t);
    h = harness(t, w);
  });
  afterAll(async () => {
    await t?.close();
    await rx.close();
  });

  it('disables the webhook with a reason, records no new events while disabled, and resumes when re-enabled', async () => {
    const hookId = await h.register(rx.url('/down'), ['*'], 'sixteen-chars-secret');
    const first = await h.file();

    const disabled = await waitFor(async () => {
      const res = await h.get(`/webhooks/${hookId}`);
      return res.body.enabled === false && res.body;
    }, 'the webhook to be disabled');
    expect(disabled.disabledReason).toMatch(/^failing since \d{4}-\d\d-\d\dT[\d:.]+Z: last error HTTP 500$/);
    expect(disabled.disabledAt).toEqual(expect.any(String));
    const failingSince = new Date(disabled.failingSince).getTime();
    expect(new Date(disabled.disabledAt).getTime() - failingSince).toBeGreaterThanOrEqual(1500);

    // the interrupted delivery stays pending with its failed attempts
    const [before] = await h.deliveries(hookId, first);
    expect(before.status).toBe('pending');
    expect(before.attemptCount).toBeGreaterThanOrEqual(2);
    expect(before.attempts.every((a) => a.statusCode === 500 && !a.ok)).toBe(true);

    // while disabled: events are not recorded for it, and nothing more is sent
    const hitsWhenDisabled = rx.at('/down').length;
    const missed = await h.file();
    expect(await h.deliveries(hookId, missed)).toEqual([]);
    await sleep(1500); // several pump runs and backoff periods
    expect(rx.at('/down').length).toBe(hitsWhenDisabled);
    expect((await h.deliveries(hookId, first))[0].attemptCount).toBe(before.attemptCount);

    // the receiver is fixed; re-enabling clears the reason and resumes the pending delivery at once
    down = false;
    const on = await h.patch(`/webhooks/${hookId}`, { enabled: true });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({
      enabled: true,
      disabledReason: null,
      disabledAt: null,
      failingSince: null,
    });
    const resumed = await waitFor(async () => {
      const [d] = await h.deliveries(hookId, first);
      return d.status === 'delivered' && d;
    }, 'the pending delivery to be delivered');
    expect(resumed.attemptCount).toBe(before.attemptCount + 1);
    expect(resumed.attempts[resumed.attempts.length - 1]).toMatchObject({ statusCode: 204, ok: true });

    const later = await h.file();
    await waitFor(async () => rx.at('/down', later).length > 0, 'a new event after re-enabling');
    expect(await h.deliveries(hookId, missed)).toEqual([]);
    expect(rx.at('/down', missed)).toEqual([]);
  });
});
