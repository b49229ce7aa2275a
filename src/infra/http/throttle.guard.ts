import { ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  normalizeIp,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import { DomainError } from '../../common/domain-error';
import { IS_PUBLIC } from '../../modules/auth/auth.decorators';
import { BearerTokens } from '../../modules/auth/bearer-tokens';

const REGISTRATION_LIMIT = 'zqt:registration-limit';

/** The route counts against the `registration` throttler (per client address, per hour) too. */
export const RegistrationLimit = () => SetMetadata(REGISTRATION_LIMIT, true);

/** The `registration` throttler applies only where @RegistrationLimit() says. */
export const notRegistration = (context: ExecutionContext): boolean =>
  Reflect.getMetadata(REGISTRATION_LIMIT, context.getHandler()) !== true;

/** The tracker of a request to a protected route without a token whose signature holds. */
const UNAUTHENTICATED = 'unauthenticated:';

/**
 * SPEC §5 and §5.1: the limit counts per authenticated user, and per client address for anonymous
 * calls and for every request that carries no valid token. It runs BEFORE AuthGuard, so a request past
 * its limit is refused before authentication costs a database lookup, and requests that will be 401
 * are counted too. Whose bucket a request fills is decided without the database:
 *
 * - a public route: the client address (a token there does not change whose limit applies);
 * - a token whose signature and expiry hold: its user at the token's version (`ver`). Every live token
 *   of a user carries the user's current version, so this is the per-user limit; a revoked token (an
 *   older version) fills a bucket of its own, so it is throttled like any caller without using up the
 *   limit of the user's live tokens;
 * - anything else (no token, a malformed, forged or expired one): the client address, in one bucket
 *   for all protected routes together, since every one of those requests will be refused.
 *
 * The address is the socket's unless TRUSTED_PROXIES names the proxy it came through (configure-app);
 * IPv6 addresses count by their /64, IPv4-mapped ones as the IPv4 address.
 */
@Injectable()
export class ThrottleGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly tokens: BearerTokens,
  ) {
    super(options, storage, reflector);
  }

  protected override async getTracker(
    req: Record<string, unknown>,
    context?: ExecutionContext,
  ): Promise<string> {
    const address = typeof req.ip === 'string' ? normalizeIp(req.ip, this.ipv6SubnetPrefix) : 'unknown';
    const isPublic =
      context &&
      this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return `ip:${address}`;
    const claims = await this.tokens.claims(req as { headers: { authorization?: string } });
    return claims ? `user:${claims.sub}:v${claims.ver ?? 0}` : `${UNAUTHENTICATED}${address}`;
  }

  /** Per route, as the library keys it; requests without a valid token share one bucket per address. */
  protected override generateKey(context: ExecutionContext, tracker: string, name: string): string {
    if (!tracker.startsWith(UNAUTHENTICATED)) return super.generateKey(context, tracker, name);
    return createHash('sha256').update(`${name}-${tracker}`).digest('hex');
  }

  /** One 429 body and a plain `Retry-After` whichever throttler refused (not `Retry-After-<name>`). */
  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new DomainError(
      'RATE_LIMITED',
      'too many requests; try later',
      undefined,
      Math.max(1, detail.timeToBlockExpire || detail.timeToExpire),
    );
  }
}
