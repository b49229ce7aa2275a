import { JwtService } from '@nestjs/jwt';
import { Factory, actor, login, makeUscc, PASSWORD } from '../setup/factories';
import { createTestApp, TEST_ADMIN, TestApp } from '../setup/test-app';

describe('foundation: auth, roles, validation, errors (e2e)', () => {
  let t: TestApp;
  let f: Factory;
  let adminAuth: string;

  beforeAll(async () => {
    t = await createTestApp();
    f = new Factory(t.db);
    adminAuth = await login(t, TEST_ADMIN.username, TEST_ADMIN.password);
  });
  afterAll(async () => {
    await t?.close();
  });

  const api = (path: string) => `/api/v1${path}`;

  describe('login', () => {
    it('returns a token and the user for the right password', async () => {
      const u = await f.user('dispatcher');
      const res = await t
        .http()
        .post(api('/auth/login'))
        .send({ username: u.username, password: PASSWORD })
        .expect(200);
      expect(res.body.accessToken).toEqual(expect.any(String));
      expect(res.body.user).toMatchObject({
        id: u.id,
        username: u.username,
        role: 'dispatcher',
        departmentId: null,
        enterpriseId: null,
      });
      expect(JSON.stringify(res.body)).not.toContain('passwordHash');
    });

    it('401 UNAUTHENTICATED for a wrong password', async () => {
      const u = await f.user('dispatcher');
      const res = await t
        .http()
        .post(api('/auth/login'))
        .send({ username: u.username, password: 'wrong-password' })
        .expect(401);
      expect(res.body).toEqual({ statusCode: 401, code: 'UNAUTHENTICATED', message: expect.any(String) });
    });

    it('401 for an unknown user, with the same message', async () => {
      const res = await t
        .http()
        .post(api('/auth/login'))
        .send({ username: 'nobody-here', password: 'whatever-1' })
        .expect(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
      expect(res.body.message).toBe('用户名或密码错误');
    });

    it('locks a username out after LOGIN_FAILURE_LIMIT failures with 429 and Retry-After', async () => {
      const u = await f.user('dispatcher');
      for (let i = 0; i < t.config.loginFailureLimit; i++) {
        await t
          .http()
          .post(api('/auth/login'))
          .send({ username: u.username, password: 'wrong-password' })
          .expect(401);
      }
      const res = await t
        .http()
        .post(api('/auth/login'))
        .send({ username: u.username, password: PASSWORD })
        .expect(429);
      expect(res.body.code).toBe('RATE_LIMITED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    });
  });

  describe('tokens', () => {
    it('GET /me answers the caller', async () => {
      const { user, auth } = await actor(t, f, 'handler');
      const res = await t.http().get(api('/me')).set('Authorization', auth).expect(200);
      expect(res.body).toMatchObject({ id: user.id, role: 'handler', departmentId: user.departmentId });
    });

    it('401 without a token', async () => {
      const res = await t.http().get(api('/me')).expect(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });

    it('401 for a token signed with another secret', async () => {
      const forged = new JwtService({ secret: 'another-secret-entirely' }).sign({
        sub: '00000000-0000-4000-8000-000000000000',
        role: 'admin',
      });
      const res = await t.http().get(api('/me')).set('Authorization', `Bearer ${forged}`).expect(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });

    it('401 for an expired token', async () => {
      const u = await f.user('admin');
      const expired = new JwtService({ secret: t.config.jwtSecret }).sign({
        sub: u.id,
        usr: u.username,
        role: 'admin',
        dep: null,
        ent: null,
        exp: Math.floor(Date.now() / 1000) - 60,
      });
      const res = await t.http().get(api('/me')).set('Authorization', `Bearer ${expired}`).expect(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });

    it('401 for a malformed Authorization header', async () => {
      await t.http().get(api('/me')).set('Authorization', 'Bearer').expect(401);
      await t.http().get(api('/me')).set('Authorization', 'Basic abc').expect(401);
      await t.http().get(api('/me')).set('Authorization', 'Bearer not.a.jwt').expect(401);
    });
  });

  describe('roles', () => {
    it.each(['enterprise', 'dispatcher', 'handler', 'supervisor'] as const)(
      '403 FORBIDDEN when a %s creates a department',
      async (role) => {
        const { auth } = await actor(t, f, role);
        const res = await t
          .http()
          .post(api('/departments'))
          .set('Authorization', auth)
          .send({ code: 'X1', name: 'x' })
          .expect(403);
        expect(res.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
      },
    );

    it('403 when a dispatcher lists users', async () => {
      const { auth } = await actor(t, f, 'dispatcher');
      await t.http().get(api('/users')).set('Authorization', auth).expect(403);
    });
  });

  describe('reference data', () => {
    it('an admin creates departments (with a parent), users and a category tree', async () => {
      const parent = await t
        .http()
        .post(api('/departments'))
        .set('Authorization', adminAuth)
        .send({ code: 'WX', name: '吴兴区人民政府', kind: 'district' })
        .expect(201);
      const child = await t
        .http()
        .post(api('/departments'))
        .set('Authorization', adminAuth)
        .send({ code: 'WX-SCJ', name: '吴兴区市场监督管理局', parentId: parent.body.id })
        .expect(201);
      expect(child.body).toMatchObject({ code: 'WX-SCJ', kind: 'department', parentId: parent.body.id });

      const handler = await t
        .http()
        .post(api('/users'))
        .set('Authorization', adminAuth)
        .send({
          username: 'wx_handler',
          password: 'handler-pass-1',
          role: 'handler',
          departmentId: child.body.id,
        })
        .expect(201);
      expect(handler.body).toMatchObject({ role: 'handler', departmentId: child.body.id });
      expect(handler.body.passwordHash).toBeUndefined();
      await login(t, 'wx_handler', 'handler-pass-1');

      await t
        .http()
        .post(api('/categories'))
        .set('Authorization', adminAuth)
        .send({ code: 'FIN', name: '融资' })
        .expect(201);
      const leaf = await t
        .http()
        .post(api('/categories'))
        .set('Authorization', adminAuth)
        .send({ code: 'FIN.LOAN', name: '贷款审批', parentCode: 'FIN', defaultDepartmentId: child.body.id })
        .expect(201);
      expect(leaf.body).toMatchObject({ parentCode: 'FIN', defaultDepartmentId: child.body.id });
    });

    it('a handler needs a department (400)', async () => {
      const res = await t
        .http()
        .post(api('/users'))
        .set('Authorization', adminAuth)
        .send({ username: 'lonely_handler', password: 'handler-pass-1', role: 'handler' })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });

    it('409 CONFLICT for a duplicate department code', async () => {
      await t
        .http()
        .post(api('/departments'))
        .set('Authorization', adminAuth)
        .send({ code: 'DUP', name: 'a' })
        .expect(201);
      const res = await t
        .http()
        .post(api('/departments'))
        .set('Authorization', adminAuth)
        .send({ code: 'DUP', name: 'b' })
        .expect(409);
      expect(res.body).toMatchObject({ statusCode: 409, code: 'CONFLICT' });
    });

    it('409 for a duplicate department code even when requests race (the unique index decides)', async () => {
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          t
            .http()
            .post(api('/departments'))
            .set('Authorization', adminAuth)
            .send({ code: 'RACE', name: 'r' }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
      for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('CONFLICT');
    });

    it('400 for an unknown parentId and for an unknown category parent', async () => {
      await t
        .http()
        .post(api('/departments'))
        .set('Authorization', adminAuth)
        .send({ code: 'ORPHAN', name: 'o', parentId: '00000000-0000-4000-8000-000000000000' })
        .expect(400);
      await t
        .http()
        .post(api('/categories'))
        .set('Authorization', adminAuth)
        .send({ code: 'ORPH', name: 'o', parentCode: 'NOPE' })
        .expect(400);
    });

    it('lists with a limit and an opaque cursor', async () => {
      for (let i = 0; i < 5; i++) await f.department({ code: `PAGE${i}` });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const res = await t
          .http()
          .get(api('/departments'))
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .set('Authorization', adminAuth)
          .expect(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.items.map((d: { code: string }) => d.code));
        cursor = res.body.nextCursor ?? undefined;
      } while (cursor);
      expect(seen.filter((c) => c.startsWith('PAGE'))).toEqual(['PAGE0', 'PAGE1', 'PAGE2', 'PAGE3', 'PAGE4']);
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('400 for a limit over 100 (a reference list: over 1000) or a garbage cursor', async () => {
      await t
        .http()
        .get(api('/enterprises'))
        .query({ limit: 101 })
        .set('Authorization', adminAuth)
        .expect(400);
      await t
        .http()
        .get(api('/departments'))
        .query({ limit: 1001 })
        .set('Authorization', adminAuth)
        .expect(400);
      const res = await t
        .http()
        .get(api('/departments'))
        .query({ cursor: '!!!' })
        .set('Authorization', adminAuth)
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('enterprise registration', () => {
    const body = () => ({
      name: '湖州示例科技有限公司',
      uscc: makeUscc(),
      district: '吴兴区',
      contactName: '李总',
      contactPhone: '13900000000',
      username: `ent_${Math.random().toString(36).slice(2, 10)}`,
      password: 'enterprise-pass-1',
    });

    it('registers, and the new account logs in and sees its enterprise', async () => {
      const b = body();
      const res = await t.http().post(api('/enterprises/register')).send(b).expect(201);
      expect(res.body.enterprise).toMatchObject({ name: b.name, uscc: b.uscc });
      expect(res.body.user).toMatchObject({ role: 'enterprise', enterpriseId: res.body.enterprise.id });
      const auth = await login(t, b.username, b.password);
      await t
        .http()
        .get(api(`/enterprises/${res.body.enterprise.id}`))
        .set('Authorization', auth)
        .expect(200);
    });

    it('normalizes a USCC typed with spaces and lower case', async () => {
      const b = body();
      const spaced = `${b.uscc.slice(0, 6)} ${b.uscc.slice(6).toLowerCase()}`;
      const res = await t
        .http()
        .post(api('/enterprises/register'))
        .send({ ...b, uscc: spaced })
        .expect(201);
      expect(res.body.enterprise.uscc).toBe(b.uscc);
    });

    it('400 for a USCC with a wrong check character', async () => {
      const b = body();
      const wrong = b.uscc.slice(0, 17) + (b.uscc[17] === '0' ? '1' : '0');
      const res = await t
        .http()
        .post(api('/enterprises/register'))
        .send({ ...b, uscc: wrong })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.body.details)).toContain('校验码不正确');
    });

    it('409 for a taken USCC and for a taken username, writing nothing', async () => {
      const b = body();
      await t.http().post(api('/enterprises/register')).send(b).expect(201);
      const again = await t
        .http()
        .post(api('/enterprises/register'))
        .send({ ...b, username: `${b.username}x` })
        .expect(409);
      expect(again.body.code).toBe('CONFLICT');
      const other = body();
      const taken = await t
        .http()
        .post(api('/enterprises/register'))
        .send({ ...other, username: b.username })
        .expect(409);
      expect(taken.body.code).toBe('CONFLICT');
      // the enterprise of the refused registration was rolled back with it
      const n = await t.db.query(`SELECT count(*)::int AS n FROM enterprises WHERE uscc = $1`, [other.uscc]);
      expect(n[0].n).toBe(0);
    });

    it('an enterprise cannot read another enterprise (404)', async () => {
      const { auth } = await actor(t, f, 'enterprise');
      const other = await f.enterprise();
      const res = await t
        .http()
        .get(api(`/enterprises/${other.id}`))
        .set('Authorization', auth)
        .expect(404);
      expect(res.body.code).toBe('NOT_FOUND');
    });
  });

  describe('validation and error bodies', () => {
    it('400 VALIDATION_FAILED for an unknown field', async () => {
      const res = await t
        .http()
        .post(api('/departments'))
        .set('Authorization', adminAuth)
        .send({ code: 'U1', name: 'u', color: 'red' })
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(JSON.stringify(res.body.details)).toContain('color');
    });

    it('400 for a wrong type', async () => {
      const res = await t
        .http()
        .post(api('/departments'))
        .set('Authorization', adminAuth)
        .send({ code: 12, name: ['x'] })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(
        expect.arrayContaining(['code', 'name']),
      );
    });

    it('400 for malformed JSON', async () => {
      const res = await t
        .http()
        .post(api('/auth/login'))
        .set('Content-Type', 'application/json')
        .send('{"username": "a",')
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    });

    it('413 PAYLOAD_TOO_LARGE for a body over the limit', async () => {
      const res = await t
        .http()
        .post(api('/auth/login'))
        .send({ username: 'x', password: 'y'.repeat(2 * 1024 * 1024) })
        .expect(413);
      expect(res.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
    });

    it('400 for an id that is not a UUID, 404 for one that does not exist', async () => {
      const bad = await t
        .http()
        .get(api('/departments/not-a-uuid'))
        .set('Authorization', adminAuth)
        .expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      const missing = await t
        .http()
        .get(api('/departments/00000000-0000-4000-8000-000000000000'))
        .set('Authorization', adminAuth)
        .expect(404);
      expect(missing.body.code).toBe('NOT_FOUND');
    });

    it('404 NOT_FOUND for an unknown route', async () => {
      const res = await t.http().get(api('/no-such-thing')).set('Authorization', adminAuth).expect(404);
      expect(res.body.code).toBe('NOT_FOUND');
    });

    it('a JSON array or a string as the body is a 400, not a 500', async () => {
      await t.http().post(api('/departments')).set('Authorization', adminAuth).send([1, 2]).expect(400);
      await t
        .http()
        .post(api('/departments'))
        .set('Authorization', adminAuth)
        .set('Content-Type', 'application/json')
        .send('"text"')
        .expect(400);
    });
  });

  describe('operations', () => {
    it('GET /health checks PostgreSQL and Redis', async () => {
      const res = await t.http().get('/health').expect(200);
      expect(res.body.status).toBe('ok');
      expect(Object.keys(res.body.info)).toEqual(expect.arrayContaining(['database', 'redis']));
    });

    it('serves the OpenAPI document and the docs UI', async () => {
      const doc = await t.http().get('/api/docs-json').expect(200);
      expect(doc.body.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.body.paths)).toEqual(
        expect.arrayContaining(['/api/v1/auth/login', '/api/v1/enterprises/register']),
      );
      await t.http().get('/api/docs').expect(200);
    });

    it('serves Prometheus metrics', async () => {
      await t.http().get('/health');
      const res = await t.http().get('/metrics').expect(200);
      expect(res.text).toContain('zqt_http_request_duration_seconds');
    });

    it('sets security headers (helmet)', async () => {
      const res = await t.http().get('/health');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-powered-by']).toBeUndefined();
    });
  });
});
