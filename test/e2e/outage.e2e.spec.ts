import { createServer, connect, Server, Socket } from 'node:net';
import { appealBody, client, world, World } from '../setup/appeal-helpers';
import { createTestApp, TestApp } from '../setup/test-app';
import { SERVER_URL } from '../setup/test-env';
import { waitFor } from '../setup/wait';

/**
 * A TCP proxy in front of PostgreSQL that the test can cut: every connection dropped and new ones
 * refused, as when the database server stops; then restored.
 */
class CuttableProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private cut = false;
  port = 0;

  async start(target: URL): Promise<void> {
    this.server = createServer((client) => {
      if (this.cut) return client.destroy();
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  stopDatabase(): void {
    this.cut = true;
    for (const s of this.sockets) s.destroy();
  }

  restartDatabase(): void {
    this.cut = false;
  }

  async close(): Promise<void> {
    this.stopDatabase();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

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
    proxy.restartDatabase();
    await t?.close();
    await proxy.close();
  });

  it('filing answers 503 while the database is away, and 201 again once it is back, without a restart', async () => {
    await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201);
    proxy.stopDatabase();
    for (let i = 0; i < 3; i++) {
      const res = await api.post('/appeals', w.enterprise.auth, appealBody(w));
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(JSON.stringify(res.body)).not.toMatch(/appeals|select|insert|constraint/i);
    }
    const read = await api.get('/appeals', w.dispatcher.auth);
    expect(read.status).toBe(503);
    proxy.restartDatabase();
    const filed = await waitFor(async () => {
      const res = await api.post('/appeals', w.enterprise.auth, appealBody(w));
      return res.status === 201 ? res.body : undefined;
    }, 'filing to work again');
    expect(filed.status).toBe('submitted');
  });
});
