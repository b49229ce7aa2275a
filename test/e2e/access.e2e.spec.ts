import { appealBody, client, world, World } from '../setup/appeal-helpers';
import { createTestApp, TestApp } from '../setup/test-app';

type RoleName = 'enterprise' | 'dispatcher' | 'handler' | 'supervisor' | 'admin';
const ROLES: RoleName[] = ['enterprise', 'dispatcher', 'handler', 'supervisor', 'admin'];

/** Who may call each action (SPEC §1, §5); every other role gets 403 FORBIDDEN. */
const ACTIONS: { path: (id: string) => string; allowed: RoleName[]; body: object }[] = [
  {
    path: (id) => `/appeals/${id}/dispatch`,
    allowed: ['dispatcher'],
    body: { leadDepartmentId: '00000000-0000-4000-8000-000000000000' },
  },
  { path: (id) => `/appeals/${id}/reject`, allowed: ['dispatcher'], body: { reason: 'x' } },
  { path: (id) => `/appeals/${id}/resolve`, allowed: ['dispatcher'], body: { content: 'x' } },
  { path: (id) => `/appeals/${id}/acknowledge`, allowed: ['handler'], body: {} },
  { path: (id) => `/appeals/${id}/return`, allowed: ['handler'], body: { reason: 'x' } },
  { path: (id) => `/appeals/${id}/progress`, allowed: ['handler'], body: { note: 'x' } },
  { path: (id) => `/appeals/${id}/opinion`, allowed: ['handler'], body: { content: 'x' } },
  { path: (id) => `/appeals/${id}/extensions`, allowed: ['handler'], body: { days: 2, reason: 'x' } },
  {
    path: (id) => `/appeals/${id}/extensions/00000000-0000-4000-8000-000000000000/approve`,
    allowed: ['dispatcher', 'supervisor'],
    body: {},
  },
  {
    path: (id) => `/appeals/${id}/extensions/00000000-0000-4000-8000-000000000000/deny`,
    allowed: ['dispatcher', 'supervisor'],
    body: { reason: 'x' },
  },
  { path: (id) => `/appeals/${id}/reply`, allowed: ['handler'], body: { content: 'x', outcome: 'resolved' } },
  {
    path: (id) => `/appeals/${id}/survey`,
    allowed: ['enterprise', 'dispatcher'],
    body: { satisfaction: 'satisfied', resolved: true },
  },
  { path: (id) => `/appeals/${id}/withdraw`, allowed: ['enterprise'], body: { reason: 'x' } },
  {
    path: (id) => `/appeals/${id}/merge`,
    allowed: ['dispatcher'],
    body: { intoAppealId: '00000000-0000-4000-8000-000000000000' },
  },
  { path: (id) => `/appeals/${id}/supervise`, allowed: ['supervisor'], body: { note: 'x' } },
  {
    path: (id) => `/appeals/${id}/returns/00000000-0000-4000-8000-000000000000/approve`,
    allowed: ['dispatcher'],
    body: {},
  },
  {
    path: (id) => `/appeals/${id}/returns/00000000-0000-4000-8000-000000000000/deny`,
    allowed: ['dispatcher'],
    body: { reason: 'x' },
  },
  {
    path: (id) => `/appeals/${id}/assessment-appeals`,
    allowed: ['handler'],
    body: {
      surveyId: '00000000-0000-4000-8000-000000000000',
      reason: 'untrue',
      explanation: 'x',
      recontacted: false,
    },
  },
  {
    path: (id) => `/appeals/${id}/assessment-appeals/00000000-0000-4000-8000-000000000000/approve`,
    allowed: ['supervisor'],
    body: {},
  },
  {
    path: (id) => `/appeals/${id}/assessment-appeals/00000000-0000-4000-8000-000000000000/deny`,
    allowed: ['supervisor'],
    body: { reason: 'x' },
  },
  { path: (id) => `/appeals/${id}/supplements`, allowed: ['enterprise'], body: { content: 'x' } },
];

describe('who may do what, and who may see what (e2e)', () => {
  let t: TestApp;
  let w: World;
  let api: ReturnType<typeof client>;
  let appealId: string;
  let auth: Record<RoleName, string>;

  beforeAll(async () => {
    t = await createTestApp();
    w = await world(t);
    api = client(t);
    auth = {
      enterprise: w.enterprise.auth,
      dispatcher: w.dispatcher.auth,
      handler: w.leadHandler.auth,
      supervisor: w.supervisor.auth,
      admin: w.admin.auth,
    };
    appealId = (await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201)).body.id;
    await api
      .post(`/appeals/${appealId}/dispatch`, w.dispatcher.auth, {
        leadDepartmentId: w.lead.id,
        coDepartmentIds: [w.co.id],
      })
      .expect(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  const forbidden = ACTIONS.flatMap((a) =>
    ROLES.filter((r) => !a.allowed.includes(r)).map((role) => ({ role, a })),
  );

  it.each(forbidden.map(({ role, a }) => [a.path(':id'), role, a] as const))(
    '%s by %s → 403 FORBIDDEN',
    async (_label, role, a) => {
      const before = await t.db.query(`SELECT version FROM appeals WHERE id = $1`, [appealId]);
      const res = await api.post(a.path(appealId), auth[role], a.body).expect(403);
      expect(res.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
      const after = await t.db.query(`SELECT version FROM appeals WHERE id = $1`, [appealId]);
      expect(after[0].version).toBe(before[0].version);
    },
  );

  const enterpriseActions = ACTIONS.filter((a) => a.allowed.includes('enterprise'));
  it.each(enterpriseActions.map((a) => [a.path(':id'), a] as const))(
    '%s by another enterprise → 404',
    async (_label, a) => {
      const res = await api.post(a.path(appealId), w.otherEnterprise.auth, a.body).expect(404);
      expect(res.body.code).toBe('NOT_FOUND');
    },
  );

  const handlerActions = ACTIONS.filter((a) => a.allowed.includes('handler'));
  it.each(handlerActions.map((a) => [a.path(':id'), a] as const))(
    '%s by a department never assigned → 404',
    async (_label, a) => {
      const res = await api.post(a.path(appealId), w.otherHandler.auth, a.body).expect(404);
      expect(res.body.code).toBe('NOT_FOUND');
    },
  );

  it.each(['', '/events', '/events/verify'])(
    "GET /appeals/:id%s is 404 outside the caller's scope",
    async (suffix) => {
      await api.get(`/appeals/${appealId}${suffix}`, w.otherEnterprise.auth).expect(404);
      await api.get(`/appeals/${appealId}${suffix}`, w.otherHandler.auth).expect(404);
      await api.get(`/appeals/${appealId}${suffix}`, w.enterprise.auth).expect(200);
      await api.get(`/appeals/${appealId}${suffix}`, w.coHandler.auth).expect(200);
      await api.get(`/appeals/${appealId}${suffix}`, w.supervisor.auth).expect(200);
    },
  );

  it('an unknown appeal is 404 for everyone, and a malformed id is 400', async () => {
    await api
      .post('/appeals/00000000-0000-4000-8000-000000000000/acknowledge', w.leadHandler.auth)
      .expect(404);
    await api.get('/appeals/00000000-0000-4000-8000-000000000000', w.supervisor.auth).expect(404);
    await api.post('/appeals/not-a-uuid/acknowledge', w.leadHandler.auth).expect(400);
  });

  it('a co-handler cannot reply nor ask for an extension; the lead cannot give a co opinion', async () => {
    await api.post(`/appeals/${appealId}/acknowledge`, w.coHandler.auth).expect(200);
    await api.post(`/appeals/${appealId}/acknowledge`, w.leadHandler.auth).expect(200);
    expect(
      (
        await api
          .post(`/appeals/${appealId}/reply`, w.coHandler.auth, { content: 'x', outcome: 'resolved' })
          .expect(403)
      ).body.code,
    ).toBe('FORBIDDEN');
    await api.post(`/appeals/${appealId}/extensions`, w.coHandler.auth, { days: 2, reason: 'x' }).expect(403);
    await api.post(`/appeals/${appealId}/opinion`, w.leadHandler.auth, { content: 'x' }).expect(403);
  });

  it("enterprises have no queue; lists never leak other enterprises' appeals", async () => {
    await api.get('/queue', w.enterprise.auth).expect(403);
    const mine = await api.get('/appeals', w.otherEnterprise.auth).expect(200);
    expect(mine.body.items.map((a: { id: string }) => a.id)).not.toContain(appealId);
    const other = await api.get('/appeals', w.otherHandler.auth).expect(200);
    expect(other.body.items.map((a: { id: string }) => a.id)).not.toContain(appealId);
  });

  it('a wrong status is 409 INVALID_TRANSITION', async () => {
    const fresh = (await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201)).body;
    const res = await api
      .post(`/appeals/${fresh.id}/survey`, w.enterprise.auth, { satisfaction: 'satisfied', resolved: true })
      .expect(409);
    expect(res.body.code).toBe('INVALID_TRANSITION');
    await api.post(`/appeals/${fresh.id}/supervise`, w.supervisor.auth, { note: 'n' }).expect(200);
  });
});
