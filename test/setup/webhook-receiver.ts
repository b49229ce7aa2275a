import http, { IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  body: { id: string; event: string; occurredAt: string; appeal: { id: string; status: string } };
}

/** A local receiver: each path answers by its script (status per request number, or 'hang'). */
export class Receiver {
  readonly received: Received[] = [];
  private readonly scripts = new Map<string, (n: number) => number | 'hang'>();
  private readonly counts = new Map<string, number>();
  private server?: http.Server;

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        const raw = Buffer.concat(chunks);
        const n = (this.counts.get(path) ?? 0) + 1;
        this.counts.set(path, n);
        this.received.push({ path, headers: req.headers, raw, body: JSON.parse(raw.toString('utf8')) });
        const answer = (this.scripts.get(path) ?? (() => 200))(n);
        if (answer === 'hang') return;
        res.writeHead(answer, { 'Content-Type': 'text/plain' }).end('thanks');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}${path}`;
  }

  script(path: string, answer: (n: number) => number | 'hang'): void {
    this.scripts.set(path, answer);
  }

  at(path: string, appealId?: string): Received[] {
    return this.received.filter((r) => r.path === path && (!appealId || r.body.appeal.id === appealId));
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
