import type { Actor } from '../auth/auth.decorators';
import { isActiveWhistle } from '../whistles/whistle.view';
import { allowedActions, type CaseFacts } from '../workflow/allowed-actions';
import type { AppealView } from './appeal-view';

/**
 * What the caller may do on the appeal it sees (GET /appeals/{id}/actions): the facts of the caller's
 * view of the appeal, put to the workflow room's allowedActions (the transition table plus those facts).
 */
export function allowedActionsView(view: AppealView, actor: Actor, maxReopens: number, now: Date) {
  const dep = actor.role === 'handler' ? actor.departmentId : null;
  const mine = dep
    ? view.assignments.find(
        (s) => s.departmentId === dep && (s.status === 'dispatched' || s.status === 'in_progress'),
      )
    : undefined;
  const roleOf = (assignmentId: string) => view.assignments.find((s) => s.id === assignmentId)?.role;
  const facts: CaseFacts = {
    status: view.status,
    role: actor.role,
    confidential: view.confidential,
    reopenCount: view.reopenCount,
    maxReopens,
    own: mine
      ? {
          role: mine.role,
          status: mine.status as 'dispatched' | 'in_progress',
          returnPending: view.pendingReturns.some((r) => r.assignmentId === mine.id),
          extensionPending: view.pendingExtension?.assignmentId === mine.id,
          replyDuePassed: new Date(mine.replyDueAt).getTime() < now.getTime(),
        }
      : null,
    pendingReturnRoles: view.pendingReturns
      .map((r) => roleOf(r.assignmentId))
      .filter((r): r is 'lead' | 'co' => r !== undefined),
    extensionPending: view.pendingExtension?.status === 'pending',
    openLead: view.assignments.some(
      (s) => s.role === 'lead' && (s.status === 'dispatched' || s.status === 'in_progress'),
    ),
    plan: view.plan
      ? { status: view.plan.status, own: dep !== null && view.plan.departmentId === dep }
      : null,
    whistleActive: view.whistle !== null && isActiveWhistle(view.whistle.status),
    supervisionToAnswer:
      dep !== null &&
      view.supervisions.some(
        (v) => v.departmentId === dep && v.level === 'supervision' && v.status === 'open',
      ),
    leaderLed: view.leaderLed,
  };
  return { appealId: view.id, status: view.status, version: view.version, actions: allowedActions(facts) };
}
