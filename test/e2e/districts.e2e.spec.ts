import { appealBody, appealSuite } from '../setup/appeal-helpers';
import { makeUscc } from '../setup/factories';

/** A report's answer without the snapshot's time (`freshness`), which moves from one read to the next. */
const figures = (body: object) => ({ ...body, freshness: undefined });
import { waitFor } from '../setup/wait';

/**
 * SPEC §5.1 "Districts are reference data": GET|POST /districts, seeded for the demo city; a district
 * given by GB/T 2260 code or exact name is stored as the code wherever it is written (enterprises,
 * meetings, routing rules, appeals) and answered with its name beside it; an unknown one is 400 naming
 * the field; reports filter by code or name and answer with the name.
 */
describe('districts (e2e)', () => {
  const s = appealSuite();
  const NANXUN = encodeURIComponent('南浔区');
  const PERIOD = `from=${encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString())}&to=${encodeURIComponent(
    new Date(Date.now() + 86_400_000).toISOString(),
  )}`;

  const unknownDistrict = (body: { code: string; details: unknown }, field = 'district') => {
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.details).toEqual([{ field, message: expect.any(String) }]);
  };

  describe('the reference list', () => {
    it('every signed-in role reads the demo city and its districts and counties, in code order', async () => {
      const { api, w } = s;
      for (const auth of [
        w.enterprise.auth,
        w.dispatcher.auth,
        w.leadHandler.auth,
        w.supervisor.auth,
        w.admin.auth,
      ]) {
        const res = await api.get('/districts', auth).expect(200);
        expect(res.body.nextCursor).toBeNull();
        expect(res.body.items).toEqual([
          { code: '330500', name: '湖州市' },
          { code: '330502', name: '吴兴区' },
          { code: '330503', name: '南浔区' },
          { code: '330521', name: '德清县' },
          { code: '330522', name: '长兴县' },
          { code: '330523', name: '安吉县' },
        ]);
      }
      await s.t.http().get('/api/v1/districts').expect(401);
    });

    it('an admin adds a district (full-width digits forgiven); others get 403', async () => {
      const { api, w } = s;
      const res = await api.post('/districts', w.admin.auth, { code: '330102', name: '上城区' }).expect(201);
      expect(res.body).toEqual({ code: '330102', name: '上城区' });
      const wide = await api
        .post('/districts', w.admin.auth, { code: '３３０１０５', name: '拱墅区' })
        .expect(201);
      expect(wide.body).toEqual({ code: '330105', name: '拱墅区' });
      await api.post('/districts', w.dispatcher.auth, { code: '330108', name: '滨江区' }).expect(403);
      await api.post('/districts', w.supervisor.auth, { code: '330108', name: '滨江区' }).expect(403);
      const list = await api.get('/districts', w.enterprise.auth).expect(200);
      expect(list.body.items).toContainEqual({ code: '330102', name: '上城区' });
    });

    it('400 for what is not a GB/T 2260 code or a blank name; 409 naming the taken code or name', async () => {
      const { api, w } = s;
      for (const code of ['33050', '3305021', '990101', '000000', '330012', '吴兴区']) {
        const bad = await api.post('/districts', w.admin.auth, { code, name: `区${code}` }).expect(400);
        expect(bad.body.details).toEqual([{ field: 'code', message: expect.any(String) }]);
      }
      const blank = await api.post('/districts', w.admin.auth, { code: '330106', name: '  ' }).expect(400);
      expect(blank.body.details).toEqual([{ field: 'name', message: expect.any(String) }]);
      await api.post('/districts', w.admin.auth, { code: '330106', name: '西湖区', extra: 1 }).expect(400);

      const code = await api
        .post('/districts', w.admin.auth, { code: '330502', name: '另一个区' })
        .expect(409);
      expect(code.body).toMatchObject({
        code: 'CONFLICT',
        details: { field: 'code', district: { code: '330502', name: '吴兴区' } },
      });
      const name = await api.post('/districts', w.admin.auth, { code: '330599', name: '南浔区' }).expect(409);
      expect(name.body).toMatchObject({
        code: 'CONFLICT',
        details: { field: 'name', district: { code: '330503', name: '南浔区' } },
      });
      const n = await s.t.db.query(
        `SELECT count(*)::int AS n FROM districts WHERE code IN ('330502', '330599')`,
      );
      expect(n[0].n).toBe(1);
    });
  });

  describe('a district given by code or by name is stored as the code', () => {
    it('registration: by name → code with the name beside it; unknown → 400 naming the field, nothing written', async () => {
      const register = (district: string) =>
        s.t
          .http()
          .post('/api/v1/enterprises/register')
          .send({
            name: '湖州示例智造有限公司',
            uscc: makeUscc(),
            district,
            contactName: '沈经理',
            contactPhone: '13905720000',
            username: `ent_${Math.random().toString(36).slice(2, 10)}`,
            password: 'enterprise-pass-1',
          });
      const byName = await register('德清县').expect(201);
      expect(byName.body.enterprise).toMatchObject({ district: '330521', districtName: '德清县' });
      const byCode = await register('330522').expect(201);
      expect(byCode.body.enterprise).toMatchObject({ district: '330522', districtName: '长兴县' });
      const stored = await s.t.db.query(`SELECT district FROM enterprises WHERE id = $1`, [
        byName.body.enterprise.id,
      ]);
      expect(stored[0].district).toBe('330521');

      const before = await s.t.db.query(`SELECT count(*)::int AS n FROM enterprises`);
      const unknown = await register('西湖区').expect(400);
      unknownDistrict(unknown.body);
      expect(await s.t.db.query(`SELECT count(*)::int AS n FROM enterprises`)).toEqual(before);
    });

    it('meetings: created by name, listed by code or name, unknown → 400', async () => {
      const { api, w } = s;
      const heldAt = new Date(Date.now() - 3600_000).toISOString();
      const m = await api
        .post('/meetings', w.dispatcher.auth, {
          title: '政企恳谈会（长兴）',
          heldAt,
          district: '长兴县',
          enterpriseIds: [],
        })
        .expect(201);
      expect(m.body).toMatchObject({ district: '330522', districtName: '长兴县' });
      for (const q of ['330522', encodeURIComponent('长兴县')]) {
        const list = await api.get(`/meetings?district=${q}`, w.supervisor.auth).expect(200);
        expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([m.body.id]);
        expect(list.body.items[0]).toMatchObject({ district: '330522', districtName: '长兴县' });
      }
      unknownDistrict(
        (
          await api
            .post('/meetings', w.dispatcher.auth, {
              title: '无效',
              heldAt,
              district: '长兴',
              enterpriseIds: [],
            })
            .expect(400)
        ).body,
      );
      unknownDistrict((await api.get('/meetings?district=999999', w.supervisor.auth).expect(400)).body);
    });

    it('routing rules: by name → code with the name, and they still match appeals filed by name', async () => {
      const { api, w } = s;
      const cat = await w.f.category();
      const rule = await api
        .post('/routing-rules', w.admin.auth, {
          priority: 10,
          categoryCode: cat.code,
          district: '安吉县',
          leadDepartmentId: w.other.id,
          autoDispatch: false,
        })
        .expect(201);
      expect(rule.body).toMatchObject({ district: '330523', districtName: '安吉县' });
      unknownDistrict(
        (
          await api
            .post('/routing-rules', w.admin.auth, {
              priority: 10,
              district: '安吉',
              leadDepartmentId: w.other.id,
              autoDispatch: false,
            })
            .expect(400)
        ).body,
      );
      // an appeal filed with the name is stored with the code, so the rule (stored by code) matches it
      const filed = await api
        .post('/appeals', w.enterprise.auth, appealBody(w, { categoryCode: cat.code, district: '安吉县' }))
        .expect(201);
      expect(filed.body.district).toBe('330523');
      const routed = await waitFor(async () => {
        const a = (await api.get(`/appeals/${filed.body.id}`, w.dispatcher.auth).expect(200)).body;
        return a.routedAt ? a : undefined;
      }, 'routing');
      const suggested = routed.suggestedRouting;
      expect(suggested).toMatchObject({ ruleId: rule.body.id, leadDepartmentId: w.other.id });
    });

    it('an appeal filed by name or by code stores the code; without one it takes its enterprise’s', async () => {
      const { api, w } = s;
      const byName = await api
        .post('/appeals', w.enterprise.auth, appealBody(w, { district: '吴兴区' }))
        .expect(201);
      const byCode = await api
        .post('/appeals', w.enterprise.auth, appealBody(w, { district: '330502' }))
        .expect(201);
      expect([byName.body.district, byCode.body.district]).toEqual(['330502', '330502']);
      const ent = await w.f.enterprise({ district: '330503' });
      const own = await api
        .post('/appeals', w.dispatcher.auth, appealBody(w, { enterpriseId: ent.id, channel: 'hotline' }))
        .expect(201);
      expect(own.body.district).toBe('330503');
    });

    it('an appeal with an unknown district is 400 naming the field, takes no number and writes nothing', async () => {
      const { api, w } = s;
      const before = await s.t.db.query(`SELECT count(*)::int AS n FROM appeals`);
      const res = await api
        .post('/appeals', w.enterprise.auth, appealBody(w, { district: '杭州市西湖区' }))
        .expect(400);
      unknownDistrict(res.body);
      expect(await s.t.db.query(`SELECT count(*)::int AS n FROM appeals`)).toEqual(before);
    });

    it('the appeal list filters by a district code or its exact name', async () => {
      const { api, w } = s;
      const filed = await api
        .post('/appeals', w.enterprise.auth, appealBody(w, { district: '德清县' }))
        .expect(201);
      for (const d of ['330521', encodeURIComponent('德清县')]) {
        const ids = (
          await api.get(`/appeals?district=${d}&limit=100`, w.dispatcher.auth).expect(200)
        ).body.items.map((a: { id: string }) => a.id);
        expect(ids).toContain(filed.body.id);
      }
    });
  });

  describe('reports filter by code or by name and answer with the name', () => {
    // this block's appeals, in a category of their own: 南浔区 filed by name and by code, 德清县 once
    let cat = '';
    beforeAll(async () => {
      const { api, w } = s;
      cat = (await w.f.category()).code;
      for (const district of ['南浔区', '330503', '德清县']) {
        const filed = await api
          .post('/appeals', w.enterprise.auth, appealBody(w, { categoryCode: cat, district }))
          .expect(201);
        await api
          .post(`/appeals/${filed.body.id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: w.lead.id })
          .expect(200);
      }
    });

    it('summary, trend, departments and categories: the same figures by code and by name', async () => {
      const { api, w } = s;
      for (const report of ['summary', 'trend', 'departments', 'categories']) {
        const q = `${PERIOD}&${report === 'departments' ? '' : `categoryCode=${cat}&`}`;
        const byCode = (
          await api.get(`/reports/${report}?${q}district=330503`, w.supervisor.auth).expect(200)
        ).body;
        const byName = (
          await api.get(`/reports/${report}?${q}district=${NANXUN}`, w.supervisor.auth).expect(200)
        ).body;
        expect(byCode.filters).toMatchObject({ district: '330503', districtName: '南浔区' });
        expect(figures(byName)).toEqual(figures(byCode));
        const received =
          report === 'summary'
            ? byCode.received
            : (byCode.items as { received: number }[]).reduce((n, i) => n + i.received, 0);
        // the ranking takes no category filter: it counts dispatched appeals, this block's only
        expect([report, received]).toEqual([report, 2]);
      }
      const dq = (
        await api.get(`/reports/summary?categoryCode=${cat}&district=330521`, w.dispatcher.auth).expect(200)
      ).body;
      expect(dq).toMatchObject({ received: 1, filters: { district: '330521', districtName: '德清县' } });
      const none = (await api.get('/reports/summary', w.supervisor.auth).expect(200)).body;
      expect(none.filters).toMatchObject({ district: null, districtName: null });
    });

    it('the meetings report by code or name answers the district name beside the code, in JSON and CSV', async () => {
      const { api, w } = s;
      const byCode = (
        await api.get(`/reports/meetings?${PERIOD}&district=330522`, w.supervisor.auth).expect(200)
      ).body;
      const byName = (
        await api
          .get(`/reports/meetings?${PERIOD}&district=${encodeURIComponent('长兴县')}`, w.supervisor.auth)
          .expect(200)
      ).body;
      expect(figures(byName)).toEqual(figures(byCode));
      expect(byCode.filters).toEqual({ district: '330522', districtName: '长兴县', leaderLed: null });
      expect(byCode.items).toEqual([expect.objectContaining({ district: '330522', districtName: '长兴县' })]);
      const csv = await api
        .get('/reports/meetings?district=330522&format=csv', w.supervisor.auth)
        .expect(200);
      const [header, row] = csv.text.replace(/^\uFEFF/, '').split('\r\n');
      expect(header).toContain('区县 districtName,区县代码 district');
      expect(row).toContain(',长兴县,330522,');
    });

    it('an unknown district is 400 naming the field, on every report', async () => {
      const { api, w } = s;
      for (const report of ['summary', 'trend', 'departments', 'categories', 'meetings'])
        unknownDistrict(
          (
            await api
              .get(`/reports/${report}?district=${encodeURIComponent('南浔')}`, w.supervisor.auth)
              .expect(400)
          ).body,
        );
    });
  });
});
