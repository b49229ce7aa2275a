import { Factory, login, makeUscc } from '../setup/factories';
import { loadConfig } from '../../src/config/app-config';
import { createTestApp, TestApp } from '../setup/test-app';

/**
 * SPEC §5 anonymous limits: the client address is the socket's; X-Forwarded-For counts only from a
 * proxy listed in TRUSTED_PROXIES; registration has a stricter limit of its own; a token sent to a
 * public route does not move the caller onto another limit. Each test has its own app (its own Redis
 * prefix), so the buckets start empty. supertest connects from 127.0.0.1.
 */
describe('client address and public-route limits (e2e)', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
  });
  async function app(env: Record<string, string>) {
    const t = await createTestApp({ env });
    apps.push(t);
    return t;
  }
  const registration = () => ({
    name: '湖州示例科技有限公司',
    uscc: makeUscc(),
    contactName: '李总',
    contactPhone: '13900000000',
    username: `ent_${Math.random().toString(36).slice(2, 10)}`,
    password: 'enterprise-pass-1',
  });
  const register = (t: TestApp, headers: Record<string, string> = {}) =>
    t.http().post('/api/v1/enterprises/register').set(headers).send(registration());

  it('registration is limited per address; a forged X-Forwarded-For does not give a fresh bucket', async () => {
    const t = await app({ REGISTRATIONS_PER_HOUR: '3' });
    expect(t.config.trustedProxies).toEqual([]);
    for (let i = 0; i < 3; i++) await register(t, { 'X-Forwarded-For': `203.0.113.${i + 1}` }).expect(201);
    const refused = await register(t, { 'X-Forwarded-For': '198.51.100.77' }).expect(429);
    expect(refused.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // other anonymous routes keep the general limit
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ username: 'nobody', password: 'whatever-1' })
      .expect(401);
  });

  it('behind a trusted proxy, X-Forwarded-For names the client', async () => {
    const t = await app({ REGISTRATIONS_PER_HOUR: '2', TRUSTED_PROXIES: '127.0.0.1, ::1, ::ffff:127.0.0.1' });
    const from = (ip: string) => ({ 'X-Forwarded-For': ip });
    await register(t, from('203.0.113.1')).expect(201);
    await register(t, from('203.0.113.1')).expect(201);
    await register(t, from('203.0.113.1')).expect(429);
    await register(t, from('203.0.113.2')).expect(201);
  });

  it('a token on a public route does not change whose limit applies', async () => {
    const t = await app({ REGISTRATIONS_PER_HOUR: '2' });
    const user = await new Factory(t.db).user('enterprise');
    const auth = await login(t, user.username);
    await register(t).expect(201);
    await register(t).expect(201);
    await register(t, { Authorization: auth }).expect(429);
  });

  it('TRUSTED_PROXIES must name addresses or ranges', () => {
    const base = { JWT_SECRET: 'test-secret-that-is-long-enough' };
    for (const bad of ['everyone', '10.0.0.0/33', '10.0.0.1/8/2', '127.0.0.1,,'])
      expect(() => loadConfig({ ...base, TRUSTED_PROXIES: bad })).toThrow(/TRUSTED_PROXIES/);
    expect(
      loadConfig({ ...base, TRUSTED_PROXIES: ' 10.0.0.0/8, loopback ,fd00::/8' }).trustedProxies,
    ).toEqual(['10.0.0.0/8', 'loopback', 'fd00::/8']);
    expect(loadConfig(base).trustedProxies).toEqual([]);
  });
});
