import { appealSuite } from '../setup/appeal-helpers';

/**
 * SPEC §5.1 "Reference lists are whole": departments, categories, districts, SLA policies and routing
 * rules answer every row (no default page of 20), pages only when `limit` (up to 1000) asks, in SPEC §5's
 * `{items, nextCursor}`; `GET /categories?tree=true` gives the tree; names beside ids in every row.
 */
describe('reference lists (e2e)', () => {
  const s = appealSuite();
  const N = 25;
  const pad = (i: number) => String(i).padStart(2, '0');
  const roots: { id: string; name: string }[] = [];

  beforeAll(async () => {
    const { api, w } = s;
    const admin = w.admin.auth;
    // 5 parent departments with 4 children each, and 5 more: 30
    for (let p = 0; p < 5; p++) {
      const parent = await api
        .post('/departments', admin, { code: `RL-P${p}`, name: `上级单位${p}`, kind: 'district' })
        .expect(201);
      roots.push(parent.body);
      for (let c = 0; c < 4; c++)
        await api
          .post('/departments', admin, {
            code: `RL-P${p}-${c}`,
            name: `下级单位${p}-${c}`,
            parentId: parent.body.id,
          })
          .expect(201);
    }
    for (let i = 0; i < 5; i++)
      await api.post('/departments', admin, { code: `RL-X${i}`, name: `其他单位${i}` }).expect(201);
    // categories: 5 roots (given in reverse order) with 4 children each, a default department on each child
    for (let p = 4; p >= 0; p--) {
      await api.post('/categories', admin, { code: `RL${p}`, name: `大类${p}` }).expect(201);
      for (let c = 3; c >= 0; c--)
        await api
          .post('/categories', admin, {
            code: `RL${p}.${c}`,
            name: `小类${p}.${c}`,
            parentCode: `RL${p}`,
            defaultDepartmentId: roots[p].id,
          })
          .expect(201);
    }
    for (let i = 1; i <= N; i++)
      await api.post('/districts', admin, { code: `3399${pad(i)}`, name: `测试区${pad(i)}` }).expect(201);
    for (let i = 0; i < N; i++)
      await api
        .post('/sla-policies', admin, {
          name: `策略${pad(i)}`,
          categoryCode: `RL${i % 5}.${i % 4}`,
          clock: 'working',
          ackWithin: 'P1D',
          replyWithin: 'P5D',
        })
        .expect(201);
    for (let i = 0; i < N; i++)
      await api
        .post('/routing-rules', admin, {
          priority: i % 7,
          categoryCode: `RL${i % 5}`,
          district: `测试区${pad(i + 1)}`,
          leadDepartmentId: roots[i % 5].id,
          coDepartmentIds: [roots[(i + 1) % 5].id],
          autoDispatch: false,
        })
        .expect(201);
  }, 120_000);

  const LISTS = ['/departments', '/categories', '/districts', '/sla-policies', '/routing-rules'];

  it.each(LISTS)(
    '%s answers every row without a limit, and pages through the same rows with one',
    async (path) => {
      const { api, w } = s;
      const whole = (await api.get(path, w.admin.auth).expect(200)).body;
      expect(whole.nextCursor).toBeNull();
      expect(whole.items.length).toBeGreaterThanOrEqual(N);
      const paged: unknown[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: unknown[]; nextCursor: string | null } = (
          await api.get(`${path}?limit=7${cursor ? `&cursor=${cursor}` : ''}`, w.admin.auth).expect(200)
        ).body;
        expect(page.items.length).toBeLessThanOrEqual(7);
        paged.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      expect(paged).toEqual(whole.items);
      const max = (await api.get(`${path}?limit=1000`, w.admin.auth).expect(200)).body;
      expect(max).toEqual(whole);
      await api.get(`${path}?limit=1001`, w.admin.auth).expect(400);
      await api.get(`${path}?limit=0`, w.admin.auth).expect(400);
    },
  );

  it('departments: in code order, each with its parent’s name', async () => {
    const { items } = (await s.api.get('/departments?kind=department', s.w.dispatcher.auth).expect(200)).body;
    const codes = items.map((d: { code: string }) => d.code);
    expect(codes).toEqual([...codes].sort());
    expect(items.find((d: { code: string }) => d.code === 'RL-P2-3')).toMatchObject({
      parentId: roots[2].id,
      parentName: '上级单位2',
    });
    expect(items.find((d: { code: string }) => d.code === 'RL-X0')).toMatchObject({
      parentId: null,
      parentName: null,
    });
    const one = await s.api.get(`/departments/${items[0].id}`, s.w.enterprise.auth).expect(200);
    expect(one.body).toEqual(items[0]);
  });

  it('categories: each with its parent’s and its default department’s names', async () => {
    const { items } = (await s.api.get('/categories', s.w.leadHandler.auth).expect(200)).body;
    expect(items.find((c: { code: string }) => c.code === 'RL3.1')).toMatchObject({
      parentCode: 'RL3',
      parentName: '大类3',
      defaultDepartmentId: roots[3].id,
      defaultDepartmentName: '上级单位3',
    });
    const children = (await s.api.get('/categories?parentCode=RL1', s.w.leadHandler.auth).expect(200)).body;
    expect(children.items.map((c: { code: string }) => c.code)).toEqual(['RL1.0', 'RL1.1', 'RL1.2', 'RL1.3']);
  });

  it('categories?tree=true: children nested under their parents, in code order', async () => {
    type Node = { code: string; name: string; defaultDepartmentName: string | null; children: Node[] };
    const tree = (await s.api.get('/categories?tree=true', s.w.enterprise.auth).expect(200)).body;
    expect(tree.nextCursor).toBeNull();
    const mine = (tree.items as Node[]).filter((n) => n.code.startsWith('RL'));
    expect(mine.map((n) => [n.code, n.children.map((c) => c.code)])).toEqual(
      [0, 1, 2, 3, 4].map((p) => [`RL${p}`, [0, 1, 2, 3].map((c) => `RL${p}.${c}`)]),
    );
    expect(mine[2].children[1]).toMatchObject({
      name: '小类2.1',
      defaultDepartmentName: '上级单位2',
      children: [],
    });
    // every category appears once, wherever it sits
    const count = (nodes: Node[]): number => nodes.reduce((n, c) => n + 1 + count(c.children), 0);
    const flat = (await s.api.get('/categories', s.w.enterprise.auth).expect(200)).body.items;
    expect(count(tree.items)).toBe(flat.length);
    const sub = (await s.api.get('/categories?tree=true&parentCode=RL4', s.w.enterprise.auth).expect(200))
      .body;
    expect(sub.items.map((n: Node) => n.code)).toEqual(['RL4.0', 'RL4.1', 'RL4.2', 'RL4.3']);
    const paged = await s.api.get('/categories?tree=true&limit=5', s.w.enterprise.auth).expect(400);
    expect(paged.body.details).toEqual([{ field: 'limit', message: expect.any(String) }]);
    await s.api.get('/categories?tree=yes', s.w.enterprise.auth).expect(400);
  });

  it('routing rules: tried order, with their departments’, category’s and district’s names', async () => {
    const { items } = (await s.api.get('/routing-rules', s.w.supervisor.auth).expect(200)).body;
    const priorities = items.map((r: { priority: number }) => r.priority);
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    const rule = items.find((r: { district: string }) => r.district === '339903');
    expect(rule).toMatchObject({
      districtName: '测试区03',
      categoryCode: 'RL2',
      categoryName: '大类2',
      leadDepartmentId: roots[2].id,
      leadDepartmentName: '上级单位2',
      coDepartmentIds: [roots[3].id],
      coDepartments: [{ id: roots[3].id, name: '上级单位3' }],
    });
  });

  it('SLA policies: oldest first, each with its category’s name', async () => {
    const { items } = (await s.api.get('/sla-policies', s.w.dispatcher.auth).expect(200)).body;
    const mine = items.filter((p: { name: string }) => p.name.startsWith('策略'));
    expect(mine.map((p: { name: string }) => p.name)).toEqual(
      Array.from({ length: N }, (_, i) => `策略${pad(i)}`),
    );
    expect(mine[7]).toMatchObject({ categoryCode: 'RL2.3', categoryName: '小类2.3' });
    expect(mine[7].category).toBeUndefined();
  });
});
