import { ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { DomainError } from '../../common/domain-error';
import type { Actor } from '../../modules/auth/auth.decorators';

const REGISTRATION_LIMIT = 'zqt:registration-limit';

/** The route counts against the `registration` throttler (per client address, per hour) too. */
export const RegistrationLimit = () => SetMetadata(REGISTRATION_LIMIT, true);

/** The `registration` throttler applies only where @RegistrationLimit() says. */
export const notRegistration = (context: ExecutionContext): boolean =>
  Reflect.getMetadata(REGISTRATION_LIMIT, context.getHandler()) !== true;

/**
 * SPEC §5: the limit counts per authenticated user, per client address for anonymous calls. Runs after
 * AuthGuard, which sets no actor on public routes (a token there does not change whose limit applies).
 * The address is the socket's unless TRUSTED_PROXIES names the proxy it came through (configure-app).
 */
@Injectable()
export class ThrottleGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const actor = req.actor as Actor | undefined;
    return actor ? `user:${actor.id}` : `ip:${typeof req.ip === 'string' ? req.ip : 'unknown'}`;
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
