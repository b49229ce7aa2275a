import { createServer, Server } from 'node:http';
import type { Registry } from 'prom-client';

/**
 * GET /metrics on a port of its own, for a ROLE=worker process (it serves no HTTP otherwise): the
 * counters only workers move (jobs, deadline firings, webhook attempts) are scraped from here. A
 * failed scrape answers 500 with no body detail; nothing else is served.
 */
export function serveMetrics(
  registry: Registry,
  port: number,
  onError: (err: Error) => void,
): Promise<Server | undefined> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
      () => res.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics unavailable\n'),
    );
  });
  return new Promise((resolve) => {
    server.once('error', (err) => {
      // a port in use must not stop the worker: it still does its work, unscraped
      onError(err);
      resolve(undefined);
    });
    server.listen(port, '0.0.0.0', () => resolve(server));
  });
}
