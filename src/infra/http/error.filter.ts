import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DomainError, ERROR_STATUS, ErrorBody, ErrorCode } from '../../common/domain-error';
import { languageOf, localize } from '../../common/messages';

const STATUS_CODE: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'VALIDATION_FAILED',
  422: 'VALIDATION_FAILED',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/** Network failures and server states that mean PostgreSQL or Redis cannot be reached now. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
const UNREACHABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /not queryable/i,
  /connection is closed/i,
  /stream isn't writeable/i,
  /max retries per request/i,
];

/**
 * SPEC §5: PostgreSQL or Redis out of reach is 503 on every request that needs them. Recognised by the
 * socket error codes, PostgreSQL's connection-exception class (08), shutdown and overload states, a
 * read-only server where a write was meant for the primary (25006, mid-failover), and
 * the messages of pg, its pool and ioredis; the driver's own error is looked at too.
 */
export function isUnreachable(err: unknown): boolean {
  for (const e of [err, (err as { driverError?: unknown })?.driverError]) {
    if (!e || typeof e !== 'object') continue;
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      if (UNREACHABLE_CODES.has(code) || code.startsWith('08')) return true;
      if (['57P01', '57P02', '57P03', '53300'].includes(code)) return true;
      // a write reached a standby not yet promoted (a failover under way behind a proxy): retry later
      if (code === '25006') return true;
    }
    if (typeof message === 'string' && UNREACHABLE_MESSAGES.some((re) => re.test(message))) return true;
  }
  return false;
}

/**
 * SQLSTATEs of values the caller chose that a statement cannot use: constraint and not-null violations,
 * text that is not a number, date or uuid, too long, out of range; text PostgreSQL cannot hold (NUL in a
 * text parameter, 22021; \u0000 or a lone surrogate escape in json, 22P05 — the HTTP layer refuses both
 * before any query, see storable-text, so this is the last line); a LIKE escape, a regular expression, a
 * time zone, an interval or a cast out of range, a LIMIT or OFFSET below zero, a bad parameter value.
 */
const BAD_VALUE_CODES = new Set([
  '23514',
  '23502',
  '22P02',
  '22001',
  '22003',
  '22007',
  '22008',
  '22021',
  '22P05',
  '22025',
  '22019',
  '2201B',
  '22009',
  '22015',
  '22018',
  '2201W',
  '2201X',
  '22023',
]);

/** PostgreSQL errors that are the caller's fault, never a 500. Their bodies name no constraint or table. */
function fromPostgres(
  err: QueryFailedError & { code?: string; detail?: string; constraint?: string },
): ErrorBody | null {
  switch (err.code) {
    case '23505':
      return {
        statusCode: 409,
        code: 'CONFLICT',
        message: 'already exists',
      };
    case '23503':
      return {
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: 'refers to something that does not exist',
      };
    case '54000':
      // a value too large for an index row (program_limit_exceeded)
      return { statusCode: 400, code: 'VALIDATION_FAILED', message: 'a value is too large' };
    case '40001':
    case '40P01':
      return { statusCode: 409, code: 'VERSION_CONFLICT', message: 'concurrent change, retry' };
    default:
      return BAD_VALUE_CODES.has(err.code ?? '')
        ? { statusCode: 400, code: 'VALIDATION_FAILED', message: 'invalid value' }
        : null;
  }
}

/** What a dependency is called where people read it, in the English the catalogue translates. */
const DEPENDENCY_NAMES: Record<string, string> = { database: 'PostgreSQL', redis: 'Redis' };

/**
 * /health's 503: one entry per dependency (`field` its key), saying in words whether it answers; the
 * driver's own words (a socket error, a timeout) stay as `reason`, untranslated, for the operator.
 */
function healthDetails(
  checks: unknown,
): { field: string; status: string; message: string; reason?: string }[] {
  if (!checks || typeof checks !== 'object') return [];
  return Object.entries(checks as Record<string, { status?: string; message?: unknown }>).map(([key, c]) => {
    const name = DEPENDENCY_NAMES[key] ?? key;
    const up = c?.status === 'up';
    return {
      field: key,
      status: up ? 'up' : 'down',
      message: up ? `${name} answers` : `${name} does not answer`,
      ...(!up && typeof c?.message === 'string' ? { reason: c.message } : {}),
    };
  });
}

/** Renders any failure as SPEC §5's {statusCode, code, message, details}, in English (sendError localises). */
export function toErrorBody(exception: unknown): { body: ErrorBody; retryAfter?: number } {
  if (exception instanceof DomainError) {
    const body: ErrorBody = {
      statusCode: exception.statusCode,
      code: exception.code,
      message: exception.message,
    };
    if (exception.details !== undefined) body.details = exception.details;
    return { body, retryAfter: exception.retryAfterSeconds };
  }
  if (exception instanceof ThrottlerException) {
    return { body: { statusCode: 429, code: 'RATE_LIMITED', message: 'too many requests' } };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code: ErrorCode = STATUS_CODE[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_FAILED');
    const response = exception.getResponse();
    let message = exception.message;
    let details: unknown;
    if (typeof response === 'object' && response !== null) {
      const r = response as Record<string, unknown>;
      if (r.code && typeof r.code === 'string' && r.code in ERROR_STATUS) {
        return {
          body: {
            statusCode: status,
            code: r.code as ErrorCode,
            message: typeof r.message === 'string' ? r.message : message,
            details: r.details,
          },
        };
      }
      if (Array.isArray(r.message)) {
        details = r.message;
        message = 'validation failed';
      } else if (typeof r.message === 'string') {
        message = r.message;
      }
      if (status === 503 && r.status === 'error') {
        details = healthDetails(r.details);
        message = 'a dependency is unavailable';
      }
    }
    const body: ErrorBody = { statusCode: status, code, message };
    if (details !== undefined) body.details = details;
    return { body };
  }
  if (isUnreachable(exception)) {
    return {
      body: { statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: 'a dependency is unavailable, retry' },
      retryAfter: 5,
    };
  }
  if (exception instanceof QueryFailedError) {
    const mapped = fromPostgres(exception as QueryFailedError & { code?: string });
    if (mapped) return { body: mapped };
  }
  // body-parser errors carry a status and a type
  const e = exception as { type?: string; status?: number; statusCode?: number; message?: string };
  if (e && e.type === 'entity.too.large') {
    return { body: { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: 'request body is too large' } };
  }
  if (
    (e && typeof e.type === 'string' && e.type.startsWith('entity.')) ||
    e?.type === 'charset.unsupported' ||
    e?.type === 'encoding.unsupported'
  ) {
    return { body: { statusCode: 400, code: 'VALIDATION_FAILED', message: 'malformed request body' } };
  }
  if (e && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return {
      body: {
        statusCode: e.status,
        code: STATUS_CODE[e.status] ?? 'VALIDATION_FAILED',
        message: e.message ?? 'bad request',
      },
    };
  }
  return { body: { statusCode: 500, code: 'INTERNAL_ERROR', message: 'internal error' } };
}

export function sendError(res: Response, exception: unknown, logger: Logger, req?: Request): void {
  const { body, retryAfter } = toErrorBody(exception);
  if (body.statusCode >= 500 && body.statusCode !== 503) {
    // the path without its query string: a search query may carry a name or a phone number
    const path = req?.originalUrl?.split('?')[0];
    logger.error(`${req?.method} ${path}: ${(exception as Error)?.stack ?? String(exception)}`);
  }
  if (body.code === 'RATE_LIMITED' && retryAfter === undefined && !res.getHeader('Retry-After')) {
    res.setHeader('Retry-After', '60');
  }
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryAfter))));
  if (res.headersSent) return;
  // SPEC §5.1: Chinese unless Accept-Language prefers English; the English is what the code wrote
  res.setHeader('Vary', 'Accept-Language');
  res.status(body.statusCode).json(localize(body, languageOf(req?.headers['accept-language'])));
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    sendError(ctx.getResponse<Response>(), exception, this.logger, ctx.getRequest<Request>());
  }
}

export { HttpStatus };
