import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig, ConfigError, loadConfigFromProcess } from './config/app-config';
import { migrate } from './infra/database/data-source-options';
import { configureApp } from './infra/http/configure-app';
import { createRootLogger } from './infra/observability/logging';
import { Metrics } from './infra/observability/metrics';
import { serveMetrics } from './infra/observability/metrics-server';

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfigFromProcess();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  // JSON lines unless a person watches a terminal (LOG_FORMAT=auto) or asks for pretty lines
  const pretty =
    config.logFormat === 'pretty' || (config.logFormat === 'auto' && process.stdout.isTTY === true);
  const root = createRootLogger(config, { pretty });
  const bootLog = root.child({ context: 'Bootstrap' });
  const applied = await migrate(config.databaseUrl, {
    calendarTimeZone: config.calendarTimeZone,
    log: (message) => bootLog.info(message),
  });
  if (applied.length > 0) bootLog.info(`applied migrations: ${applied.join(', ')}`);
  if (config.role === 'migrate') {
    bootLog.info('migrations are up to date (ROLE=migrate): exiting');
    return;
  }

  const module = AppModule.forRoot({ config, log: { logger: root } });
  const logger = new Logger('Bootstrap');
  if (config.role === 'worker') {
    const ctx = await NestFactory.createApplicationContext(module, { bufferLogs: true });
    ctx.useLogger(ctx.get(PinoNestLogger));
    ctx.enableShutdownHooks();
    logger.log('worker started (ROLE=worker): processing queues, no HTTP');
    if (config.metricsPort !== undefined) {
      const server = await serveMetrics(ctx.get(Metrics).registry, config.metricsPort, (err) =>
        logger.error(`metrics port ${config.metricsPort} unavailable: ${err.message}`),
      );
      // the port alone never keeps the process alive: shutdown goes as without it
      server?.unref();
      if (server) logger.log(`metrics at http://localhost:${config.metricsPort}/metrics`);
    }
    return;
  }
  const app = await NestFactory.create(module, { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(PinoNestLogger));
  configureApp(app, config);
  await app.listen(config.port, '0.0.0.0');
  const base = `http://localhost:${config.port}`;
  logger.log(`API (ROLE=${config.role}) at ${base}/api/v1 · docs ${base}/api/docs · health ${base}/health`);
  logger.log(`workbench (受理派单台 · 承办工作台 · 我的诉求) at ${base}/workbench · dashboard ${base}/dashboard`);
}

bootstrap().catch((err: unknown) => {
  console.error('start-up failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
