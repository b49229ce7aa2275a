import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import type { Role } from '../users/user.entity';
import { Actor, IS_PUBLIC, ROLES_KEY } from './auth.decorators';
import { BearerTokens } from './bearer-tokens';

export interface TokenClaims {
  sub: string;
  usr: string;
  role: Role;
  dep: string | null;
  ent: string | null;
  /** the user's token version when issued (users.token_version) */
  ver?: number;
}

/**
 * Global: every route needs a valid bearer token unless @Public(); @Roles() narrows who may call.
 * A public route ignores any token it is sent (SPEC §5: a token does not change whose limit applies
 * there). A token is valid while its user is active and its `ver` equals the user's token version,
 * read on every request (one primary-key lookup, no cache), so deactivation or a password change ends
 * it on the very next request. It runs after the rate limiter (ThrottleGuard), so a request that is
 * over its limit never costs that lookup.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: BearerTokens,
    private readonly db: DataSource,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const req = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets);
    if (isPublic) return true;
    const header = req.headers.authorization;
    const actor = await this.verify(req);
    if (!actor) {
      throw new DomainError(
        'UNAUTHENTICATED',
        header ? 'invalid or expired token' : 'a bearer token is required',
      );
    }
    req.actor = actor;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !(roles as Actor['role'][]).includes(actor.role)) {
      throw DomainError.forbidden(`requires role ${roles.join(' or ')}`);
    }
    return true;
  }

  private async verify(req: Request): Promise<Actor | null> {
    const claims = await this.tokens.claims(req);
    if (!claims) return null;
    if (!(await this.current(claims.sub, claims.ver ?? 0))) return null;
    return {
      id: claims.sub,
      username: claims.usr,
      role: claims.role,
      departmentId: claims.dep ?? null,
      enterpriseId: claims.ent ?? null,
    };
  }

  /** The user still active at the token's version. Errors (database out of reach) propagate: 503. */
  private async current(userId: string, version: number): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM users WHERE id = $1 AND active AND token_version = $2`,
      [userId, version],
    );
    return rows.length === 1;
  }
}
