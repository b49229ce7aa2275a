import { Factory, PASSWORD } from '../setup/factories';
import { createTestApp, TestApp } from '../setup/test-app';

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
    return { t, login };
  }

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
});
