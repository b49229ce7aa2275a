import { INestApplication, Logger } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { AppConfig } from '../../config/app-config';
import { DomainError } from '../../common/domain-error';
import { HttpLogging } from '../observability/logging';
import { buildOpenApiDocument } from './openapi';
import { MAX_BODY_DEPTH, nestedDeeperThan } from './body-depth';
import { serveDashboard } from './dashboard';
import { serveWorkbench } from './workbench';
import { localTimeReplacer } from './local-time-json';
import { sendError } from './error.filter';
import { UNSTORABLE_MESSAGE, unstorableField, unstorablePath } from './storable-text';
import { validationPipe } from './validation';

export const API_PREFIX = 'api/v1';

/** Every route under /api/v1 but the probes (also used to build the OpenAPI document on its own). */
export function setRoutePrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'metrics'] });
}

/** Everything HTTP that is not a route: shared by main.ts and the e2e tests, so tests run what ships. */
export function configureApp(app: INestApplication, config: AppConfig): void {
  const express = app as NestExpressApplication;
  const logger = new Logger('HTTP');
  // first: every request gets its id and its one log line, also those the body parser rejects
  express.use(app.get(HttpLogging).middleware);
  // SPEC §5: the client address is the socket's; X-Forwarded-For counts only from TRUSTED_PROXIES
  express.set('trust proxy', config.trustedProxies.length > 0 ? config.trustedProxies : false);
  express.disable('x-powered-by');
  express.set('json replacer', localTimeReplacer(config.calendarTimeZone));
  // JSON API only: CSP is for pages; the docs UI needs its inline bootstrap script
  express.use(helmet({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false }));
  // the supervisors' dashboard: static pages under a strict CSP of their own
  serveDashboard(express, config);
  // the desks of the centre, the departments and the enterprises: the same, under their own CSP
  serveWorkbench(express, config);
  // Our own body parser with an explicit limit; its errors (too large, malformed) become SPEC §5 bodies
  express.useBodyParser('json', { limit: config.bodyLimit, strict: true });
  express.use((req: Request, res: Response, next: NextFunction) => {
    if (!nestedDeeperThan(req.body, MAX_BODY_DEPTH)) return next();
    sendError(
      res,
      DomainError.validation(`the body is nested deeper than ${MAX_BODY_DEPTH} levels`, [
        { field: 'body', message: `at most ${MAX_BODY_DEPTH} levels of objects and arrays` },
      ]),
      logger,
      req,
    );
  });
  // SPEC §5.1: NUL or half a surrogate pair in any string of the path, the query or the body is 400
  // here, for every route, before validation and before any query could carry it to PostgreSQL
  express.use((req: Request, res: Response, next: NextFunction) => {
    const field = unstorablePath(req.path)
      ? 'path'
      : (unstorableField(req.query) ?? unstorableField(req.body));
    if (field === null) return next();
    sendError(
      res,
      DomainError.validation('validation failed', [{ field, message: `${field} ${UNSTORABLE_MESSAGE}` }]),
      logger,
      req,
    );
  });
  express.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    sendError(res, err, logger, req);
  });
  setRoutePrefix(express);
  express.useGlobalPipes(validationPipe());
  express.enableShutdownHooks();

  const document = buildOpenApiDocument(express);
  SwaggerModule.setup('api/docs', express, document, { jsonDocumentUrl: 'api/docs-json' });
}
