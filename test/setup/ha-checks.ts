/**
 * What the failover tests check on whatever Redis or PostgreSQL topology the app runs: the queues
 * (every filed appeal gets routed), deadlines (wake-ups fire), the login limit (counted in Redis) and
 * the reports.
 */
import { appealBody, categoryWithPolicy, client, World } from './appeal-helpers';
import { stopAll } from './ha-processes';
import type { TestApp } from './test-app';
import { waitFor } from './wait';

type Api = ReturnType<typeof client>;

/** Until every appeal of `ids` has been routed (by its job, or by the sweeper when the job was lost). */
export async function allRouted(t: TestApp, ids: string[], ms = 30_000): Promise<void> {
  await waitFor(
    async () => {
      const [{ n }] = await t.db.query(
        `SELECT count(*)::int AS n FROM appeals WHERE id = ANY($1) AND routed_at IS NULL`,
        [ids],
      );
      return n === 0;
    },
    `${ids.length} appeals routed`,
    ms,
  );
}

/**
 * An appeal dispatched under a policy of a 3 s acknowledgement window: its warning and its overdue
 * fire from the deadlines queue, once each.
 */
export async function deadlinesFire(t: TestApp, api: Api, w: World, ms = 40_000): Promise<string[]> {
  const code = await categoryWithPolicy(api, w, { ackWithin: 'PT3S', replyWithin: 'PT120S', warnAt: 0.5 });
  const filed = await api
    .post('/appeals', w.enterprise.auth, appealBody(w, { categoryCode: code }))
    .expect(201);
  await api
    .post(`/appeals/${filed.body.id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: w.lead.id })
    .expect(200);
  const actions = await waitFor(
    async () => {
      const rows: { action: string }[] = await t.db.query(
        `SELECT action FROM appeal_events WHERE appeal_id = $1 AND action LIKE 'deadline.%' ORDER BY seq`,
        [filed.body.id],
      );
      return rows.some((r) => r.action === 'deadline.overdue') ? rows.map((r) => r.action) : undefined;
    },
    'the warning and the overdue of a 3 s deadline',
    ms,
  );
  expect(actions.filter((a) => a === 'deadline.warning')).toHaveLength(1);
  expect(actions.filter((a) => a === 'deadline.overdue')).toHaveLength(1);
  return actions;
}

let addresses = 0;
/**
 * A client address of its own (a documentation range, RFC 5737; only a header, nothing is sent there),
 * believed when the app trusts loopback proxies (TRUSTED_PROXIES=loopback): the login route's per-address
 * limit of 30 a minute then counts each caller apart.
 */
export const clientAddress = () => `198.51.100.${(addresses++ % 250) + 1}`;

/** LOGIN_FAILURE_LIMIT wrong passwords are 401; the next attempt, right password or not, is 429. */
export async function loginLimitHolds(t: TestApp, username: string, limit: number): Promise<void> {
  const from = clientAddress();
  const attempt = () =>
    t
      .http()
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', from)
      .send({ username, password: 'wrong-password' });
  for (let i = 0; i < limit; i++) await attempt().expect(401);
  const refused = await attempt();
  expect(refused.status).toBe(429);
  expect(refused.body.message).toMatch(/登录失败次数过多|failed logins/);
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
}

/** The summary report counts what was filed today (at least `atLeast` appeals). */
export async function summaryCounts(api: Api, w: World, atLeast: number) {
  const res = await api.get('/reports/summary', w.supervisor.auth).expect(200);
  expect(res.body.received).toBeGreaterThanOrEqual(atLeast);
  return res;
}

export interface Attempt {
  /** when it was sent, in ms since the load started */
  at: number;
  status: number;
  key: string;
  id?: string;
  /** when it was answered */
  doneAt: number;
  /** what a refused attempt was answered */
  answer?: string;
}

/**
 * `clients` enterprises' clients filing appeals back to back, as a caller's client would: each filing
 * under an Idempotency-Key of its own, retried with the same key until it is answered 201. Every attempt
 * is recorded (time, status), and every key's answer.
 */
export class FilingLoad {
  readonly attempts: Attempt[] = [];
  /** Idempotency-Key → the appeal id of its 201s (every 201 of one key must name the same appeal) */
  readonly accepted = new Map<string, Set<string>>();
  readonly marker = `load${Date.now().toString(36)}`;
  private stopping = false;
  private running: Promise<void>[] = [];
  private readonly started = Date.now();

  constructor(
    readonly api: Api,
    readonly w: World,
    private readonly clients = 8,
  ) {}

  now(): number {
    return Date.now() - this.started;
  }

  start(): void {
    this.running = Array.from({ length: this.clients }, (_, c) => this.client(c));
  }

  /** Stops taking new filings; a filing under way is retried until it is accepted (or `ms` passes). */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.running);
  }

  private async client(c: number): Promise<void> {
    for (let n = 0; !this.stopping; n++) {
      const key = `${this.marker}-${c}-${n}`;
      const giveUpAt = Date.now() + 60_000;
      let last = '';
      for (;;) {
        const sentAt = this.now();
        const res = await this.api
          .post('/appeals', this.w.enterprise.auth, appealBody(this.w, { title: `技改贷款审批 ${key}` }))
          .set('Idempotency-Key', key)
          .then(
            (r) => r,
            (err: Error) => ({ status: 0, body: { error: err.message } as { id?: string } }),
          );
        last = `${res.status} ${JSON.stringify(res.body)}`;
        const id = res.status === 201 ? (res.body as { id: string }).id : undefined;
        this.attempts.push({
          at: sentAt,
          doneAt: this.now(),
          status: res.status,
          key,
          id,
          answer: res.status === 201 ? undefined : last,
        });
        if (id) {
          if (!this.accepted.has(key)) this.accepted.set(key, new Set());
          this.accepted.get(key)!.add(id);
          break;
        }
        if (Date.now() > giveUpAt) throw new Error(`filing ${key} was never accepted; last answer ${last}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** Statuses counted, by phase: [from, to) in ms since the start. */
  statuses(from = 0, to = Infinity): Record<string, number> {
    const out: Record<string, number> = {};
    for (const a of this.attempts) if (a.at >= from && a.at < to) out[a.status] = (out[a.status] ?? 0) + 1;
    return out;
  }
}

/** Every accepted filing is one appeal in the database, with its events' hash chain intact. */
export async function expectEachAcceptedOnce(load: FilingLoad, t: TestApp): Promise<void> {
  const doubleAnswers = [...load.accepted].filter(([, ids]) => ids.size !== 1);
  expect(doubleAnswers).toEqual([]);
  const ids = [...load.accepted.values()].map((s) => [...s][0]);
  const rows: { id: string; title: string }[] = await t.db.query(
    `SELECT id, title FROM appeals WHERE title LIKE $1`,
    [`%${load.marker}%`],
  );
  // each key's appeal is there, and no key made a second one
  const stored = new Set(rows.map((r) => r.id));
  expect(ids.filter((id) => !stored.has(id))).toEqual([]);
  expect(rows.length).toBe(ids.length);
  const broken: string[] = [];
  for (const id of ids) {
    const res = await load.api.get(`/appeals/${id}/events/verify`, load.w.dispatcher.auth).expect(200);
    if (res.body.valid !== true) broken.push(id);
  }
  expect(broken).toEqual([]);
}

/**
 * afterAll of a failover test: the app closed (given at most 20 s: with a dependency gone its queues
 * may not close cleanly), then every process the file started stopped, whatever happened.
 */
export async function closeAndStop(
  t: TestApp | undefined,
  before?: () => Promise<void> | void,
): Promise<void> {
  try {
    await before?.();
    if (t)
      await Promise.race([
        t.close().catch(() => undefined),
        new Promise((r) => setTimeout(r, 20_000).unref()),
      ]);
  } finally {
    await stopAll();
  }
}
