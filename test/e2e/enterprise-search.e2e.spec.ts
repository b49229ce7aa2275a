import { appealBody, appealSuite } from '../setup/appeal-helpers';
import { makeUscc } from '../setup/factories';

/**
 * SPEC §5.1 "Finding things" for enterprises: a dispatcher taking a call finds the caller's enterprise by
 * a part of its name, its USCC (whole or its beginning) or the contact phone, or registers it
 * (POST /enterprises, no account) and files for it; a USCC already registered is 409 naming the
 * enterprise. The centre and supervisors search; enterprises and handlers get 403.
 */
describe('finding and registering an enterprise (e2e)', () => {
  const s = appealSuite();
  const body = (extra: Record<string, unknown> = {}) => ({
    name: '湖州南太湖智能装备有限公司',
    uscc: makeUscc(),
    contactName: '沈建国',
    contactPhone: '139-0572-1001',
    district: '吴兴区',
    industry: '智能装备制造',
    ...extra,
  });
  let nantaihu: { id: string; uscc: string };
  let muye: { id: string; uscc: string };

  const search = async (q: string, auth = s.w.dispatcher.auth) =>
    (await s.api.get(`/enterprises?q=${encodeURIComponent(q)}`, auth).expect(200)).body as {
      items: { id: string; name: string; district: string | null; districtName: string | null }[];
      nextCursor: string | null;
    };
  const ids = (page: { items: { id: string }[] }) => page.items.map((i) => i.id).sort();

  describe('POST /enterprises (dispatcher)', () => {
    it('registers a caller’s enterprise without an account: 201, district stored as its code', async () => {
      const { api, w } = s;
      const b = body();
      const res = await api.post('/enterprises', w.dispatcher.auth, b).expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        name: b.name,
        uscc: b.uscc,
        district: '330502',
        districtName: '吴兴区',
        industry: '智能装备制造',
        contactName: '沈建国',
        contactPhone: '139-0572-1001',
        createdAt: expect.any(String),
      });
      nantaihu = res.body;
      const accounts = await s.t.db.query(`SELECT count(*)::int AS n FROM users WHERE enterprise_id = $1`, [
        res.body.id,
      ]);
      expect(accounts[0].n).toBe(0);
      const other = await api
        .post('/enterprises', w.dispatcher.auth, {
          name: '湖州南浔华丰木业有限公司',
          uscc: makeUscc().toLowerCase(),
          contactName: '钱慧芳',
          contactPhone: '13867221002',
        })
        .expect(201);
      expect(other.body).toMatchObject({ district: null, districtName: null, industry: null });
      expect(other.body.uscc).toBe(other.body.uscc.toUpperCase());
      muye = other.body;
    });

    it('a taken USCC is 409 naming the registered enterprise, and the dispatcher files for it', async () => {
      const { api, w } = s;
      const again = await api
        .post('/enterprises', w.dispatcher.auth, body({ uscc: nantaihu.uscc, name: '另一个名字有限公司' }))
        .expect(409);
      expect(again.body).toMatchObject({
        statusCode: 409,
        code: 'CONFLICT',
        details: { field: 'uscc', enterpriseId: nantaihu.id, enterpriseName: '湖州南太湖智能装备有限公司' },
      });
      const n = await s.t.db.query(`SELECT count(*)::int AS n FROM enterprises WHERE uscc = $1`, [
        nantaihu.uscc,
      ]);
      expect(n[0].n).toBe(1);
      const filed = await api
        .post(
          '/appeals',
          w.dispatcher.auth,
          appealBody(w, { enterpriseId: again.body.details.enterpriseId, channel: 'hotline' }),
        )
        .expect(201);
      // contacts and district default from the enterprise record
      expect(filed.body).toMatchObject({
        enterpriseId: nantaihu.id,
        district: '330502',
        contactName: '沈建国',
        contactPhone: '139-0572-1001',
      });
    });

    it('two dispatchers registering one USCC at once: one 201, one 409 with the id', async () => {
      const { w } = s;
      const uscc = makeUscc();
      const results = await Promise.all(
        [0, 1].map(() =>
          s.t
            .http()
            .post('/api/v1/enterprises')
            .set('Authorization', w.dispatcher.auth)
            .send(body({ uscc, name: '湖州并发测试有限公司', contactPhone: '0572-2000001' })),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      const created = results.find((r) => r.status === 201)!;
      expect(results.find((r) => r.status === 409)!.body.details.enterpriseId).toBe(created.body.id);
    });

    it('400 for a bad USCC, phone, unknown district, blank name or an unknown field; 403 for other roles', async () => {
      const { api, w } = s;
      const bad = async (extra: Record<string, unknown>, field: string) => {
        const res = await api.post('/enterprises', w.dispatcher.auth, body(extra)).expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      };
      const uscc = makeUscc();
      await bad({ uscc: uscc.slice(0, 17) + (uscc[17] === '0' ? '1' : '0') }, 'uscc');
      await bad({ contactPhone: 'call me' }, 'contactPhone');
      await bad({ district: '西湖区' }, 'district');
      await bad({ name: '   ' }, 'name');
      await bad({ username: 'x' }, 'username');
      for (const auth of [w.supervisor.auth, w.admin.auth, w.leadHandler.auth, w.enterprise.auth])
        await api.post('/enterprises', auth, body()).expect(403);
    });
  });

  describe('GET /enterprises?q=', () => {
    it('finds by a part of the Chinese name, with the district name beside its code', async () => {
      const found = await search('南太湖');
      expect(ids(found)).toEqual([nantaihu.id]);
      expect(found.items[0]).toMatchObject({ district: '330502', districtName: '吴兴区' });
      expect(ids(await search('木业'))).toEqual([muye.id]);
      expect(ids(await search('湖州南'))).toEqual([nantaihu.id, muye.id].sort());
      expect((await search('不存在的企业')).items).toEqual([]);
      // LIKE wildcards are text, not patterns
      expect((await search('%')).items).toEqual([]);
    });

    it('finds by the USCC, whole or its beginning, typed in lower case or with spaces', async () => {
      expect(ids(await search(nantaihu.uscc))).toEqual([nantaihu.id]);
      expect(ids(await search(nantaihu.uscc.toLowerCase()))).toEqual([nantaihu.id]);
      const spaced = `${nantaihu.uscc.slice(0, 8)} ${nantaihu.uscc.slice(8, 14)}`;
      expect(ids(await search(spaced))).toContain(nantaihu.id);
      expect(ids(await search(spaced))).not.toContain(muye.id);
    });

    it('finds by the contact phone, whole or its beginning, with or without separators', async () => {
      expect(ids(await search('13905721001'))).toEqual([nantaihu.id]);
      expect(ids(await search('139 0572 1001'))).toEqual([nantaihu.id]);
      expect(ids(await search('1386722'))).toEqual([muye.id]);
    });

    it('pages as SPEC §5 lists: limit and an opaque cursor, every match once', async () => {
      const { api, w } = s;
      for (let i = 0; i < 5; i++) await w.f.enterprise({ name: `湖州分页测试${i}有限公司` });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { name: string }[]; nextCursor: string | null } = (
          await api
            .get(
              `/enterprises?q=${encodeURIComponent('分页测试')}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
              w.supervisor.auth,
            )
            .expect(200)
        ).body;
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((e) => e.name));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual([0, 1, 2, 3, 4].map((i) => `湖州分页测试${i}有限公司`));
    });

    it('the centre and supervisors search; enterprises and handlers get 403; a blank q is 400', async () => {
      const { api, w } = s;
      for (const auth of [w.dispatcher.auth, w.supervisor.auth, w.admin.auth])
        expect(ids(await search('南太湖', auth))).toEqual([nantaihu.id]);
      await api.get('/enterprises?q=%E5%8D%97', w.enterprise.auth).expect(403);
      await api.get('/enterprises?q=%E5%8D%97', w.leadHandler.auth).expect(403);
      const blank = await api.get('/enterprises?q=%20%20', w.dispatcher.auth).expect(400);
      expect(blank.body.details).toEqual([{ field: 'q', message: expect.any(String) }]);
    });

    it('the search uses the indexes: the trigram index for a name, the pattern index for a USCC prefix', async () => {
      const plan = async (where: string, param: string) =>
        JSON.stringify(
          await s.t.db.transaction(async (m) => {
            await m.query('SET LOCAL enable_seqscan = off');
            return m.query(`EXPLAIN (FORMAT JSON) SELECT id FROM enterprises e WHERE ${where}`, [param]);
          }),
        );
      expect(await plan(`e.name ILIKE $1`, '%南太湖智能%')).toContain('ix_enterprises_name_trgm');
      expect(await plan(`e.uscc LIKE $1`, `${nantaihu.uscc.slice(0, 10)}%`)).toContain(
        'ix_enterprises_uscc_prefix',
      );
      expect(await plan(`regexp_replace(e.contact_phone, '[^0-9]', '', 'g') LIKE $1`, '1390572%')).toContain(
        'ix_enterprises_phone_digits',
      );
    });
  });

  it('registration answers the district name beside its code', async () => {
    const res = await s.t
      .http()
      .post('/api/v1/enterprises/register')
      .send({
        ...body({ district: '330523', name: '安吉白茶合作社有限公司', contactPhone: '0572-2000002' }),
        username: `ent_${Math.random().toString(36).slice(2, 10)}`,
        password: 'enterprise-pass-1',
      })
      .expect(201);
    expect(res.body.enterprise).toMatchObject({ district: '330523', districtName: '安吉县' });
    const own = await s.api.get(`/enterprises/${res.body.enterprise.id}`, s.w.admin.auth).expect(200);
    expect(own.body).toMatchObject({ district: '330523', districtName: '安吉县' });
  });
});
