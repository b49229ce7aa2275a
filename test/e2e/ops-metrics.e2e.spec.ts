import http from 'node:http';
import { AddressInfo } from 'node:net';
import { DeadlinesService } from '../../src/modules/deadlines/deadlines.service';
import { RoutingService } from '../../src/modules/routing/routing.service';
import { appealBody, appealSuite, categoryWithPolicy } from '../setup/appeal-helpers';
import { sample } from '../setup/prometheus';
import { waitFor } from '../setup/wait';

/**
 * /metrics after real work: a deadline fired by its wake-up and one the sweeper caught move the
 * lateness histogram and the sweeper counter; a delivered webhook moves the outcome counter; the
 * queue, outbox, fold, routing and appeal gauges are there; and a scrape still answers when PostgreSQL does not.
 */
describe('operations metrics (e2e)', () => {
  const s = appealSuite({ env: { WEBHOOK_POLL_MS: '200', METRICS_DB_REFRESH_MS: '0' } });
  const received: string[] = [];
  let server: http.Server;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.on('data', () => undefined);
      req.on('end', () => {
        received.push(req.url ?? '');
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const scrape = async () => {
    const res = await s.t.http().get('/metrics').expect(200);
    return res.text;
  };

  it('a fired deadline and a delivered webhook move the lateness histogram and the delivery counter', async () => {
    const { api, w } = s;
    const port = (server.address() as AddressInfo).port;
    await api
      .post('/webhooks', w.admin.auth, {
        url: `http://127.0.0.1:${port}/hook`,
        events: ['deadline.overdue'],
        secret: 'metrics-test-secret',
      })
      .expect(201);
    const before = await scrape();
    const firedBefore =
      sample(before, 'zqt_deadline_firing_lateness_seconds_count', { kind: 'ack_overdue' }) ?? 0;
    const deliveredBefore = sample(before, 'zqt_webhook_attempts_total', { outcome: 'delivered' }) ?? 0;

    const code = await categoryWithPolicy(api, w, { ackWithin: 'PT2S', replyWithin: 'PT60S', warnAt: 0.5 });
    const filed = await api
      .post('/appeals', w.enterprise.auth, appealBody(w, { categoryCode: code }))
      .expect(201);
    await api
      .post(`/appeals/${filed.body.id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: w.lead.id })
      .expect(200);
    await waitFor(async () => received.length > 0, 'the deadline.overdue webhook');

    const after = await waitFor(async () => {
      const text = await scrape();
      return (
        (sample(text, 'zqt_webhook_attempts_total', { outcome: 'delivered' }) ?? 0) > deliveredBefore && text
      );
    }, 'the delivered counter');
    expect(
      sample(after, 'zqt_deadline_firing_lateness_seconds_count', { kind: 'ack_overdue' }),
    ).toBeGreaterThan(firedBefore);
    expect(
      sample(after, 'zqt_deadline_firing_lateness_seconds_bucket', { kind: 'ack_overdue', le: '+Inf' }),
    ).toBe(sample(after, 'zqt_deadline_firing_lateness_seconds_count', { kind: 'ack_overdue' }));
    expect(sample(after, 'zqt_jobs_total', { name: 'deadline.fire', outcome: 'completed' })).toBeGreaterThan(
      0,
    );
    expect(
      sample(after, 'zqt_job_duration_seconds_count', {
        queue: 'webhooks',
        name: 'webhook.deliver',
        outcome: 'completed',
      }),
    ).toBeGreaterThan(0);
  });

  it('the sweeper firing a timer whose wake-up never came moves its counter, a minute late and more', async () => {
    const { api, w, t } = s;
    const code = await categoryWithPolicy(api, w, { ackWithin: 'PT1H', replyWithin: 'PT2H', warnAt: 0.5 });
    const filed = await api
      .post('/appeals', w.enterprise.auth, appealBody(w, { categoryCode: code }))
      .expect(201);
    await api
      .post(`/appeals/${filed.body.id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: w.lead.id })
      .expect(200);
    const before = await scrape();
    const sweptBefore = sample(before, 'zqt_deadline_sweeper_fired_total', { kind: 'ack_overdue' }) ?? 0;
    const lateBefore =
      sample(before, 'zqt_deadline_firing_lateness_seconds_bucket', { kind: 'ack_overdue', le: '60' }) ?? 0;
    const countBefore =
      sample(before, 'zqt_deadline_firing_lateness_seconds_count', { kind: 'ack_overdue' }) ?? 0;
    // its instants moved into the past behind the wake-ups' back: only the sweeper can find them
    await t.db.query(
      `UPDATE assignments SET ack_warn_at = now() - interval '3 minutes', ack_due_at = now() - interval '2 minutes'
       WHERE appeal_id = $1`,
      [filed.body.id],
    );
    await t.app.get(DeadlinesService).sweep();

    const after = await scrape();
    expect(sample(after, 'zqt_deadline_sweeper_fired_total', { kind: 'ack_overdue' })).toBe(sweptBefore + 1);
    expect(sample(after, 'zqt_deadline_sweeper_fired_total', { kind: 'ack_warning' })).toBeGreaterThanOrEqual(
      1,
    );
    // counted, and not within the first minute
    expect(sample(after, 'zqt_deadline_firing_lateness_seconds_count', { kind: 'ack_overdue' })).toBe(
      countBefore + 1,
    );
    expect(
      sample(after, 'zqt_deadline_firing_lateness_seconds_bucket', { kind: 'ack_overdue', le: '60' }),
    ).toBe(lateBefore);
  });

  it('reports queue depths, the outbox, the fold, appeals by status and the dependencies', async () => {
    const text = await scrape();
    for (const queue of ['deadlines', 'dispatch', 'maintenance', 'webhooks']) {
      for (const state of ['waiting', 'delayed', 'active', 'failed'])
        expect(sample(text, 'zqt_queue_jobs', { queue, state })).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'zqt_queue_oldest_waiting_age_seconds', { queue })).toBeGreaterThanOrEqual(0);
    }
    // the sweep re-arms wake-ups and the schedulers wait as delayed jobs
    expect(sample(text, 'zqt_queue_jobs', { queue: 'maintenance', state: 'delayed' })).toBeGreaterThan(0);
    expect(sample(text, 'zqt_dependency_up', { dependency: 'database' })).toBe(1);
    expect(sample(text, 'zqt_dependency_up', { dependency: 'redis' })).toBe(1);
    for (const name of [
      'zqt_webhook_deliveries_pending',
      'zqt_webhook_oldest_pending_age_seconds',
      'zqt_webhooks_failing',
      'zqt_webhook_failing_seconds',
      'zqt_webhooks_disabled',
      'zqt_report_deltas_pending',
      'zqt_report_fold_lag_seconds',
      'zqt_routing_pending',
      'zqt_routing_oldest_pending_age_seconds',
    ])
      expect(sample(text, name)).toBeGreaterThanOrEqual(0);
    // appeals by status: the two dispatched above, from the index (ended ones from the rollups)
    expect(sample(text, 'zqt_appeals', { status: 'dispatched' })).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'zqt_appeals', { status: 'closed' })).toBe(0);
  });

  it('the fold lag is the age of the oldest unfolded delta, and the ended statuses follow the rollups', async () => {
    const { api, w, t } = s;
    const filed = await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201);
    await api
      .post(`/appeals/${filed.body.id}/reject`, w.dispatcher.auth, { reason: '不属于受理范围' })
      .expect(200);
    // a delta written 90 s ago and not folded (the scheduled fold may take it first: then write another)
    const lagging = await waitFor(async () => {
      await t.db.query(`SELECT report_fold()`);
      await t.db.query(
        `INSERT INTO report_deltas (day, department_id, category_code, district, channel, created_at)
         VALUES (current_date, '00000000-0000-0000-0000-000000000000', 'ops', '', 'web', now() - interval '90 seconds')`,
      );
      const text = await scrape();
      return (sample(text, 'zqt_report_deltas_pending') ?? 0) > 0 && text;
    }, 'an unfolded delta');
    expect(sample(lagging, 'zqt_report_fold_lag_seconds')).toBeGreaterThanOrEqual(90);
    await t.db.query(`SELECT report_fold()`);
    const folded = await scrape();
    expect(sample(folded, 'zqt_report_deltas_pending')).toBe(0);
    expect(sample(folded, 'zqt_report_fold_lag_seconds')).toBe(0);
    expect(sample(folded, 'zqt_appeals', { status: 'rejected' })).toBeGreaterThanOrEqual(1);
  });

  it('an appeal waiting for automatic routing shows in the routing gauges until it is routed', async () => {
    const { api, w, t } = s;
    const filed = await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201);
    const routedAt = async () => {
      const [row] = await t.db.query<{ routed_at: Date | null }[]>(
        `SELECT routed_at FROM appeals WHERE id = $1`,
        [filed.body.id],
      );
      return row.routed_at;
    };
    await waitFor(async () => (await routedAt()) !== null, 'its routing');
    // unrouted and filed 90 s ago is what a lost job looks like (the routing sweep may route it first:
    // then unroute it again)
    const waiting = await waitFor(async () => {
      if ((await routedAt()) !== null)
        await t.db.query(
          `UPDATE appeals SET routed_at = NULL, created_at = now() - interval '90 seconds' WHERE id = $1`,
          [filed.body.id],
        );
      const text = await scrape();
      return (sample(text, 'zqt_routing_pending') ?? 0) > 0 && text;
    }, 'an appeal waiting for routing');
    expect(sample(waiting, 'zqt_routing_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(90);
    await t.app.get(RoutingService).route(filed.body.id, { recheck: true });
    const routed = await scrape();
    expect(sample(routed, 'zqt_routing_pending')).toBe(0);
    expect(sample(routed, 'zqt_routing_oldest_pending_age_seconds')).toBe(0);
  });

  it('a scrape answers 200 when PostgreSQL fails or hangs: the database is reported down, the rest as it is', async () => {
    const { t } = s;
    // only the scrape's own statements fail: the app's jobs keep their database
    const query = t.db.query.bind(t.db);
    const isScrape = (sql: string) =>
      sql === 'SELECT 1' || /AS webhook_pending|FROM appeals WHERE status = ANY|WHERE dim = 'all'/.test(sql);
    const before = await scrape();
    const errorsBefore = sample(before, 'zqt_metrics_collect_errors_total', { source: 'database' }) ?? 0;
    const failing = jest
      .spyOn(t.db, 'query')
      .mockImplementation((sql: string, ...rest) =>
        isScrape(sql) ? Promise.reject(new Error('Connection terminated unexpectedly')) : query(sql, ...rest),
      );
    try {
      const text = await scrape();
      expect(sample(text, 'zqt_dependency_up', { dependency: 'database' })).toBe(0);
      expect(sample(text, 'zqt_dependency_up', { dependency: 'redis' })).toBe(1);
      expect(sample(text, 'zqt_metrics_collect_errors_total', { source: 'database' })).toBe(errorsBefore + 1);
      expect(sample(text, 'zqt_queue_jobs', { queue: 'deadlines', state: 'waiting' })).toBeGreaterThanOrEqual(
        0,
      );
    } finally {
      failing.mockRestore();
    }
    // statements that never answer: the scrape gives up on them after its timeouts
    const hung: ((err: Error) => void)[] = [];
    const hanging = jest
      .spyOn(t.db, 'query')
      .mockImplementation((sql: string, ...rest) =>
        isScrape(sql) ? new Promise((_, reject) => void hung.push(reject)) : query(sql, ...rest),
      );
    try {
      const text = await scrape();
      expect(sample(text, 'zqt_dependency_up', { dependency: 'database' })).toBe(0);
    } finally {
      hanging.mockRestore();
      for (const release of hung) release(new Error('released by the test'));
    }
  });
});
