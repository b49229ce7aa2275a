import { Factory, login, makeUscc, PASSWORD } from '../setup/factories';
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

  it('requests without a valid token are limited per client address before authentication, across routes', async () => {
    const t = await app({ RATE_LIMIT_PER_MINUTE: '5' });
    const user = await new Factory(t.db).user('dispatcher');
    const auth = await login(t, user.username);
    const forged = `Bearer ${auth.slice('Bearer '.length, -4)}AAAA`;
    const as = (path: string, authorization?: string, headers: Record<string, string> = {}) => {
      const req = t.http().get(`/api/v1${path}`).set(headers);
      return authorization ? req.set('Authorization', authorization) : req;
    };
    // five without a token, a forged one or garbage, on different routes: the address's one bucket
    await as('/me').expect(401);
    await as('/appeals').expect(401);
    await as('/me', forged).expect(401);
    await as('/departments', 'Bearer not-a-token').expect(401);
    await as('/queue', 'Basic YWRtaW46YWRtaW4=').expect(401);
    for (const [path, authorization, headers] of [
      ['/me', undefined, {}],
      ['/appeals', forged, {}],
      ['/reports/summary', 'Bearer x', {}],
      // a forged X-Forwarded-For does not give a fresh bucket (no TRUSTED_PROXIES)
      ['/me', undefined, { 'X-Forwarded-For': '203.0.113.9' }],
    ] as const) {
      const res = await as(path, authorization, headers);
      expect({ path, status: res.status, code: res.body.code }).toEqual({
        path,
        status: 429,
        code: 'RATE_LIMITED',
      });
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    // a user with a valid token from the same address keeps a limit of its own
    await as('/me', auth).expect(200);
  });

  it('a revoked token is throttled before its lookup, in a bucket apart from the live tokens of its user', async () => {
    const t = await app({ RATE_LIMIT_PER_MINUTE: '5' });
    const user = await new Factory(t.db).user('dispatcher');
    const revoked = await login(t, user.username);
    const changed = await t
      .http()
      .post('/api/v1/me/password')
      .set('Authorization', revoked)
      .send({ currentPassword: PASSWORD, newPassword: 'a-new-password-1' })
      .expect(200);
    const live = `Bearer ${changed.body.accessToken}`;
    const me = (authorization: string) => t.http().get('/api/v1/me').set('Authorization', authorization);
    const lookups = jest.spyOn(t.db, 'query');
    const userLookups = () =>
      lookups.mock.calls.filter(([sql]) => typeof sql === 'string' && /FROM users WHERE id/.test(sql)).length;
    try {
      for (let i = 0; i < 5; i++) await me(revoked).expect(401);
      expect(userLookups()).toBe(5);
      for (let i = 0; i < 3; i++) {
        const res = await me(revoked);
        expect(res.status).toBe(429);
      }
      // past the limit a revoked token costs no database lookup
      expect(userLookups()).toBe(5);
    } finally {
      lookups.mockRestore();
    }
    // the user's live token is not held back by what its revoked one did
    for (let i = 0; i < 5; i++) await me(live).expect(200);
    // and it has the per-user limit itself
    const over = await me(live).expect(429);
    expect(over.body.code).toBe('RATE_LIMITED');
    // another user from the same address is untouched by either
    const other = await new Factory(t.db).user('supervisor');
    await me(await login(t, other.username)).expect(200);
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
