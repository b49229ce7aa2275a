import { appealBody, client, world, World } from '../setup/appeal-helpers';
import { createTestApp, TestApp } from '../setup/test-app';

/**
 * The API document is a contract: a closed loop over HTTP, and the usual ways of getting it wrong,
 * each answer checked against /api/docs-json (its status listed for that operation, its body valid
 * against the schema listed for that status — the SPEC §5 ErrorBody for every error).
 */
describe('answers match the OpenAPI document (e2e)', () => {
  let t: TestApp;
  let w: World;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    t = await createTestApp({ checkResponses: true });
    w = await world(t);
    api = client(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves the document it checks against, with every operation identified, summarised and secured', async () => {
    const res = await t.http().get('/api/docs-json').expect(200);
    const ops = Object.values(
      res.body.paths as Record<string, Record<string, Record<string, unknown>>>,
    ).flatMap((item) => Object.values(item));
    expect(ops.length).toBeGreaterThan(60);
    for (const op of ops) {
      expect(op.operationId).toMatch(/^[a-z][A-Za-z]+$/);
      expect(op.summary).toMatch(/\p{Script=Han}.*\([a-zA-Z -]+\)$/u);
      expect(Array.isArray(op['x-roles'])).toBe(true);
    }
    expect(res.body.servers).toHaveLength(1);
  });

  it('file → dispatch → acknowledge → reply → survey: every answer as documented', async () => {
    const filed = await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201);
    const id = filed.body.id as string;
    await api.get(`/appeals/${id}`, w.enterprise.auth).expect(200);
    await api.get('/appeals?limit=5', w.dispatcher.auth).expect(200);
    await api
      .post(`/appeals/${id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: w.lead.id, note: '请牵头办理' })
      .expect(200);
    await api.get('/queue', w.leadHandler.auth).expect(200);
    await api.post(`/appeals/${id}/acknowledge`, w.leadHandler.auth).expect(200);
    await api.post(`/appeals/${id}/progress`, w.leadHandler.auth, { note: '已约企业面谈' }).expect(200);
    await api
      .post(`/appeals/${id}/extensions`, w.leadHandler.auth, { days: 2, reason: '需要银行补充材料' })
      .expect(201);
    await api
      .post(`/appeals/${id}/reply`, w.leadHandler.auth, { content: '贴息资金已拨付', outcome: 'resolved' })
      .expect(200);
    const closed = await api
      .post(`/appeals/${id}/survey`, w.enterprise.auth, { satisfaction: 'satisfied', resolved: true })
      .expect(200);
    expect(closed.body.status).toBe('closed');
    await api.get(`/appeals/${id}/events`, w.dispatcher.auth).expect(200);
    await api.get(`/appeals/${id}/events/verify`, w.supervisor.auth).expect(200);
    await api.get('/notifications', w.enterprise.auth).expect(200);
    await api.get('/me', w.leadHandler.auth).expect(200);
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: w.admin.user.username, password: 'x' })
      .expect(401);
    await t.http().get('/health').expect(200);

    expect(t.openapi.checked).toBeGreaterThanOrEqual(17);
    expect(t.openapi.report()).toBe('');
  });

  it('400, 401, 403, 404 and 409 come back as documented, each with the ErrorBody', async () => {
    const filed = await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201);
    const id = filed.body.id as string;
    // 400: an unknown field, a missing one, a malformed id
    await api.post('/appeals', w.enterprise.auth, { ...appealBody(w), colour: 'red' }).expect(400);
    await api.post(`/appeals/${id}/reject`, w.dispatcher.auth, {}).expect(400);
    await api.get('/appeals/not-a-uuid', w.dispatcher.auth).expect(400);
    // 401: no token, a bad token
    await t.http().get('/api/v1/appeals').expect(401);
    await api.get('/appeals', 'Bearer not-a-token').expect(401);
    // 403: a role the route does not allow
    await api.post(`/appeals/${id}/dispatch`, w.enterprise.auth, { leadDepartmentId: w.lead.id }).expect(403);
    await api.get('/reports/summary', w.enterprise.auth).expect(403);
    // 404: nothing with that id
    await api.get('/appeals/00000000-0000-4000-8000-000000000000', w.dispatcher.auth).expect(404);
    // 409: an action the status does not allow, a stale version
    await api
      .post(`/appeals/${id}/survey`, w.enterprise.auth, { satisfaction: 'satisfied', resolved: true })
      .expect(409);
    await api
      .post(`/appeals/${id}/dispatch`, w.dispatcher.auth, {
        leadDepartmentId: w.lead.id,
        expectedVersion: 99,
      })
      .expect(409);

    expect(t.openapi.report()).toBe('');
  });

  it('PUT /targets takes numbers where the document says numbers', async () => {
    const res = await t.http().get('/api/docs-json').expect(200);
    const schema = res.body.components.schemas.PutTargetsDto;
    expect(schema.properties.closureRate).toMatchObject({ type: 'number', nullable: true });
    expect(schema.additionalProperties).toBe(false);
    await t
      .http()
      .put('/api/v1/targets')
      .set('Authorization', w.supervisor.auth)
      .send({
        closureRate: 0.9,
        scoreWeights: { responseRate: 0.3, resolutionRate: 0.3, satisfactionRate: 0.4 },
      })
      .expect(200);
    await t
      .http()
      .put('/api/v1/targets')
      .set('Authorization', w.supervisor.auth)
      .send({ closureRate: { value: 0.9 } })
      .expect(400);
    expect(t.openapi.report()).toBe('');
  });
});
