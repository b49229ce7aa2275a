import { appealBody, client, world, World } from '../setup/appeal-helpers';
import { PASSWORD } from '../setup/factories';
import { createTestApp, TestApp } from '../setup/test-app';
import { waitFor } from '../setup/wait';

type Line = Record<string, unknown>;

/**
 * Structured logs: one JSON line per request with its request id (the caller's when sane, echoed in
 * the response), route pattern, status, duration and actor; job lines with queue, job and ids; and
 * no contact data, password or token anywhere, through a filing, a dispatch and a survey.
 */
describe('structured logs (e2e)', () => {
  let t: TestApp;
  let w: World;
  let api: ReturnType<typeof client>;
  const raw: string[] = [];
  const lines = (): Line[] => raw.map((l) => JSON.parse(l) as Line);
  const byRequest = (id: string) => lines().filter((l) => l.requestId === id);

  const CONTACT_NAME = '欧阳保密联系人';
  const CONTACT_PHONE = '13912345678';
  const NEW_PASSWORD = 'a-new-password-nobody-logs-7';

  beforeAll(async () => {
    t = await createTestApp({
      env: { LOG_LEVEL: 'debug' },
      logDestination: { write: (chunk: string) => void raw.push(chunk.trim()) },
    });
    w = await world(t);
    api = client(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a request line carries the id it was sent with, the route pattern, status, duration and the actor', async () => {
    const res = await t
      .http()
      .post('/api/v1/appeals')
      .set('Authorization', w.enterprise.auth)
      .set('X-Request-Id', 'filing-0001.abc')
      .send(appealBody(w, { contactName: CONTACT_NAME, contactPhone: CONTACT_PHONE }))
      .expect(201);
    expect(res.headers['x-request-id']).toBe('filing-0001.abc');
    const [line] = await waitFor(async () => {
      const found = byRequest('filing-0001.abc').filter((l) => l.status === 201);
      return found.length > 0 && found;
    }, 'the filing request line');
    expect(line).toMatchObject({
      level: 'info',
      method: 'POST',
      route: '/api/v1/appeals',
      path: '/api/v1/appeals',
      status: 201,
      actorId: w.enterprise.user.id,
      actorRole: 'enterprise',
      role: 'all',
    });
    expect(typeof line.durationMs).toBe('number');
    expect(typeof line.time).toBe('string');

    // a route with an appeal in it names the appeal
    await t
      .http()
      .get(`/api/v1/appeals/${res.body.id}`)
      .set('Authorization', w.dispatcher.auth)
      .set('X-Request-Id', 'read-0001')
      .expect(200);
    const read = await waitFor(
      async () => byRequest('read-0001').find((l) => l.status === 200),
      'the read line',
    );
    expect(read).toMatchObject({
      route: '/api/v1/appeals/:id',
      appealId: res.body.id,
      actorId: w.dispatcher.user.id,
      actorRole: 'dispatcher',
    });
  });

  it('a request id that is not a plain token is replaced by a generated one, also echoed', async () => {
    const res = await t
      .http()
      .get('/api/v1/me')
      .set('Authorization', w.admin.auth)
      .set('X-Request-Id', 'has spaces; and "quotes"')
      .expect(200);
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor(async () => byRequest(id).length > 0, 'the line of the generated id');

    const anonymous = await t.http().get('/health').expect(200);
    expect(anonymous.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a rejected body (malformed JSON) is logged too, without the body', async () => {
    await t
      .http()
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .set('X-Request-Id', 'malformed-1')
      .send(`{"username": "x", "password": "${NEW_PASSWORD}"`)
      .expect(400);
    const line = await waitFor(async () => byRequest('malformed-1').find((l) => l.status === 400), 'line');
    expect(line).toMatchObject({
      method: 'POST',
      route: 'unmatched',
      path: '/api/v1/auth/login',
      status: 400,
    });
  });

  it('a job line names its queue, job, id and appeal', async () => {
    const filed = await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201);
    const job = await waitFor(
      async () => lines().find((l) => l.jobName === 'routing.route' && l.appealId === filed.body.id),
      'the routing job line',
    );
    expect(job).toMatchObject({ queue: 'dispatch', jobName: 'routing.route', msg: 'job completed' });
    expect(typeof job.jobId).toBe('string');
    expect(typeof job.durationMs).toBe('number');
  });

  it('no contact data, password or token in any line of a filing, a dispatch, a reply, a survey and a password change', async () => {
    const filed = await api
      .post(
        '/appeals',
        w.enterprise.auth,
        appealBody(w, { contactName: CONTACT_NAME, contactPhone: CONTACT_PHONE, confidential: true }),
      )
      .expect(201);
    const id = filed.body.id;
    await api.post(`/appeals/${id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: w.lead.id }).expect(200);
    await api.post(`/appeals/${id}/acknowledge`, w.leadHandler.auth).expect(200);
    await api
      .post(`/appeals/${id}/reply`, w.leadHandler.auth, { content: '已办理', outcome: 'resolved' })
      .expect(200);
    await api
      .post(`/appeals/${id}/survey`, w.enterprise.auth, {
        satisfaction: 'satisfied',
        resolved: true,
        comment: `联系人${CONTACT_NAME}，电话${CONTACT_PHONE}`,
      })
      .expect(200);
    await t
      .http()
      .post('/api/v1/me/password')
      .set('Authorization', w.admin.auth)
      .send({ currentPassword: 'wrong-current-password', newPassword: NEW_PASSWORD })
      .expect((r) => expect(r.status).toBeGreaterThanOrEqual(400));

    // every request above has its line by now (each is logged when its response finishes)
    const routes = new Set(lines().map((l) => `${String(l.method)} ${String(l.route)}`));
    for (const r of [
      'POST /api/v1/appeals',
      'POST /api/v1/appeals/:id/dispatch',
      'POST /api/v1/appeals/:id/survey',
      'POST /api/v1/auth/login',
    ])
      expect(routes).toContain(r);

    const all = raw.join('\n');
    expect(all).not.toContain(CONTACT_NAME);
    expect(all).not.toContain(CONTACT_PHONE);
    expect(all).not.toContain(NEW_PASSWORD);
    expect(all).not.toContain(PASSWORD); // the test accounts' password
    for (const auth of [w.enterprise.auth, w.dispatcher.auth, w.admin.auth]) {
      expect(all).not.toContain(auth.slice('Bearer '.length));
    }
    expect(all).not.toMatch(/Bearer /);
    expect(all).not.toMatch(/"authorization"/i);
  });
});
