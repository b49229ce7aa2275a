import 'reflect-metadata';
import { Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { AppConfig, ConfigError, loadConfigFromProcess } from './config/app-config';
import { migrate } from './infra/database/data-source-options';
import { configureApp } from './infra/http/configure-app';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

function logLevels(config: AppConfig): LogLevel[] | false {
  if (config.logLevel === 'silent') return false;
  return LEVELS.slice(0, LEVELS.indexOf(config.logLevel as LogLevel) + 1);
}

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
  const logger = new Logger('Bootstrap');
  const applied = await migrate(config.databaseUrl, {
    calendarTimeZone: config.calendarTimeZone,
    log: (message) => logger.log(message),
  });
  if (applied.length > 0) logger.log(`applied migrations: ${applied.join(', ')}`);
  if (config.role === 'migrate') {
    logger.log(`migrations are up to date (ROLE=migrate): exiting`);
    return;
  }

  const module = AppModule.forRoot({ config });
  if (config.role === 'worker') {
    const ctx = await NestFactory.createApplicationContext(module, { logger: logLevels(config) });
    ctx.enableShutdownHooks();
    logger.log('worker started (ROLE=worker): processing queues, no HTTP');
    return;
  }
  const app = await NestFactory.create(module, { bodyParser: false, logger: logLevels(config) });
  configureApp(app, config);
  await app.listen(config.port, '0.0.0.0');
  const base = `http://localhost:${config.port}`;
  logger.log(`API (ROLE=${config.role}) at ${base}/api/v1 · docs ${base}/api/docs · health ${base}/health`);
}

bootstrap().catch((err: unknown) => {
  console.error('start-up failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
