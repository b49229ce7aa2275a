import { randomUUID } from 'node:crypto';
import { makeUscc, PASSWORD, uid } from '../setup/factories';
import { appealBody, appealSuite } from '../setup/appeal-helpers';
import { TEST_ADMIN } from '../setup/test-app';

/**
 * SPEC §5.1: a NUL character anywhere (body, query, path) is 400, never 500 — and so is half of a UTF-16
 * surrogate pair, which PostgreSQL's text cannot hold either. The fuzz walks the OpenAPI document, so a
 * new route is covered the day it is documented: every string field of every body (nested ones too),
 * every query parameter and every path parameter gets a NUL and a lone surrogate, sent as each role in
 * turn until one gets past the gate.
 */
type Schema = {
  $ref?: string;
  allOf?: Schema[];
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  nullable?: boolean;
};
type Parameter = { in: string; name: string; schema?: Schema };
type Operation = { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } };
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};

const NUL = 'adm\u0000in';
const LONE_HIGH = 'x\ud800y';
const LONE_LOW = '\udc00';
/** What a client that percent-encodes a lone surrogate as UTF-8 would send (CESU-8 bytes, not UTF-8). */
const ENCODED_SURROGATE = '%ED%A0%80';

describe('NUL and unpaired surrogates in any input (e2e)', () => {
  const s = appealSuite({ env: { REGISTRATIONS_PER_HOUR: '1000' } });

  const send = (method: string, path: string, auth?: string, body?: unknown) => {
    const req = s.t.http()[method as 'get'](path);
    if (auth) req.set('Authorization', auth);
    return body === undefined ? req : req.send(body as object);
  };

  /** Every role's token, in the order tried, anonymous first for public routes. */
  const callers = () => [
    undefined,
    s.w.admin.auth,
    s.w.dispatcher.auth,
    s.w.supervisor.auth,
    s.w.leadHandler.auth,
    s.w.enterprise.auth,
  ];

  /** Sends as each caller until one gets past authentication and roles; the first answer that did. */
  async function asSomeoneAllowed(method: string, path: string, body?: unknown) {
    let last: { status: number; body: { code?: string; details?: unknown } } | undefined;
    for (const auth of callers()) {
      last = await send(method, path, auth, body);
      if (last.status !== 401 && last.status !== 403) return last;
    }
    return last!;
  }

  it('the reported cases are 400 VALIDATION_FAILED naming the field', async () => {
    const { w, api } = s;
    const login = await s.t.http().post('/api/v1/auth/login').send({ username: NUL, password: 'whatever-1' });
    expect(login.status).toBe(400);
    expect(login.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(login.body.details).toEqual([{ field: 'username', message: expect.any(String) }]);

    for (const [query, field] of [
      ['q=%00', 'q'],
      ['district=%00', 'district'],
      ['q=abc%00def&limit=5', 'q'],
    ]) {
      const res = await api.get(`/appeals?${query}`, w.dispatcher.auth);
      expect({ query, status: res.status, code: res.body.code, details: res.body.details }).toEqual({
        query,
        status: 400,
        code: 'VALIDATION_FAILED',
        details: [{ field, message: expect.any(String) }],
      });
    }

    const filed = await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201);
    const supplement = await api.post(`/appeals/${filed.body.id}/supplements`, w.enterprise.auth, {
      content: `补充材料${NUL}`,
    });
    expect(supplement.status).toBe(400);
    expect(supplement.body.details).toEqual([{ field: 'content', message: expect.any(String) }]);
    const title = await api.post('/appeals', w.enterprise.auth, appealBody(w, { title: `标题${LONE_HIGH}` }));
    expect(title.status).toBe(400);
    expect(title.body.details).toEqual([{ field: 'title', message: expect.any(String) }]);

    const path = await api.get(`/calendar/days/2026-10-10%00`, w.admin.auth);
    expect(path.status).toBe(400);
    expect(path.body.code).toBe('VALIDATION_FAILED');
    // nothing was written by the refused filings: the enterprise has the one appeal it filed
    const mine = await api.get('/appeals?limit=100', w.enterprise.auth).expect(200);
    expect(mine.body.items.map((a: { id: string }) => a.id)).toEqual([filed.body.id]);
    // and the ordinary requests still work
    await s.t.http().post('/api/v1/auth/login').send(TEST_ADMIN).expect(200);
  });

  it('every documented route: NUL or a lone surrogate in any string of a body, query or path is never a 500', async () => {
    const { w, api } = s;
    const doc = (await s.t.http().get('/api/docs-json').expect(200)).body as Document;
    const appeal = (await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201)).body
      .id as string;
    const webhook = (
      await api
        .post('/webhooks', w.admin.auth, {
          url: 'http://127.0.0.1:9/hook',
          events: ['*'],
          secret: 'a-secret-long-enough-1',
        })
        .expect(201)
    ).body.id as string;

    /** Realistic values, so a request carrying one bad string would otherwise reach the database. */
    const bases: Record<string, object> = {
      'POST /api/v1/auth/login': { username: w.dispatcher.user.username, password: PASSWORD },
      'POST /api/v1/enterprises/register': {
        name: '湖州示例科技有限公司',
        uscc: makeUscc(),
        contactName: '李总',
        contactPhone: '13900000000',
        username: `ent_${uid()}`,
        password: 'enterprise-pass-1',
      },
      'POST /api/v1/appeals': appealBody(w),
      'POST /api/v1/users': { username: `u_${uid()}`, password: 'a-password-1', role: 'dispatcher' },
      'POST /api/v1/departments': { code: `D${uid()}`, name: '测试部门' },
      'POST /api/v1/categories': { code: `C${uid()}`, name: '测试类别' },
      'POST /api/v1/webhooks': {
        url: 'http://127.0.0.1:9/h',
        events: ['*'],
        secret: 'a-secret-long-enough-2',
      },
      'POST /api/v1/appeals/{id}/dispatch': { leadDepartmentId: w.lead.id, note: '请办理' },
    };
    const pathValue = (path: string, name: string): string => {
      if (name === 'date') return '2026-10-10';
      if (name !== 'id') return randomUUID();
      if (path.startsWith('/api/v1/appeals/')) return appeal;
      if (path.startsWith('/api/v1/webhooks/')) return webhook;
      if (path.startsWith('/api/v1/users/')) return w.dispatcher.user.id;
      if (path.startsWith('/api/v1/departments/')) return w.lead.id;
      if (path.startsWith('/api/v1/enterprises/')) return w.enterprise.user.enterpriseId!;
      return randomUUID();
    };

    const resolve = (schema: Schema): Schema => {
      if (schema.$ref) return resolve(doc.components.schemas[schema.$ref.split('/').pop()!]);
      if (schema.allOf?.length === 1) return resolve(schema.allOf[0]);
      return schema;
    };
    /** A value of the schema's shape: its example, its first enum value, or a plain one. */
    const sample = (raw: Schema, depth = 0): unknown => {
      const schema = resolve(raw);
      if (schema.example !== undefined) return schema.example;
      if (schema.enum?.length) return schema.enum[0];
      if (schema.type === 'array') return schema.items ? [sample(schema.items, depth + 1)] : [];
      if (schema.properties && depth < 8)
        return Object.fromEntries(
          Object.entries(schema.properties).map(([k, v]) => [k, sample(v, depth + 1)]),
        );
      if (schema.format === 'uuid') return randomUUID();
      if (schema.type === 'string') return '正常文字';
      if (schema.type === 'number' || schema.type === 'integer') return 1;
      if (schema.type === 'boolean') return true;
      return null;
    };
    /** Every path to a string leaf of a value, with a setter. */
    const stringLeaves = (value: unknown, at: (string | number)[] = []): (string | number)[][] => {
      if (typeof value === 'string') return [at];
      if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...at, i]));
      if (value && typeof value === 'object')
        return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...at, k]));
      return [];
    };
    const withLeaf = (value: unknown, at: (string | number)[], leaf: string): unknown => {
      const copy = structuredClone(value) as Record<string | number, unknown>;
      let node = copy;
      for (const key of at.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
      node[at[at.length - 1]] = leaf;
      return copy;
    };

    const problems: string[] = [];
    let cases = 0;
    const check = async (label: string, method: string, path: string, body: unknown, expect400: boolean) => {
      cases++;
      const res = await asSomeoneAllowed(method, path, body);
      const fine = expect400 ? res.status === 400 && res.body.code === 'VALIDATION_FAILED' : res.status < 500;
      if (!fine) problems.push(`${label}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    };

    for (const [template, operations] of Object.entries(doc.paths)) {
      if (!template.startsWith('/api/v1/')) continue;
      for (const [method, op] of Object.entries(operations)) {
        const key = `${method.toUpperCase()} ${template}`;
        const params = op.parameters ?? [];
        const fill = (bad?: { name: string; value: string }) =>
          template.replace(/\{(\w+)\}/g, (_, name: string) =>
            bad?.name === name ? bad.value : encodeURIComponent(pathValue(template, name)),
          );
        const schema = op.requestBody?.content['application/json']?.schema;
        const body = schema ? (bases[key] ?? sample(schema)) : undefined;

        for (const p of params.filter((x) => x.in === 'path')) {
          for (const value of ['%00', `a%00b`, ENCODED_SURROGATE])
            await check(`${key} path ${p.name}=${value}`, method, fill({ name: p.name, value }), body, true);
        }
        for (const p of params.filter((x) => x.in === 'query')) {
          await check(`${key} ?${p.name}=%00`, method, `${fill()}?${p.name}=x%00y`, body, true);
          // a lone surrogate cannot be written in a URL: its CESU-8 bytes decode to replacement characters
          await check(
            `${key} ?${p.name}=${ENCODED_SURROGATE}`,
            method,
            `${fill()}?${p.name}=${ENCODED_SURROGATE}`,
            body,
            false,
          );
        }
        if (body !== undefined) {
          for (const at of stringLeaves(body)) {
            for (const [label, leaf] of [
              ['NUL', NUL],
              ['lone high surrogate', LONE_HIGH],
              ['lone low surrogate', LONE_LOW],
            ] as const) {
              await check(
                `${key} body ${at.join('.')} ${label}`,
                method,
                fill(),
                withLeaf(body, at, leaf),
                true,
              );
            }
          }
        }
      }
    }
    expect(problems).toEqual([]);
    // the walk reached the routes that matter (a document that lost its bodies would pass vacuously)
    expect(cases).toBeGreaterThan(300);
  });

  it('an object key holding NUL is refused too, and a well-formed surrogate pair (an emoji) is fine', async () => {
    const { w, api } = s;
    const key = await api.post('/appeals', w.enterprise.auth, { ...appealBody(w), 'ti\u0000tle': 'x' });
    expect(key.status).toBe(400);
    expect(key.body.code).toBe('VALIDATION_FAILED');
    const emoji = await api.post(
      '/appeals',
      w.enterprise.auth,
      appealBody(w, { title: '企业用电问题 ⚡😀' }),
    );
    expect(emoji.status).toBe(201);
    expect(emoji.body.title).toBe('企业用电问题 ⚡😀');
  });
});
