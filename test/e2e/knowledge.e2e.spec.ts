import { FakeClock } from '../../src/common/clock';
import { appealBody, appealSuite } from '../setup/appeal-helpers';
import { waitFor } from '../setup/wait';

/**
 * SPEC §10 end to end: the knowledge base's rules (fields, who may do what, versions, the published version
 * answering while its edit is reviewed, withdrawal, expiry, stale and confirm, every change an event),
 * search (ranking, a typo of the same sound, enterprises finding only public entries), suggestions on a
 * new appeal, answers on the spot citing entries, and the figures 直办率 and knowledge cited share checked
 * against counts from the raw rows.
 */
describe('knowledge base and direct handling (e2e)', () => {
  const clock = new FakeClock(new Date());
  const s = appealSuite({ clock });
  let leaf: string;
  let parent: string;
  const ids: Record<string, string> = {};

  const patch = (path: string, auth: string, body: object) =>
    s.t.http().patch(`/api/v1${path}`).set('Authorization', auth).send(body);

  const entry = (extra: Record<string, unknown> = {}) => ({
    categoryCode: leaf,
    title: '小微企业首贷如何申请',
    question: '第一次向银行申请贷款需要准备什么？',
    answer: '首次贷款可向合作银行提交营业执照、近一年财务报表和纳税证明，首贷服务中心提供一站式对接。',
    kind: 'service_guide',
    keywords: ['首贷', '首次贷款', '融资'],
    policyRef: '金融支持小微企业十条',
    public: true,
    ...extra,
  });

  /** Drafted by the lead department's handler, submitted, published by the dispatcher. */
  const published = async (body: Record<string, unknown>) => {
    const { api, w } = s;
    const created = await api.post('/knowledge', w.leadHandler.auth, entry(body)).expect(201);
    await api.post(`/knowledge/${created.body.id}/submit`, w.leadHandler.auth).expect(200);
    await api.post(`/knowledge/${created.body.id}/publish`, w.dispatcher.auth).expect(200);
    return created.body.id as string;
  };

  beforeAll(async () => {
    parent = (await s.w.f.category({ name: '金融服务' })).code;
    leaf = (await s.w.f.category({ name: '融资贷款', parentCode: parent, defaultDepartmentId: s.w.lead.id }))
      .code;
  });

  it('a handler drafts for its department; the fields follow SPEC §10', async () => {
    const { api, w } = s;
    const r = await api.post('/knowledge', w.leadHandler.auth, entry()).expect(201);
    expect(r.body).toMatchObject({
      status: 'draft',
      version: 1,
      latestVersion: 1,
      publishedVersion: null,
      sourceDepartmentId: w.lead.id,
      sourceDepartmentName: w.lead.name,
      categoryName: '融资贷款',
      keywords: ['首贷', '首次贷款', '融资'],
      stale: false,
    });
    ids.first = r.body.id;

    const bad = async (body: Record<string, unknown>, status: number, field: string) => {
      const res = await api.post('/knowledge', w.leadHandler.auth, entry(body)).expect(status);
      expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    };
    await bad({ title: '贷'.repeat(129) }, 400, 'title');
    await bad({ title: '另一个标题', keywords: ['另一个标题'] }, 400, 'keywords');
    await bad({ title: '另一个标题', keywords: ['贷'.repeat(21)] }, 400, 'keywords');
    await bad({ title: '另一个标题', categoryCode: parent }, 400, 'categoryCode');
    // unique among live entries, whatever the spaces and width
    await bad({ title: ' 小微企业首贷如何申请 ' }, 409, 'title');
    // enterprises and supervisors draft nothing
    await api.post('/knowledge', w.enterprise.auth, entry({ title: '企业自拟' })).expect(403);
    await api.post('/knowledge', w.supervisor.auth, entry({ title: '督查自拟' })).expect(403);
  });

  it('a draft is its department’s: another department and enterprises get 404', async () => {
    const { api, w } = s;
    await api.get(`/knowledge/${ids.first}`, w.otherHandler.auth).expect(404);
    await api.get(`/knowledge/${ids.first}`, w.enterprise.auth).expect(404);
    await api.get(`/knowledge/${ids.first}`, w.supervisor.auth).expect(200);
    await patch(`/knowledge/${ids.first}`, w.otherHandler.auth, { answer: '改' }).expect(404);
  });

  it('submit → reject {reason} → edit in place → submit → publish; only a dispatcher reviews', async () => {
    const { api, w } = s;
    const id = ids.first;
    expect((await api.post(`/knowledge/${id}/submit`, w.leadHandler.auth).expect(200)).body.status).toBe(
      'pending_review',
    );
    // under review: no edit, no second submit, no publishing by its own department
    await patch(`/knowledge/${id}`, w.leadHandler.auth, { answer: '改一下' }).expect(409);
    await api.post(`/knowledge/${id}/submit`, w.leadHandler.auth).expect(409);
    await api.post(`/knowledge/${id}/publish`, w.leadHandler.auth).expect(403);
    await api.post(`/knowledge/${id}/reject`, w.dispatcher.auth, {}).expect(400);
    const rejected = await api
      .post(`/knowledge/${id}/reject`, w.dispatcher.auth, { reason: '请补充办理时限' })
      .expect(200);
    expect(rejected.body).toMatchObject({ status: 'draft', version: 1, rejectReason: '请补充办理时限' });
    const edited = await patch(`/knowledge/${id}`, w.leadHandler.auth, {
      answer: '首次贷款可向合作银行提交营业执照、近一年财务报表和纳税证明，银行在5个工作日内答复。',
    }).expect(200);
    expect(edited.body).toMatchObject({ version: 1, latestVersion: 1, rejectReason: null });
    await api.post(`/knowledge/${id}/submit`, w.leadHandler.auth).expect(200);
    const before = clock.now();
    const pub = await api.post(`/knowledge/${id}/publish`, w.dispatcher.auth).expect(200);
    expect(pub.body).toMatchObject({ status: 'published', version: 1, publishedVersion: 1, stale: false });
    // reviewed again six months after publication (SPEC §10 default)
    const due = new Date(pub.body.reviewDueAt);
    const months =
      (due.getUTCFullYear() - before.getUTCFullYear()) * 12 + due.getUTCMonth() - before.getUTCMonth();
    expect(months).toBeGreaterThanOrEqual(5);
    expect(months).toBeLessThanOrEqual(6);
    expect(due.getTime()).toBeGreaterThan(before.getTime() + 180 * 86_400_000);
  });

  it('editing a published entry drafts version 2 while version 1 keeps answering; every version stays readable', async () => {
    const { api, w } = s;
    const id = ids.first;
    const v2 = await patch(`/knowledge/${id}`, w.leadHandler.auth, {
      answer: '自2026年起首贷实行白名单推送，企业可在线申请，银行3个工作日内对接。',
    }).expect(200);
    expect(v2.body).toMatchObject({ status: 'published', version: 1, latestVersion: 2 });
    expect(v2.body.draft).toMatchObject({ version: 2, status: 'draft' });
    await api.post(`/knowledge/${id}/submit`, w.leadHandler.auth).expect(200);

    // while version 2 is reviewed, everyone reads and finds version 1
    const seen = await api.get(`/knowledge/${id}`, w.enterprise.auth).expect(200);
    expect(seen.body).toMatchObject({ status: 'published', version: 1, latestVersion: 1, draft: null });
    expect(seen.body.answer).toContain('5个工作日');
    const old = await api
      .get(`/knowledge/search?q=${encodeURIComponent('财务报表')}`, w.enterprise.auth)
      .expect(200);
    expect(old.body.items.map((h: { id: string }) => h.id)).toContain(id);
    const fresh = await api
      .get(`/knowledge/search?q=${encodeURIComponent('白名单推送')}`, w.dispatcher.auth)
      .expect(200);
    expect(fresh.body.items).toEqual([]);
    // the dispatcher sees the version under review beside the one in force
    const desk = await api.get(`/knowledge/${id}`, w.dispatcher.auth).expect(200);
    expect(desk.body.draft).toMatchObject({ version: 2, status: 'pending_review' });
    // a version cited now is the one in force
    expect(desk.body.version).toBe(1);

    await api.post(`/knowledge/${id}/publish`, w.dispatcher.auth).expect(200);
    const now = await api
      .get(`/knowledge/search?q=${encodeURIComponent('白名单推送')}`, w.dispatcher.auth)
      .expect(200);
    expect(now.body.items.map((h: { id: string; version: number }) => [h.id, h.version])).toEqual([[id, 2]]);
    const versions = await api.get(`/knowledge/${id}/versions`, w.leadHandler.auth).expect(200);
    expect(
      versions.body.items.map((v: { version: number; status: string }) => [v.version, v.status]),
    ).toEqual([
      [2, 'published'],
      [1, 'superseded'],
    ]);
    expect(versions.body.items[1].answer).toContain('5个工作日');
    // every change is an event, in order
    expect(versions.body.events.map((e: { action: string }) => e.action)).toEqual([
      'knowledge.created',
      'knowledge.submitted',
      'knowledge.rejected',
      'knowledge.edited',
      'knowledge.submitted',
      'knowledge.published',
      'knowledge.edited',
      'knowledge.submitted',
      'knowledge.published',
    ]);
    await api.get(`/knowledge/${id}/versions`, w.enterprise.auth).expect(403);
    // the event log refuses to be rewritten
    await expect(s.t.db.query(`UPDATE knowledge_events SET action = 'x'`)).rejects.toThrow(/append-only/);
  });

  it('search: best first, a typo of the same sound in a 2-character word, enterprises only public entries', async () => {
    const { api, w } = s;
    ids.refund = await published({
      title: '增值税留抵退税政策解读',
      question: '哪些企业可以申请增量留抵退税？',
      answer: '符合条件的小微企业可以按月向主管税务机关申请退还增量留抵税额，纳税信用等级须为A级或B级。',
      keywords: ['留抵退税', '增值税'],
      kind: 'law_regulation',
    });
    ids.jobs = await published({
      title: '稳岗返还申领指南',
      question: '稳岗返还怎么领？',
      answer:
        '上年度未裁员或裁员率不高于城镇调查失业率控制目标的参保企业，可申领稳岗返还，无需申请，系统自动发放。',
      keywords: ['稳岗返还', '失业保险'],
      kind: 'hot_qa',
      public: false,
    });
    ids.mention = await published({
      title: '银行贷款常见问题',
      question: '贷款被拒怎么办？',
      answer: '可以先了解首贷条件，也可向担保机构咨询，或申请政府性融资担保。',
      keywords: ['贷款'],
      kind: 'daily_consultation',
    });
    const search = async (q: string, auth = w.dispatcher.auth, extra = '') =>
      (await api.get(`/knowledge/search?q=${encodeURIComponent(q)}${extra}`, auth).expect(200)).body
        .items as {
        id: string;
        title: string;
        score: number;
      }[];

    // the entry with the word in its title and keywords before the one with it in its answer
    const first = await search('首贷');
    expect(first.map((h) => h.id).slice(0, 2)).toEqual([ids.first, ids.mention]);
    expect(first[0].score).toBeGreaterThan(first[1].score);
    // 首代 (wrong character, same sound) still finds 首贷 first
    expect((await search('首代'))[0].id).toBe(ids.first);
    expect((await search('留底退税'))[0].id).toBe(ids.refund);
    // a question in the dispatcher's words
    expect((await search('请问我们公司怎么申请留抵退税'))[0].id).toBe(ids.refund);
    // filters
    expect((await search('首贷', w.dispatcher.auth, '&kind=daily_consultation')).map((h) => h.id)).toEqual([
      ids.mention,
    ]);
    expect(await search('首贷', w.dispatcher.auth, `&categoryCode=${s.w.category.code}`)).toEqual([]);
    expect((await search('首贷', w.dispatcher.auth, `&categoryCode=${parent}`)).length).toBeGreaterThan(0);
    // 稳岗返还 is not public: the centre and departments find it, an enterprise neither finds nor reads it
    expect((await search('稳岗返还'))[0].id).toBe(ids.jobs);
    expect((await search('稳岗返还', w.otherHandler.auth))[0].id).toBe(ids.jobs);
    expect((await search('稳岗返还', w.enterprise.auth)).map((h) => h.id)).not.toContain(ids.jobs);
    await api.get(`/knowledge/${ids.jobs}`, w.enterprise.auth).expect(404);
    const list = await api.get('/knowledge?limit=100', w.enterprise.auth).expect(200);
    expect(list.body.items.map((e: { id: string }) => e.id)).not.toContain(ids.jobs);
    expect(list.body.items.every((e: { public: boolean }) => e.public)).toBe(true);
  });

  it('a new appeal whose text matches an entry carries it in knowledgeSuggestions, for the centre only', async () => {
    const { api, w } = s;
    const filed = await api
      .post(
        '/appeals',
        w.enterprise.auth,
        appealBody(w, {
          categoryCode: leaf,
          title: '想了解留抵退税的申请条件',
          content: '我司是小微企业，想申请增值税留抵退税，请问需要什么条件。',
        }),
      )
      .expect(201);
    ids.appeal = filed.body.id;
    const routed = await waitFor(async () => {
      const a = (await api.get(`/appeals/${ids.appeal}`, w.dispatcher.auth).expect(200)).body;
      return a.routedAt ? a : undefined;
    }, 'routing');
    expect(routed.knowledgeSuggestions.length).toBeGreaterThan(0);
    expect(routed.knowledgeSuggestions.length).toBeLessThanOrEqual(3);
    expect(routed.knowledgeSuggestions[0]).toMatchObject({
      entryId: ids.refund,
      version: 1,
      title: '增值税留抵退税政策解读',
    });
    expect(
      (await api.get(`/appeals/${ids.appeal}`, w.enterprise.auth).expect(200)).body.knowledgeSuggestions,
    ).toEqual([]);
  });

  it('resolve cites published entries in force; a draft, a withdrawn or an unknown entry is 400', async () => {
    const { api, w } = s;
    const draft = await api
      .post('/knowledge', w.leadHandler.auth, entry({ title: '首贷续贷草稿' }))
      .expect(201);
    const id = ids.appeal;
    const resolve = (knowledgeEntryIds: string[]) =>
      api.post(`/appeals/${id}/resolve`, w.dispatcher.auth, {
        content: '已告知企业留抵退税的申请条件和办理渠道。',
        knowledgeEntryIds,
      });
    const r = await resolve([draft.body.id]).expect(400);
    expect(r.body.details).toEqual([expect.objectContaining({ field: 'knowledgeEntryIds' })]);
    await resolve(['00000000-0000-4000-8000-000000000000']).expect(400);
    // nothing was written by the refused answers
    expect((await api.get(`/appeals/${id}`, w.dispatcher.auth).expect(200)).body.status).toBe('submitted');
    const done = await resolve([ids.refund, ids.first]).expect(200);
    expect(done.body).toMatchObject({
      status: 'replied',
      resolvedOnSpot: true,
      knowledgeEntryIds: [ids.refund, ids.first],
    });
    const events = (await api.get(`/appeals/${id}/events`, w.dispatcher.auth).expect(200)).body.items;
    expect(events.at(-1).data.knowledgeEntries).toEqual([
      { id: ids.refund, version: 1, title: '增值税留抵退税政策解读' },
      { id: ids.first, version: 2, title: '小微企业首贷如何申请' },
    ]);
    // the enterprise reads the answer, not which entries it rested on
    expect((await api.get(`/appeals/${id}`, w.enterprise.auth).expect(200)).body.knowledgeEntryIds).toEqual(
      [],
    );
    // a second appeal answered on the spot without an entry, and a third cites a withdrawn one
    const second = await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201);
    await api
      .post(`/appeals/${second.body.id}/resolve`, w.dispatcher.auth, { content: '已电话答复。' })
      .expect(200);
    await api
      .post(`/knowledge/${ids.mention}/withdraw`, w.dispatcher.auth, { reason: '内容过时' })
      .expect(200);
    const third = await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201);
    await api
      .post(`/appeals/${third.body.id}/resolve`, w.dispatcher.auth, {
        content: '答复',
        knowledgeEntryIds: [ids.mention],
      })
      .expect(400);
    // withdrawn: out of search, its title free again
    const found = await api
      .get(`/knowledge/search?q=${encodeURIComponent('担保机构')}`, w.dispatcher.auth)
      .expect(200);
    expect(found.body.items.map((h: { id: string }) => h.id)).not.toContain(ids.mention);
    await api.post('/knowledge', w.leadHandler.auth, entry({ title: '银行贷款常见问题' })).expect(201);
  });

  it('directResolutionRate and knowledgeCitedShare equal counts from the raw rows; CSV carries them', async () => {
    const { api, w } = s;
    const from = new Date(clock.now().getTime() - 86_400_000).toISOString();
    const to = new Date(clock.now().getTime() + 3_600_000).toISOString();
    const period = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const [raw] = await s.t.db.query(
      `SELECT count(*) FILTER (WHERE status NOT IN ('rejected','withdrawn','merged'))::int AS valid,
              count(*) FILTER (WHERE resolved_on_spot)::int AS on_spot,
              count(*) FILTER (WHERE resolved_on_spot AND cardinality(knowledge_entry_ids) > 0)::int AS cited
         FROM appeals WHERE created_at >= $1 AND created_at < $2`,
      [from, to],
    );
    expect(raw.on_spot).toBe(2);
    expect(raw.cited).toBe(1);
    const summary = (await api.get(`/reports/summary?${period}`, w.supervisor.auth).expect(200)).body;
    expect(summary).toMatchObject({
      valid: raw.valid,
      resolvedOnSpot: raw.on_spot,
      directResolutionRate: raw.on_spot / raw.valid,
      knowledgeCitedShare: raw.cited / raw.on_spot,
    });
    const csv = await s.t
      .http()
      .get(`/api/v1/reports/summary?${period}&format=csv`)
      .set('Authorization', w.supervisor.auth)
      .expect(200);
    expect(csv.text).toContain('直办率 directResolutionRate');
    expect(csv.text).toContain('知识库引用占比 knowledgeCitedShare');
  });

  it('entries published and stale by source department; stale after reviewDueAt until confirmed or edited', async () => {
    const { api, w } = s;
    const counts = async () => {
      const rows = (await api.get('/reports/departments', w.supervisor.auth).expect(200)).body.items;
      const lead = rows.find((r: { departmentId: string }) => r.departmentId === w.lead.id);
      return [lead.knowledgeEntriesPublished, lead.knowledgeEntriesStale];
    };
    // first, refund, jobs in force (mention withdrawn; two drafts)
    expect(await counts()).toEqual([3, 0]);
    clock.advance(200 * 86_400_000);
    expect(await counts()).toEqual([3, 3]);
    const stale = await api.get('/knowledge?stale=true', w.leadHandler.auth).expect(200);
    expect(stale.body.items.map((e: { id: string }) => e.id).sort()).toEqual(
      [ids.first, ids.refund, ids.jobs].sort(),
    );
    // its department confirms one, edits another; a dispatcher may not confirm a department's entry
    await api.post(`/knowledge/${ids.refund}/confirm`, w.dispatcher.auth).expect(403);
    const confirmed = await api.post(`/knowledge/${ids.refund}/confirm`, w.leadHandler.auth).expect(200);
    expect(confirmed.body.stale).toBe(false);
    await patch(`/knowledge/${ids.jobs}`, w.leadHandler.auth, {
      answer: '2026年度稳岗返还已启动，系统自动发放。',
    }).expect(200);
    expect(await counts()).toEqual([3, 1]);
    const summary = (await api.get('/reports/summary', w.leadHandler.auth).expect(200)).body;
    expect(summary).toMatchObject({ knowledgeEntriesPublished: 3, knowledgeEntriesStale: 1 });
  });

  it('an entry expires at expiresAt: out of search and uncitable, shown as expired', async () => {
    const { api, w } = s;
    const id = await published({
      title: '用电报装容缺受理通知',
      answer: '低压小微企业用电报装实行容缺受理，三个工作日内装表接电。',
      keywords: ['用电报装'],
      kind: 'notice',
      expiresAt: new Date(clock.now().getTime() + 3_600_000).toISOString(),
    });
    expect(
      (await api.get(`/knowledge/search?q=${encodeURIComponent('用电报装')}`, w.dispatcher.auth).expect(200))
        .body.items[0].id,
    ).toBe(id);
    clock.advance(2 * 3_600_000);
    expect((await api.get(`/knowledge/${id}`, w.dispatcher.auth).expect(200)).body.status).toBe('expired');
    expect(
      (await api.get(`/knowledge/search?q=${encodeURIComponent('用电报装')}`, w.dispatcher.auth).expect(200))
        .body.items,
    ).toEqual([]);
    const a = await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201);
    await api
      .post(`/appeals/${a.body.id}/resolve`, w.dispatcher.auth, { content: '答复', knowledgeEntryIds: [id] })
      .expect(400);
    await api.get(`/knowledge/${id}`, w.enterprise.auth).expect(404);
  });
});
