import { createServer, connect, Server, Socket } from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL or Redis that a test can cut: every connection dropped and new
 * ones refused, as when the server stops; then restored.
 */
export class CuttableProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private cut = false;
  private target?: URL;
  port = 0;

  async start(target: URL): Promise<void> {
    this.target = target;
    this.server = createServer((client) => {
      if (this.cut) return client.destroy();
      const to = this.target!;
      const upstream = connect(Number(to.port || 5432), to.hostname);
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

  stop(): void {
    this.cut = true;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.cut = false;
  }

  /** New connections go to another server (as an operator's proxy or virtual address moves to a promoted standby). */
  retarget(target: URL): void {
    this.target = target;
  }

  async close(): Promise<void> {
    this.stop();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
