import { appealBody, appealSuite } from '../setup/appeal-helpers';
import { TEST_ADMIN } from '../setup/test-app';

/** SPEC §5: malformed input is a 4xx, never a 500; CSV cells never run as spreadsheet formulas. */
describe('hardening (e2e)', () => {
  const suite = appealSuite();

  /** `{"a":{"a":…}}` `levels` deep, as raw JSON text (no recursion anywhere). */
  const nestedJson = (levels: number, leaf = '"x"') => '{"a":'.repeat(levels) + leaf + '}'.repeat(levels);
  /** POSTs raw JSON text, with the caller's token when given. */
  const postRaw = (path: string, json: string, auth?: string) => {
    const req = suite.t.http().post(`/api/v1${path}`).set('Content-Type', 'application/json');
    return (auth ? req.set('Authorization', auth) : req).send(json);
  };

  it('a body nested 20,000 levels deep is 400 on the public login route, and login still works', async () => {
    const { t } = suite;
    const res = await postRaw('/auth/login', nestedJson(20_000));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(res.body.details).toEqual([{ field: 'body', message: expect.stringContaining('32') }]);
    await t.http().post('/api/v1/auth/login').send(TEST_ADMIN).expect(200);
  });

  it('33 levels is refused and 32 reaches validation, on an authenticated body route', async () => {
    const { w, api } = suite;
    const deep = await postRaw('/appeals', nestedJson(33), w.enterprise.auth);
    expect(deep.status).toBe(400);
    expect(deep.body.details).toEqual([{ field: 'body', message: expect.any(String) }]);
    const atLimit = await postRaw('/appeals', nestedJson(32), w.enterprise.auth);
    // within the limit the body is validated as usual: an unknown field, not a depth error
    expect(atLimit.status).toBe(400);
    expect(atLimit.body.details).not.toEqual([{ field: 'body', message: expect.any(String) }]);
    await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201);
  });

  it('a department named like a formula is text in the ranking CSV', async () => {
    const { t, w, api } = suite;
    const name = '=HYPERLINK("http://evil.example","点击")';
    const dep = await api.post('/departments', w.admin.auth, { code: 'CSVX', name }).expect(201);
    const csv = await t
      .http()
      .get('/api/v1/reports/departments?format=csv')
      .set('Authorization', w.supervisor.auth)
      .expect(200);
    expect(dep.body.name).toBe(name);
    expect(csv.text).toContain(`"'=HYPERLINK(""http://evil.example"",""点击"")"`);
    expect(csv.text).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });
});
