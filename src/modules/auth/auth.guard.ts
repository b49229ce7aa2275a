import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import { DomainError } from '../../common/domain-error';
import { ROLES, type Role } from '../users/user.entity';
import { Actor, IS_PUBLIC, ROLES_KEY } from './auth.decorators';

export interface TokenClaims {
  sub: string;
  usr: string;
  role: Role;
  dep: string | null;
  ent: string | null;
}

/** Global: every route needs a valid bearer token unless @Public(); @Roles() narrows who may call. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const req = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets);
    const header = req.headers.authorization;
    if (isPublic && !header) return true;
    const actor = await this.verify(header);
    if (!actor) {
      if (isPublic) return true;
      throw new DomainError(
        'UNAUTHENTICATED',
        header ? 'invalid or expired token' : 'a bearer token is required',
      );
    }
    req.actor = actor;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!isPublic && roles && !(roles as Actor['role'][]).includes(actor.role)) {
      throw DomainError.forbidden(`requires role ${roles.join(' or ')}`);
    }
    return true;
  }

  private async verify(header: string | undefined): Promise<Actor | null> {
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) return null;
    try {
      const claims = await this.jwt.verifyAsync<TokenClaims>(match[1], { algorithms: ['HS256'] });
      if (typeof claims.sub !== 'string' || !ROLES.includes(claims.role)) return null;
      return {
        id: claims.sub,
        username: claims.usr,
        role: claims.role,
        departmentId: claims.dep ?? null,
        enterpriseId: claims.ent ?? null,
      };
    } catch {
      return null;
    }
  }
}
