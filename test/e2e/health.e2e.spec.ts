import { createTestApp } from '../setup/test-app';
import { withAdminClient } from '../setup/test-env';

describe('/health tells the truth (e2e)', () => {
  it('503 SERVICE_UNAVAILABLE naming Redis when Redis is unreachable; a login is 503 too', async () => {
    const t = await createTestApp({ env: { REDIS_URL: 'redis://127.0.0.1:1', SHUTDOWN_TIMEOUT_MS: '500' } });
    try {
      const res = await t.http().get('/health').expect(503);
      expect(res.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
      // in words, per dependency: Chinese by default, English on request; the driver's reason kept
      expect(res.body.message).toBe('依赖的服务暂时不可用');
      expect(res.body.details).toEqual([
        { field: 'database', status: 'up', message: 'PostgreSQL 数据库正常' },
        { field: 'redis', status: 'down', message: 'Redis 无响应', reason: expect.any(String) },
      ]);
      const en = await t.http().get('/health').set('Accept-Language', 'en').expect(503);
      expect(en.body.details[1]).toMatchObject({ field: 'redis', message: 'Redis does not answer' });
      // a login needs Redis (the failed-login limit cannot hold without it): 503, not unlimited guessing
      const login = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ username: 'admin', password: 'admin-password-1' });
      expect(login.status).toBe(503);
      expect(login.body.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await t.close();
    }
  });

  it('503 naming the database when PostgreSQL refuses connections', async () => {
    const t = await createTestApp();
    try {
      await t.http().get('/health').expect(200);
      await withAdminClient(async (c) => {
        await c.query(`ALTER DATABASE "${t.databaseName}" ALLOW_CONNECTIONS false`);
        await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [
          t.databaseName,
        ]);
      });
      const res = await t.http().get('/health').expect(503);
      expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
      expect(res.body.details).toContainEqual(
        expect.objectContaining({ field: 'database', status: 'down', message: 'PostgreSQL 数据库无响应' }),
      );
      // a request that needs the database fails as 503 too, not as a bare 500
      await withAdminClient((c) => c.query(`ALTER DATABASE "${t.databaseName}" ALLOW_CONNECTIONS true`));
    } finally {
      await t.close();
    }
  });
});
