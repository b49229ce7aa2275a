import { appealBody, client, world, World } from '../setup/appeal-helpers';
import { CuttableProxy } from '../setup/cuttable-proxy';
import { login } from '../setup/factories';
import { createTestApp, TestApp } from '../setup/test-app';
import { REDIS_URL, SERVER_URL } from '../setup/test-env';
import { waitFor } from '../setup/wait';

/** SPEC §5: PostgreSQL out of reach is 503 on requests that need it, and the service recovers by itself. */
describe('PostgreSQL out of reach (e2e)', () => {
  const proxy = new CuttableProxy();
  let t: TestApp;
  let w: World;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    await proxy.start(new URL(SERVER_URL));
    t = await createTestApp({
      databaseUrl: (url) => {
        const u = new URL(url);
        u.hostname = '127.0.0.1';
        u.port = String(proxy.port);
        return u.toString();
      },
    });
    w = await world(t);
    api = client(t);
  });
  afterAll(async () => {
    proxy.restore();
    await t?.close();
    await proxy.close();
  });

  it('filing answers 503 while the database is away, and 201 again once it is back, without a restart', async () => {
    await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201);
    proxy.stop();
    for (let i = 0; i < 3; i++) {
      const res = await api.post('/appeals', w.enterprise.auth, appealBody(w));
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(JSON.stringify(res.body)).not.toMatch(/appeals|select|insert|constraint/i);
    }
    const read = await api.get('/appeals', w.dispatcher.auth);
    expect(read.status).toBe(503);
    proxy.restore();
    const filed = await waitFor(async () => {
      const res = await api.post('/appeals', w.enterprise.auth, appealBody(w));
      return res.status === 201 ? res.body : undefined;
    }, 'filing to work again');
    expect(filed.status).toBe('submitted');
  });
});

/** SPEC §5: Redis out of reach is 503 where it is needed (the login limit cannot hold without it). */
describe('Redis out of reach (e2e)', () => {
  const proxy = new CuttableProxy();
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    await proxy.start(new URL(REDIS_URL));
    const u = new URL(REDIS_URL);
    u.hostname = '127.0.0.1';
    u.port = String(proxy.port);
    t = await createTestApp({ env: { REDIS_URL: u.toString() } });
    w = await world(t);
  });
  afterAll(async () => {
    proxy.restore();
    await t?.close();
    await proxy.close();
  });

  it('a login answers 503 rather than going unlimited, and works again once Redis is back', async () => {
    const username = w.dispatcher.user.username;
    proxy.stop();
    const res = await t.http().post('/api/v1/auth/login').send({ username, password: 'wrong-password' });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
    proxy.restore();
    const auth = await waitFor(() => login(t, username).catch(() => undefined), 'login to work again');
    expect(auth).toMatch(/^Bearer /);
  });
});
