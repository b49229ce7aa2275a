import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import Redis from 'ioredis';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { Clock } from '../../src/common/clock';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { configureApp } from '../../src/infra/http/configure-app';
import { buildOpenApiDocument } from '../../src/infra/http/openapi';
import { OpenApiCheck } from './openapi-check';
import { createDatabaseFromTemplate, dropDatabase, REDIS_URL, uniqueName, urlFor } from './test-env';

export interface TestApp {
  app: INestApplication;
  http: () => ReturnType<typeof request>;
  config: AppConfig;
  db: DataSource;
  databaseName: string;
  /** Every answer checked against the app's own OpenAPI document (status listed, body matching). */
  openapi: OpenApiCheck;
  close: () => Promise<void>;
  stop: () => Promise<void>;
}

export const TEST_ADMIN = { username: 'admin', password: 'admin-password-1' };

/** A test's own database (cloned from the migrated template) and Redis prefix. */
export async function createTestContext(
  env: Record<string, string> = {},
  reuse?: { databaseName: string; redisPrefix: string },
  databaseUrl: (url: string) => string = (url) => url,
) {
  const databaseName = reuse?.databaseName ?? (await createDatabaseFromTemplate());
  const redisPrefix = reuse?.redisPrefix ?? uniqueName('r');
  const config = loadConfig({
    DATABASE_URL: databaseUrl(urlFor(databaseName)),
    REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    JWT_SECRET: 'test-secret-that-is-long-enough',
    ADMIN_USERNAME: TEST_ADMIN.username,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    LOG_LEVEL: 'silent',
    DB_POOL_SIZE: '5',
    SHUTDOWN_TIMEOUT_MS: '3000',
    ...env,
  });
  const cleanup = async () => {
    await dropDatabase(databaseName);
    // always the real test Redis: a test may point the app at an unreachable one on purpose
    await deleteRedisPrefix(REDIS_URL, redisPrefix);
  };
  return { databaseName, config, cleanup };
}

/** The whole application, configured as main.ts configures it, on a database of its own. */
export async function createTestApp(
  options: {
    env?: Record<string, string>;
    clock?: Clock;
    /** restart on an existing test database and Redis prefix (after `stop()`) */
    reuse?: { databaseName: string; redisPrefix: string };
    /** rewrites the app's DATABASE_URL (e.g. to reach PostgreSQL through a proxy the test controls) */
    databaseUrl?: (url: string) => string;
    /** where the app's log lines go (set LOG_LEVEL in env too: tests log nothing by default) */
    logDestination?: DestinationStream;
    /**
     * close() fails when an answer was not what the OpenAPI document lists (also for every test app
     * when OPENAPI_CHECK=1); the answers are checked either way, in `openapi`.
     */
    checkResponses?: boolean;
  } = {},
): Promise<TestApp> {
  const ctx = await createTestContext(options.env, options.reuse, options.databaseUrl);
  let app: INestApplication | undefined;
  try {
    // nestjs-pino keeps the first app's logger for lines logged outside a request: this app's, please
    __resetOutOfContextForTests();
    const moduleRef = await Test.createTestingModule({
      imports: [
        AppModule.forRoot({
          config: ctx.config,
          clock: options.clock,
          log: { destination: options.logDestination },
        }),
      ],
    }).compile();
    app = moduleRef.createNestApplication({ bodyParser: false, logger: false });
    app.useLogger(app.get(PinoNestLogger));
    configureApp(app, ctx.config);
    await app.init();
  } catch (err) {
    // a failed boot must not leave connections open, or jest never exits
    await app?.close().catch(() => undefined);
    await ctx.cleanup();
    throw err;
  }
  const server = app.getHttpServer();
  const openapi = new OpenApiCheck(buildOpenApiDocument(app));
  openapi.attach(server);
  const strict = options.checkResponses === true || process.env.OPENAPI_CHECK === '1';
  return {
    app,
    http: () => request(server),
    config: ctx.config,
    db: app.get(DataSource),
    databaseName: ctx.databaseName,
    openapi,
    close: async () => {
      await app.close();
      await ctx.cleanup();
      if (strict && openapi.violations.length > 0) {
        throw new Error(`answers the OpenAPI document does not list:\n${openapi.report()}`);
      }
    },
    /** Stops the app but keeps its database and Redis prefix, for a restart with `reuse`. */
    stop: async () => {
      await app.close();
    },
  };
}

export async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
