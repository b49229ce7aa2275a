import { Factory, actor } from './factories';
import type { TestApp } from './test-app';

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
