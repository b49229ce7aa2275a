import { appealBody, client, world, World } from '../setup/appeal-helpers';
import { createTestApp, TEST_ADMIN, TestApp } from '../setup/test-app';

/** SPEC §5: malformed input is a 4xx, never a 500; CSV cells never run as spreadsheet formulas. */
describe('hardening (e2e)', () => {
  let t: TestApp;
  let w: World;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    t = await createTestApp();
    w = await world(t);
    api = client(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** `{"a":{"a":…}}` `levels` deep, as raw JSON text (no recursion anywhere). */
  const nestedJson = (levels: number, leaf = '"x"') => '{"a":'.repeat(levels) + leaf + '}'.repeat(levels);

  it('a body nested 20,000 levels deep is 400 on the public login route, and login still works', async () => {
    const res = await t
      .http()
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send(nestedJson(20_000));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(res.body.details).toEqual([{ field: 'body', message: expect.stringContaining('32') }]);
    await t.http().post('/api/v1/auth/login').send(TEST_ADMIN).expect(200);
  });

  it('33 levels is refused and 32 reaches validation, on an authenticated body route', async () => {
    const deep = await t
      .http()
      .post('/api/v1/appeals')
      .set('Authorization', w.enterprise.auth)
      .set('Content-Type', 'application/json')
      .send(nestedJson(33));
    expect(deep.status).toBe(400);
    expect(deep.body.details).toEqual([{ field: 'body', message: expect.any(String) }]);
    const atLimit = await t
      .http()
      .post('/api/v1/appeals')
      .set('Authorization', w.enterprise.auth)
      .set('Content-Type', 'application/json')
      .send(nestedJson(32));
    // within the limit the body is validated as usual: an unknown field, not a depth error
    expect(atLimit.status).toBe(400);
    expect(atLimit.body.details).not.toEqual([{ field: 'body', message: expect.any(String) }]);
    await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201);
  });

  it('a department named like a formula is text in the ranking CSV', async () => {
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
