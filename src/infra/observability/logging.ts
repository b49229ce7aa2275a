import { DynamicModule, Inject, Injectable, Module, RequestMethod } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { LoggerModule } from 'nestjs-pino';
import { storage, Store } from 'nestjs-pino/storage';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import pino, { DestinationStream, Level, LevelWithSilent, Logger as PinoLogger, LoggerOptions } from 'pino';
import { HttpLogger, pinoHttp } from 'pino-http';
import type { AppConfig } from '../../config/app-config';

/** The process's root pino logger: every log line (HTTP, jobs, Nest's Logger) is a child of it. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

export const REQUEST_ID_HEADER = 'X-Request-Id';
/** A caller's request id is kept when it is a plain token (UUIDs, hex, trace ids); else one is made. */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * Keys whose values never reach a log line, at any of the first three levels of a logged object.
 * Request and response objects are not logged at all (only the fields of `requestFields`); this
 * list covers objects code logs on purpose or by mistake: contact data, credentials, tokens, webhook
 * bodies (they carry an appeal snapshot with its contacts) and SQL parameters.
 */
export const SECRET_KEYS: readonly string[] = [
  'password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'password_hash',
  'contactPhone',
  'contactName',
  'contact_phone',
  'contact_name',
  'authorization',
  'cookie',
  'token',
  'accessToken',
  'secret',
  'body',
  'parameters',
];
const SECRETS: ReadonlySet<string> = new Set(SECRET_KEYS);
const CENSOR = '[redacted]';
/** Levels of a logged object whose keys are looked at: the line's own, its objects', and theirs. */
const REDACT_DEPTH = 3;

/**
 * `value` with whatever sits under a SECRET_KEYS key in its first three levels (array items count as a
 * level, their indices as keys) replaced by '[redacted]': the line's own keys, its objects' and theirs,
 * class instances and errors included (a driver's error carries `parameters`). What changes is copied —
 * an object with its prototype and every own property, so an error stays an error — and the caller's
 * objects are never modified; a line without secrets comes back as it was. Objects that serialise
 * through `toJSON` (Date, Buffer) are left to it. One walk over the object, however many keys are
 * secret: pino's own `redact` tried each of 48 paths on every line (about 45 µs a line, a tenth of a
 * worker's time per deadline fired).
 */
export function redactSecrets<T>(value: T, depth = REDACT_DEPTH): T {
  if (depth === 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const next = redactSecrets(value[i] as unknown, depth - 1);
      if (next !== value[i]) (copy ??= [...value])[i] = next;
    }
    return (copy ?? value) as T;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  const source = value as Record<string, unknown>;
  let changed: PropertyDescriptorMap | null = null;
  for (const key of Object.keys(source)) {
    const current = source[key];
    const next = SECRETS.has(key) ? CENSOR : redactSecrets(current, depth - 1);
    if (next !== current)
      (changed ??= {})[key] = { value: next, enumerable: true, writable: true, configurable: true };
  }
  if (!changed) return value;
  const descriptors = { ...Object.getOwnPropertyDescriptors(source), ...changed };
  return Object.create(Object.getPrototypeOf(source) as object | null, descriptors) as T;
}

/** LOG_LEVEL in Nest's words (log, verbose) or pino's (info, trace). */
export function pinoLevel(level: string): LevelWithSilent {
  if (level === 'log') return 'info';
  if (level === 'verbose') return 'trace';
  return level as LevelWithSilent;
}

/** Errors as type, message, code and stack: never their other properties (a query's parameters, a driver's detail). */
export function serializeError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const code = (err as { code?: unknown }).code;
  return {
    type: err.constructor?.name ?? 'Error',
    message: err.message,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    stack: err.stack,
  };
}

export function rootLoggerOptions(config: AppConfig): LoggerOptions {
  return {
    level: pinoLevel(config.logLevel),
    base: { pid: process.pid, hostname: hostname(), role: config.role },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      // the secrets of each line's object (see redactSecrets; a child's bindings: createRootLogger)
      log: (object) => redactSecrets(object),
    },
    serializers: { err: serializeError },
  };
}

export interface LogOutput {
  /** A root logger made already (main.ts logs the migrations before the app exists). */
  logger?: PinoLogger;
  /** Where lines go instead of stdout (tests capture them). */
  destination?: DestinationStream;
  /** Human-readable lines through pino-pretty (when installed) instead of JSON. */
  pretty?: boolean;
}

/** The root logger: JSON lines on stdout, or pretty lines for a person at a terminal. */
export function createRootLogger(config: AppConfig, output: LogOutput = {}): PinoLogger {
  if (output.logger) return output.logger;
  const options = rootLoggerOptions(config);
  // stdout written synchronously: a line is out before the process can die, and no exit hook is
  // left behind (pino's asynchronous stdout registers one per logger, which kept test runs alive)
  const destination =
    output.destination ??
    (output.pretty ? prettyStream() : undefined) ??
    pino.destination({ dest: 1, sync: true });
  return redactingChildren(pino(options, destination));
}

/**
 * pino applies `formatters.bindings` to the root's own bindings only, so the bindings of a child (a
 * request's, a job's) are redacted here: every child is made from `logger` or from a child of it, and
 * inherits this `child`. A binding the child's logger has a serializer for (pino-http's `req`, `err`) is
 * left to that serializer, which pino runs on it next, as its own redaction ran after the serializers.
 */
function redactingChildren(logger: PinoLogger): PinoLogger {
  type Child = (this: PinoLogger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions) => PinoLogger;
  const child = Reflect.get(logger, 'child') as unknown as Child;
  Object.defineProperty(logger, 'child', {
    configurable: true,
    writable: true,
    value: function (this: PinoLogger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions) {
      const serializers = (Reflect.get(this, pino.symbols.serializersSym) ?? {}) as Record<string, unknown>;
      const redacted: pino.Bindings = {};
      for (const [key, value] of Object.entries(bindings))
        redacted[key] = key in serializers ? value : redactSecrets({ [key]: value })[key];
      return child.call(this, redacted, options);
    },
  });
  return logger;
}

function prettyStream(): DestinationStream | undefined {
  try {
    // a devDependency: a production install has none, and JSON is what it wants anyway
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as typeof import('pino-pretty');
    return pretty({
      colorize: true,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,role',
      sync: true,
    });
  } catch {
    return undefined;
  }
}

type LoggedRequest = Request & {
  id?: unknown;
  actor?: { id: string; role: string };
  route?: { path?: string };
};

/** The route pattern (`/api/v1/appeals/:id`), never the URL: ids stay out of aggregations, queries out of logs. */
export function routeOf(req: Request): string {
  const path = (req as LoggedRequest).route?.path;
  // no route, or only the catch-all of a middleware (`/api/v1/*path`): nothing answered this URL
  if (typeof path !== 'string' || path.includes('*')) return 'unmatched';
  return `${req.baseUrl ?? ''}${path}`;
}

/**
 * The fields of a request's one log line. Nothing from the body, the headers or the query string:
 * those carry contact data, passwords and tokens.
 */
export function requestFields(req: Request, res: Response, durationMs: number): Record<string, unknown> {
  const r = req as LoggedRequest;
  const route = routeOf(req);
  const fields: Record<string, unknown> = {
    method: req.method,
    route,
    path: (req.originalUrl ?? req.url ?? '').split('?')[0],
    status: res.statusCode,
    durationMs,
  };
  if (r.actor) {
    fields.actorId = r.actor.id;
    fields.actorRole = r.actor.role;
  }
  const appealId = (req.params as Record<string, unknown> | undefined)?.id;
  if (typeof appealId === 'string' && /\/appeals\/:id(\/|$)/.test(route)) fields.appealId = appealId;
  return fields;
}

function levelFor(req: Request, res: Response, err?: Error): Level {
  if (res.statusCode === 503) return 'warn';
  if (err || res.statusCode >= 500) return 'error';
  // scrapes and health probes arrive every few seconds: visible at debug only
  if (res.statusCode < 400 && /^\/(health|metrics)(\/|\?|$)/.test(req.originalUrl ?? req.url ?? ''))
    return 'debug';
  return 'info';
}

/** The request id of a request: the caller's X-Request-Id when it is a sane token, else a new UUID. */
export function requestIdFor(req: Request): string {
  const sent = req.headers['x-request-id'];
  const value = Array.isArray(sent) ? sent[0] : sent;
  return typeof value === 'string' && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}

/**
 * One log line per request (pino-http) with the request id echoed in the response, and the request's
 * logger bound for everything logged while it runs (Nest's Logger included, through nestjs-pino).
 */
@Injectable()
export class HttpLogging {
  private readonly http: HttpLogger;

  constructor(@Inject(ROOT_LOGGER) root: PinoLogger) {
    this.http = pinoHttp({
      logger: root,
      quietReqLogger: true,
      quietResLogger: true,
      customAttributeKeys: { reqId: 'requestId' },
      // pino-http binds the whole request to a child logger on every request, even when, as here, no line
      // uses that logger: serialising and redacting the request there cost more than the rest of the log
      // line. Lines carry requestFields() only, never the request object, so it is dropped unserialised.
      wrapSerializers: false,
      serializers: { req: () => undefined },
      genReqId: (req, res) => {
        const id = requestIdFor(req as Request);
        res.setHeader(REQUEST_ID_HEADER, id);
        return id;
      },
      customLogLevel: (req, res, err) => levelFor(req as Request, res as Response, err),
      customSuccessObject: (req, res, obj: { responseTime: number }) =>
        requestFields(req as Request, res as Response, obj.responseTime),
      customErrorObject: (req, res, _err, obj: { responseTime: number }) =>
        requestFields(req as Request, res as Response, obj.responseTime),
      customSuccessMessage: (req, res) =>
        `${req.method} ${routeOf(req as Request)} ${res.statusCode}${res.writableEnded ? '' : ' (aborted)'}`,
      customErrorMessage: (req, res) => `${req.method} ${routeOf(req as Request)} ${res.statusCode}`,
    });
  }

  /** Express middleware: first in the chain, so body-parser rejections are logged too. */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    this.http(req, res);
    runWithLogger((req as unknown as { log: PinoLogger }).log, next);
  };
}

/** Runs fn with `logger` as the logger of everything logged inside it (Nest's Logger included). */
/**
 * A child of `parent` with these bindings, made when something first logs through it: making a child
 * serialises and redacts its bindings (tens of microseconds), which a job that logs nothing — most
 * deadline wake-ups — need not pay. A level that is off answers a no-op without making the child.
 */
export function lazyChild(parent: PinoLogger, bindings: Record<string, unknown>): PinoLogger {
  let child: PinoLogger | undefined;
  const made = () => (child ??= parent.child(bindings));
  return new Proxy(parent, {
    get(_target, prop) {
      if (child === undefined && typeof prop === 'string' && prop in parent.levels.values) {
        const method = Reflect.get(parent, prop, parent) as unknown;
        if (typeof method === 'function' && !parent.isLevelEnabled(prop)) return noop;
      }
      const c = made();
      const value = Reflect.get(c, prop, c) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(c) : value;
    },
  });
}

const noop = () => undefined;

export function runWithLogger<T>(logger: PinoLogger, fn: () => T): T {
  return storage.run(new Store(logger), fn);
}

/** Structured logs for the whole application (pino through nestjs-pino); the root logger is made by the caller. */
@Module({})
export class LoggingModule {
  static forRoot(root: PinoLogger): DynamicModule {
    return {
      module: LoggingModule,
      global: true,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: { logger: root },
          // HttpLogging runs pino-http itself, first in the chain; this binds its request logger for Nest
          useExisting: true,
          forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
        }),
      ],
      providers: [{ provide: ROOT_LOGGER, useValue: root }, HttpLogging],
      exports: [ROOT_LOGGER, HttpLogging],
    };
  }
}
