import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ROLES } from '../users/user.entity';
import type { TokenClaims } from './auth.guard';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The claims of a request's bearer token when its signature and expiry hold and its claims are well
 * formed — no database: whether the token is still current (its user active, its version the user's)
 * is AuthGuard's lookup. The rate limiter reads this before authentication (SPEC §5.1: requests without
 * a valid token are limited per client address) and AuthGuard after it; the token is verified once per
 * request.
 */
@Injectable()
export class BearerTokens {
  private readonly read = new WeakMap<object, Promise<TokenClaims | null>>();

  constructor(private readonly jwt: JwtService) {}

  claims(req: { headers: { authorization?: string } }): Promise<TokenClaims | null> {
    let claims = this.read.get(req);
    if (!claims) {
      claims = this.verify(req.headers.authorization);
      this.read.set(req, claims);
    }
    return claims;
  }

  private async verify(header: string | undefined): Promise<TokenClaims | null> {
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) return null;
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(match[1], { algorithms: ['HS256'] });
    } catch {
      return null;
    }
    if (typeof claims.sub !== 'string' || !UUID.test(claims.sub) || !ROLES.includes(claims.role)) return null;
    return claims;
  }
}
