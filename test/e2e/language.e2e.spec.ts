import { appealBody, appealSuite } from '../setup/appeal-helpers';

/** SPEC §5.1 Language, "Text must say something", "An unsatisfied rating says why". */
describe('messages people can read (e2e)', () => {
  const suite = appealSuite();
  const CHINESE = /[\u4e00-\u9fff]/;

  const post = (path: string, auth: string, body: object, lang?: string) => {
    const req = suite.t.http().post(`/api/v1${path}`).set('Authorization', auth);
    return (lang ? req.set('Accept-Language', lang) : req).send(body);
  };
  const get = (path: string, auth: string, lang?: string) => {
    const req = suite.t.http().get(`/api/v1${path}`).set('Authorization', auth);
    return lang ? req.set('Accept-Language', lang) : req;
  };

  /** An appeal filed, dispatched, acknowledged and answered: waiting for its return visit. */
  async function replied(): Promise<string> {
    const { w, api } = suite;
    const id = (await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201)).body.id as string;
    await api.post(`/appeals/${id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: w.lead.id }).expect(200);
    await api.post(`/appeals/${id}/acknowledge`, w.leadHandler.auth).expect(200);
    await api
      .post(`/appeals/${id}/reply`, w.leadHandler.auth, {
        content: '已协调银行加快审批',
        outcome: 'resolved',
      })
      .expect(200);
    return id;
  }

  it('a missing title and a blank content: one entry each, in Chinese by default and English on request', async () => {
    const { w } = suite;
    const body = { ...appealBody(w), title: undefined, content: '   ' };
    const zh = await post('/appeals', w.enterprise.auth, body).expect(400);
    expect(zh.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: '提交的内容有误',
      details: [
        { field: 'title', message: 'title 不能为空' },
        { field: 'content', message: 'content 不能为空白' },
      ],
    });
    const en = await post('/appeals', w.enterprise.auth, body, 'en').expect(400);
    expect(en.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'validation failed',
      details: [
        { field: 'title', message: 'title is required' },
        { field: 'content', message: 'content must not be blank' },
      ],
    });
    expect(en.headers.vary).toMatch(/Accept-Language/);
  });

  it('?limit=abc is one entry for limit, saying the whole rule', async () => {
    const { w } = suite;
    const zh = await get('/appeals?limit=abc', w.dispatcher.auth).expect(400);
    expect(zh.body.details).toEqual([{ field: 'limit', message: 'limit 必须是 1 到 100 之间的整数' }]);
    const en = await get('/appeals?limit=abc', w.dispatcher.auth, 'en-GB,en;q=0.9').expect(400);
    expect(en.body.details).toEqual([{ field: 'limit', message: 'limit must be an integer from 1 to 100' }]);
    const over = await get('/appeals?limit=500', w.dispatcher.auth).expect(400);
    expect(over.body.details).toEqual([{ field: 'limit', message: 'limit 不能大于 100' }]);
  });

  it('Accept-Language picks English only when English is the best match', async () => {
    const { w } = suite;
    for (const [header, english] of [
      ['zh-CN,zh;q=0.9,en;q=0.8', false],
      ['fr, en;q=0.5', true],
      ['zh;q=0.3, en;q=0.7', true],
      ['de', false],
    ] as const) {
      const res = await get('/appeals?limit=abc', w.dispatcher.auth, header).expect(400);
      expect(res.body.message).toBe(english ? 'validation failed' : '提交的内容有误');
    }
  });

  it('an unknown field and a wrong type: every message in Chinese', async () => {
    const { w } = suite;
    const res = await post('/appeals', w.enterprise.auth, {
      ...appealBody(w),
      urgency: 3,
      colour: 'red',
    }).expect(400);
    expect(res.body.details).toEqual(
      expect.arrayContaining([
        { field: 'colour', message: '不允许的字段 colour' },
        { field: 'urgency', message: expect.stringMatching(/^urgency 必须是以下值之一/) },
      ]),
    );
    for (const d of res.body.details) expect(d.message).toMatch(CHINESE);
  });

  it('a malformed id in a path is 400 VALIDATION_FAILED naming the parameter', async () => {
    const { w } = suite;
    const res = await get('/appeals/not-a-uuid', w.dispatcher.auth).expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: '提交的内容有误',
      details: [{ field: 'id', message: 'id 必须是 UUID' }],
    });
    const sid = await post('/supervisions/nope/close', w.supervisor.auth, {}, 'en').expect(400);
    expect(sid.body.details).toEqual([{ field: 'sid', message: 'sid must be a UUID' }]);
  });

  it('a 409 says in words what cannot be done in which status, in both languages', async () => {
    const { w } = suite;
    const id = await replied();
    const unhappy = { satisfaction: 'unsatisfied', resolved: false, comment: '贷款仍未放款' };
    await post(`/appeals/${id}/survey`, w.enterprise.auth, unhappy).expect(200);
    // reopened: in progress again, so another rating now is refused
    const zh = await post(`/appeals/${id}/survey`, w.enterprise.auth, unhappy).expect(409);
    expect(zh.body).toEqual({
      statusCode: 409,
      code: 'INVALID_TRANSITION',
      message: '该诉求正在办理中，不能评价',
    });
    const en = await post(`/appeals/${id}/survey`, w.enterprise.auth, unhappy, 'en').expect(409);
    expect(en.body.message).toBe('the appeal is being handled; it cannot be rated now');
    expect(en.body.message).not.toMatch(/survey_close|in_progress/);
  });

  it('a 403 and a 404 are Chinese too', async () => {
    const { w } = suite;
    const id = await replied();
    const forbidden = await post(`/appeals/${id}/survey`, w.leadHandler.auth, {
      satisfaction: 'satisfied',
      resolved: true,
    }).expect(403);
    expect(forbidden.body.message).toMatch(CHINESE);
    const missing = await get('/appeals/00000000-0000-4000-8000-000000000000', w.dispatcher.auth).expect(404);
    expect(missing.body.message).toBe('找不到该诉求');
    const missingEn = await get('/appeals/00000000-0000-4000-8000-000000000000', w.dispatcher.auth, 'en');
    expect(missingEn.body.message).toBe('appeal not found');
  });

  it('texts must say something: whitespace-only reasons, notes, titles and answers are 400 naming the field', async () => {
    const { w, api } = suite;
    const blank = ' \u3000\t ';
    const filed = await post('/appeals', w.enterprise.auth, { ...appealBody(w), title: blank }).expect(400);
    expect(filed.body.details).toEqual([{ field: 'title', message: 'title 不能为空白' }]);

    const id = (await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201)).body.id as string;
    const rejected = await post(`/appeals/${id}/reject`, w.dispatcher.auth, { reason: blank }, 'en').expect(
      400,
    );
    expect(rejected.body.details).toEqual([{ field: 'reason', message: 'reason must not be blank' }]);
    const dispatch = await post(`/appeals/${id}/dispatch`, w.dispatcher.auth, {
      leadDepartmentId: w.lead.id,
      note: '  ',
    }).expect(400);
    expect(dispatch.body.details).toEqual([{ field: 'note', message: 'note 不能为空白' }]);
    await post(`/appeals/${id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: w.lead.id }).expect(200);
    await post(`/appeals/${id}/acknowledge`, w.leadHandler.auth, {}).expect(200);
    const progress = await post(`/appeals/${id}/progress`, w.leadHandler.auth, { note: blank }).expect(400);
    expect(progress.body.details).toEqual([{ field: 'note', message: 'note 不能为空白' }]);
    const reply = await post(`/appeals/${id}/reply`, w.leadHandler.auth, {
      content: '\n',
      outcome: 'resolved',
    }).expect(400);
    expect(reply.body.details).toEqual([{ field: 'content', message: 'content 不能为空白' }]);
    // nothing of it was written
    const appeal = await get(`/appeals/${id}`, w.dispatcher.auth).expect(200);
    expect(appeal.body.status).toBe('in_progress');
  });

  it('names must say something too: blank department, category, policy, user, contact and leader names are 400', async () => {
    const { w } = suite;
    const blank = ' \u3000 ';
    const refused = async (path: string, auth: string, body: object, field: string) => {
      const res = await post(path, auth, body).expect(400);
      expect(res.body.details).toEqual([{ field, message: `${field} 不能为空白` }]);
    };
    await refused('/departments', w.admin.auth, { code: 'BLANK1', name: blank }, 'name');
    await refused('/categories', w.admin.auth, { code: 'BLANK1', name: blank }, 'name');
    await refused(
      '/sla-policies',
      w.admin.auth,
      { name: blank, clock: 'working', ackWithin: 'PT4H', replyWithin: 'P5D' },
      'name',
    );
    await refused(
      '/users',
      w.admin.auth,
      { username: 'blank-name', password: 'a-long-password', role: 'dispatcher', displayName: blank },
      'displayName',
    );
    await refused('/appeals', w.enterprise.auth, { ...appealBody(w), contactName: blank }, 'contactName');
    const id = (await suite.api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201)).body
      .id as string;
    await refused(
      `/appeals/${id}/leader`,
      w.supervisor.auth,
      { leaderName: blank, instruction: '请牵头协调' },
      'leaderName',
    );
  });

  it('an unsatisfied or unresolved rating needs a non-blank comment; a content one does not', async () => {
    const { w } = suite;
    const id = await replied();
    for (const body of [
      { satisfaction: 'unsatisfied', resolved: false },
      { satisfaction: 'unsatisfied', resolved: true },
      { satisfaction: 'basically_satisfied', resolved: false },
      { satisfaction: 'unsatisfied', resolved: false, comment: '  ' },
    ]) {
      const res = await post(`/appeals/${id}/survey`, w.enterprise.auth, body).expect(400);
      expect(res.body.details).toHaveLength(1);
      expect(res.body.details[0].field).toBe('comment');
      expect(res.body.details[0].message).toMatch(CHINESE);
    }
    const en = await post(
      `/appeals/${id}/survey`,
      w.enterprise.auth,
      { satisfaction: 'unsatisfied', resolved: false },
      'en',
    ).expect(400);
    expect(en.body.details).toEqual([
      { field: 'comment', message: 'comment (why the rating is unsatisfied or unresolved) is required' },
    ]);
    const still = await get(`/appeals/${id}`, w.enterprise.auth).expect(200);
    expect(still.body.status).toBe('replied');
    const rated = await post(`/appeals/${id}/survey`, w.enterprise.auth, {
      satisfaction: 'satisfied',
      resolved: true,
    }).expect(200);
    expect(rated.body.status).toBe('closed');
  });
});
