import { Factory, actor } from './factories';
import { createTestApp, type TestApp } from './test-app';

/** A small world for appeal tests: a category, three departments with handlers, the centre, an enterprise. */
export async function world(t: TestApp) {
  const f = new Factory(t.db);
  const [lead, co, other] = await Promise.all([f.department(), f.department(), f.department()]);
  const category = await f.category({ defaultDepartmentId: lead.id });
  const [dispatcher, supervisor, leadHandler, coHandler, otherHandler, enterprise, otherEnterprise, admin] =
    await Promise.all([
      actor(t, f, 'dispatcher'),
      actor(t, f, 'supervisor'),
      actor(t, f, 'handler', { departmentId: lead.id }),
      actor(t, f, 'handler', { departmentId: co.id }),
      actor(t, f, 'handler', { departmentId: other.id }),
      actor(t, f, 'enterprise'),
      actor(t, f, 'enterprise'),
      actor(t, f, 'admin'),
    ]);
  return {
    f,
    lead,
    co,
    other,
    category,
    dispatcher,
    supervisor,
    leadHandler,
    coHandler,
    otherHandler,
    enterprise,
    otherEnterprise,
    admin,
  };
}

export type World = Awaited<ReturnType<typeof world>>;

export function appealBody(w: World, extra: Record<string, unknown> = {}) {
  return {
    type: 'help',
    categoryCode: w.category.code,
    title: '技改项目贷款审批超过三个月未有结果',
    content: '我司于今年五月提交的技改贷款贴息申请至今未有答复，影响生产线改造进度。',
    ...extra,
  };
}

export function client(t: TestApp) {
  const call = (method: 'get' | 'post', path: string, auth: string, body?: object) => {
    const req = t.http()[method](`/api/v1${path}`).set('Authorization', auth);
    return body === undefined ? req : req.send(body);
  };
  return {
    get: (path: string, auth: string) => call('get', path, auth),
    post: (path: string, auth: string, body: object = {}) => call('post', path, auth, body),
  };
}

/**
 * A test file's app, world and client, made in beforeAll and closed in afterAll. Read them through the
 * returned object inside tests (they exist only once beforeAll has run).
 */
export function appealSuite(options: Parameters<typeof createTestApp>[0] = {}) {
  const suite = {} as { t: TestApp; w: World; api: ReturnType<typeof client> };
  beforeAll(async () => {
    suite.t = await createTestApp(options);
    suite.w = await world(suite.t);
    suite.api = client(suite.t);
  });
  afterAll(async () => {
    await suite.t?.close();
  });
  return suite;
}

/** A new category with an SLA policy of its own (natural clock unless said), for deadline tests. */
export async function categoryWithPolicy(
  api: ReturnType<typeof client>,
  w: World,
  policy: Record<string, unknown>,
): Promise<string> {
  const category = await w.f.category();
  await api
    .post('/sla-policies', w.admin.auth, {
      name: 'test',
      categoryCode: category.code,
      clock: 'natural',
      ...policy,
    })
    .expect(201);
  return category.code;
}
