import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Actor } from '../../modules/auth/auth.decorators';

/** SPEC §5: the limit counts per authenticated user, per IP for anonymous calls. Runs after AuthGuard. */
@Injectable()
export class ThrottleGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const actor = req.actor as Actor | undefined;
    return actor ? `user:${actor.id}` : `ip:${typeof req.ip === 'string' ? req.ip : 'unknown'}`;
  }
}
