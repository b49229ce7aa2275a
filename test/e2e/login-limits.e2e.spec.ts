import { Factory, login as loginAs, makeUscc, PASSWORD, uid } from '../setup/factories';
import { createTestApp, TEST_ADMIN, TestApp } from '../setup/test-app';

/**
 * SPEC §5 failed-login limit, exact under concurrency: every attempt takes its slot atomically before
 * the password is checked. Each test has an app of its own (its own Redis prefix), so the per-address
 * limit on the login route (30 a minute) is not shared between them.
 */
describe('failed-login limit (e2e)', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
  });

  async function setUp(env: Record<string, string> = {}) {
    const t = await createTestApp({ env });
    apps.push(t);
    const user = await new Factory(t.db).user('dispatcher');
    const login = (password: string) =>
      t.http().post('/api/v1/auth/login').send({ username: user.username, password });
    return { t, user, login };
  }

  /** The same name in other cases: upper, and alternating. */
  const upper = (name: string) => name.toUpperCase();
  const mixed = (name: string) =>
    [...name].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c.toLowerCase())).join('');

  it('of 20 simultaneous wrong passwords at most 10 are checked; then the right one is 429 too', async () => {
    const { t, login } = await setUp();
    expect(t.config.loginFailureLimit).toBe(10);
    const statuses = (await Promise.all(Array.from({ length: 20 }, () => login('wrong-password')))).map(
      (r) => r.status,
    );
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(10);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    const right = await login(PASSWORD).expect(429);
    expect(right.body.code).toBe('RATE_LIMITED');
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('a successful login clears the count of failures', async () => {
    const { login } = await setUp({ LOGIN_FAILURE_LIMIT: '3' });
    for (let i = 0; i < 2; i++) await login('wrong-password').expect(401);
    await login(PASSWORD).expect(200);
    for (let i = 0; i < 3; i++) await login('wrong-password').expect(401);
    await login(PASSWORD).expect(429);
  });

  it('usernames are unique whatever their case: a case twin is 409 for a new user and for a registration', async () => {
    const { t, user } = await setUp();
    const admin = await loginAs(t, TEST_ADMIN.username, TEST_ADMIN.password);
    for (const name of [upper(user.username), mixed(user.username)]) {
      const res = await t
        .http()
        .post('/api/v1/users')
        .set('Authorization', admin)
        .send({ username: name, password: 'another-pass-1', role: 'dispatcher' });
      expect({ name, status: res.status, code: res.body.code }).toEqual({
        name,
        status: 409,
        code: 'CONFLICT',
      });
      expect(res.body.details).toEqual({ field: 'username' });
    }
    const uscc = makeUscc();
    const registered = await t
      .http()
      .post('/api/v1/enterprises/register')
      .send({
        name: '湖州孪生名称测试有限公司',
        uscc,
        contactName: '李总',
        contactPhone: '13900000000',
        username: upper(user.username),
        password: 'enterprise-pass-1',
      });
    expect(registered.status).toBe(409);
    expect(registered.body.code).toBe('CONFLICT');
    // the registration is all or nothing: no enterprise row is left behind
    expect(await t.db.query(`SELECT 1 FROM enterprises WHERE uscc = $1`, [uscc])).toEqual([]);
    expect(
      await t.db.query(`SELECT username FROM users WHERE lower(username) = lower($1)`, [user.username]),
    ).toEqual([{ username: user.username }]);
  });

  it('login is case-insensitive: any spelling finds the one account, and every spelling counts against it', async () => {
    const { t, user } = await setUp({ LOGIN_FAILURE_LIMIT: '3' });
    const as = (username: string, password: string) =>
      t.http().post('/api/v1/auth/login').send({ username, password });
    const ok = await as(upper(user.username), PASSWORD).expect(200);
    expect(ok.body.user).toMatchObject({ id: user.id, username: user.username });
    // three wrong passwords under three spellings are three failures of one account
    await as(user.username, 'wrong-password').expect(401);
    await as(upper(user.username), 'wrong-password').expect(401);
    await as(mixed(user.username), 'wrong-password').expect(401);
    for (const name of [user.username, upper(user.username), mixed(user.username)]) {
      const res = await as(name, PASSWORD);
      expect({ name, status: res.status, code: res.body.code }).toEqual({
        name,
        status: 429,
        code: 'RATE_LIMITED',
      });
    }
  });

  it('an unknown name has a count of its own, whatever its case, so probing costs too', async () => {
    const { t } = await setUp({ LOGIN_FAILURE_LIMIT: '2' });
    const nobody = `nobody_${uid()}`;
    const as = (username: string) =>
      t.http().post('/api/v1/auth/login').send({ username, password: 'wrong-password' });
    await as(nobody).expect(401);
    await as(upper(nobody)).expect(401);
    const refused = await as(mixed(nobody)).expect(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
  });
});
