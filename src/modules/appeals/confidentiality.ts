import type { Actor } from '../auth/auth.decorators';

/**
 * Who reads an appeal: a caller of the API, or an outside system through a webhook (which sees the filer
 * only when it was created with `confidentialAccess: true`).
 */
export type Reader = Pick<Actor, 'role'> | { webhook: true; confidentialAccess: boolean };

/**
 * SPEC §2, the one rule every answer and channel follows: a confidential appeal (举报人保密) hides its
 * filer from departments and from webhooks without confidential access. The centre, supervisors, admins
 * and the enterprise itself see the filer.
 */
export function hidesFiler(appeal: { confidential: boolean }, reader: Reader): boolean {
  if (!appeal.confidential) return false;
  return 'webhook' in reader ? !reader.confidentialAccess : reader.role === 'handler';
}

/** The values that identify a filer in an appeal as shown: the enterprise and its contacts. */
export const FILER_FIELDS = ['enterpriseId', 'enterpriseName', 'contactName', 'contactPhone'] as const;

/** The view with the filer's fields emptied. */
export function withoutFiler<T extends Record<(typeof FILER_FIELDS)[number], unknown>>(view: T): T {
  return { ...view, enterpriseId: null, enterpriseName: null, contactName: null, contactPhone: null };
}

/**
 * An event as a reader may see it: where the filer is hidden, the enterprise's own events (filing,
 * supplements, surveys, withdrawal) show no actor, since the enterprise user's id names the filer just as
 * well as its name does.
 */
export function eventFor<E extends { actorId: string | null; actorRole: string }>(
  event: E,
  hidden: boolean,
): E {
  return hidden && event.actorRole === 'enterprise' ? { ...event, actorId: null } : event;
}
