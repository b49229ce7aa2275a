import { appealBody, appealSuite } from '../setup/appeal-helpers';

/**
 * SPEC §4's filters (category with descendants, district, channel) on every report, not only the
 * summary; department on summary, trend and categories. Each filtered report must agree with the
 * filtered summary.
 */
describe('report filters (e2e)', () => {
  const s = appealSuite();
  let child = '';
  let other = '';

  beforeAll(async () => {
    const { api, w } = s;
    child = (await w.f.category({ parentCode: w.category.code })).code;
    other = (await w.f.category()).code;
    const file = async (extra: Record<string, unknown>, lead: string) => {
      const id = (await api.post('/appeals', w.enterprise.auth, appealBody(w, extra)).expect(201)).body.id;
      await api.post(`/appeals/${id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: lead }).expect(200);
    };
    await file({ district: '吴兴区', channel: 'web' }, w.lead.id);
    await file({ district: '吴兴区', channel: 'app', categoryCode: child }, w.lead.id);
    await file({ district: '南浔区', channel: 'web', categoryCode: other }, w.other.id);
    await file({ district: '南浔区', channel: 'app' }, w.co.id);
  });

  const get = async (path: string) => (await s.api.get(path, s.w.supervisor.auth).expect(200)).body;
  const sum = (items: { received: number }[]) => items.reduce((n, i) => n + i.received, 0);

  it.each([
    ['district=%E5%90%B4%E5%85%B4%E5%8C%BA', 2],
    ['channel=app', 2],
    ['categoryCode=PARENT', 3],
    ['channel=web&district=%E5%8D%97%E6%B5%94%E5%8C%BA', 1],
    ['leaderLed=false&channel=app', 2],
    ['leaderLed=true&channel=app', 0],
  ])('%s: trend, departments and categories agree with the summary', async (filter, received) => {
    const q = filter.replace('PARENT', s.w.category.code);
    const summary = await get(`/reports/summary?${q}`);
    expect(summary.received).toBe(received);
    expect(sum((await get(`/reports/trend?${q}`)).items)).toBe(received);
    expect(sum((await get(`/reports/departments?${q}`)).items)).toBe(received);
    expect(sum((await get(`/reports/categories?${q}`)).items)).toBe(received);
  });

  it('narrows trend and categories to one department', async () => {
    const q = `departmentId=${s.w.lead.id}`;
    expect((await get(`/reports/summary?${q}`)).received).toBe(2);
    expect(sum((await get(`/reports/trend?${q}&interval=month`)).items)).toBe(2);
    const categories = (await get(`/reports/categories?${q}`)).items as {
      categoryCode: string;
      received: number;
    }[];
    expect(
      categories
        .filter((c) => c.received > 0)
        .map((c) => c.categoryCode)
        .sort(),
    ).toEqual([s.w.category.code, child].sort());
  });

  it('rejects a department filter on the ranking and a bad channel anywhere', async () => {
    await s.api.get(`/reports/departments?departmentId=${s.w.lead.id}`, s.w.supervisor.auth).expect(400);
    await s.api.get('/reports/trend?channel=fax', s.w.supervisor.auth).expect(400);
  });
});
