import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenAPIObject } from '@nestjs/swagger';

/** One answer the app gave that its own OpenAPI document does not describe. */
export interface Violation {
  request: string;
  status: number;
  problem: string;
}

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  params: number;
  responses: Record<string, { $ref?: string; content?: Record<string, unknown> }>;
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Checks every answer an app's HTTP server gives against the app's OpenAPI document: the status is one
 * the operation lists, and a JSON body validates against the schema listed for that status (the
 * ErrorBody for errors). Requests to paths the document does not describe (the docs, the dashboard,
 * /metrics, unknown routes) are not its business.
 */
export class OpenApiCheck {
  readonly violations: Violation[] = [];
  /** How many answers were checked against a documented operation. */
  checked = 0;
  private readonly operations: Operation[] = [];
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenAPIObject) {
    this.ajv = new Ajv({ strict: false, allErrors: false, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addSchema(document, 'openapi.json');
    for (const [template, item] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!['get', 'put', 'post', 'delete', 'patch'].includes(method)) continue;
        const params = (template.match(/\{[^}]+\}/g) ?? []).length;
        const source = template
          .split(/\{[^}]+\}/)
          .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
          .join('[^/]+');
        this.operations.push({
          method: method.toUpperCase(),
          template,
          pattern: new RegExp(`^${source}$`),
          params,
          responses: (op as { responses: Operation['responses'] }).responses,
        });
      }
    }
    // literal paths before templated ones
    this.operations.sort((a, b) => a.params - b.params);
  }

  /** Watches every response of this server from now on. */
  attach(server: Server): void {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      const write = res.write.bind(res) as (...args: unknown[]) => boolean;
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      const keep = (chunk: unknown, encoding?: unknown) => {
        if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
        chunks.push(
          Buffer.isBuffer(chunk)
            ? chunk
            : Buffer.from(
                chunk as string,
                typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
              ),
        );
      };
      res.write = ((chunk: unknown, ...rest: unknown[]) => {
        keep(chunk, rest[0]);
        return write(chunk, ...rest);
      }) as typeof res.write;
      res.end = ((chunk?: unknown, ...rest: unknown[]) => {
        keep(chunk, rest[0]);
        return end(chunk, ...rest);
      }) as typeof res.end;
      res.on('finish', () => {
        this.check(req.method ?? 'GET', req.url ?? '/', res, Buffer.concat(chunks).toString('utf8'));
      });
    });
  }

  /** Checks one answer; public for tests that hold a response of their own. */
  check(
    method: string,
    url: string,
    res: Pick<ServerResponse, 'statusCode' | 'getHeader'>,
    text: string,
  ): void {
    const path = url.split('?')[0];
    const op = this.operations.find((o) => o.method === method && o.pattern.test(path));
    if (!op) return;
    this.checked += 1;
    const status = res.statusCode;
    const request = `${method} ${url}`;
    const listed = op.responses[String(status)];
    if (!listed) {
      const body = text.length > 200 ? `${text.slice(0, 200)}…` : text;
      this.violations.push({ request, status, problem: `status ${status} is not documented: ${body}` });
      return;
    }
    const type = String(res.getHeader('content-type') ?? '')
      .split(';')[0]
      .trim();
    if (text === '') {
      if (status !== 204 && method !== 'HEAD' && listed.$ref === undefined && listed.content) {
        this.violations.push({ request, status, problem: 'empty body where the document lists one' });
      }
      return;
    }
    const base = listed.$ref
      ? `openapi.json${listed.$ref}`
      : `openapi.json#/paths/${escapePointer(op.template)}/${method.toLowerCase()}/responses/${status}`;
    const resolved = listed.$ref ? this.resolve(listed.$ref) : listed;
    if (!resolved.content?.[type]) {
      this.violations.push({
        request,
        status,
        problem: `content type ${type || '(none)'} is not documented`,
      });
      return;
    }
    if (type !== 'application/json') return;
    const pointer = `${base}/content/${escapePointer(type)}/schema`;
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: pointer });
      this.compiled.set(pointer, validate);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      this.violations.push({ request, status, problem: 'the body is not JSON' });
      return;
    }
    if (!validate(body)) {
      const errors = (validate.errors ?? [])
        .slice(0, 3)
        .map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`)
        .join('; ');
      this.violations.push({ request, status, problem: `body does not match the schema: ${errors}` });
    }
  }

  private resolve(ref: string): { content?: Record<string, unknown> } {
    let node: unknown = this.document;
    for (const part of ref.replace(/^#\//, '').split('/')) {
      node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    return node as { content?: Record<string, unknown> };
  }

  /** The violations in a few readable lines. */
  report(): string {
    return this.violations.map((v) => `${v.request} → ${v.status}: ${v.problem}`).join('\n');
  }
}
