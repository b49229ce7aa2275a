import { Param } from '@nestjs/common';
import { ParseIdPipe } from '../../infra/http/validation';
import { Actor, Roles } from '../auth/auth.decorators';
import { rolesFor } from '../workflow/appeal-state-machine';

type Role = Exclude<Actor['role'], 'system'>;

/** The transition table decides who may call each action (403 for any other role). */
export const may = (...actions: Parameters<typeof rolesFor>) =>
  Roles(...rolesFor(...actions).filter((r): r is Role => r !== 'system'));

/** The appeal id of a route under /appeals/{id}. */
export const Id = () => Param('id', new ParseIdPipe());
