import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '../users/user.entity';

/** Who is calling, from the verified bearer token. */
export interface Actor {
  id: string;
  username: string;
  /** 'system' only for work the service does on its own (automatic routing); never from a token. */
  role: Role | 'system';
  departmentId: string | null;
  enterpriseId: string | null;
}

export const IS_PUBLIC = 'zqt:public';
export const ROLES_KEY = 'zqt:roles';

/** No token needed (login, registration, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call; others get 403 FORBIDDEN. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<{ actor?: Actor }>();
  if (!req.actor) throw new Error('CurrentActor used on a public route');
  return req.actor;
});
