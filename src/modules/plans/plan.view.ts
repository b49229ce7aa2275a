import type { Viewer } from '../appeals/disclosure';
import { seesInternalNotes } from '../appeals/disclosure';
import type { Plan } from './entities/plan.entity';
import { isFeedbackOverdue, isPlanOverdue } from './plan-rules';

/**
 * A plan as the API shows it (SPEC §9.3), with its department's name and the appeal's number and title
 * beside the ids. The enterprise reads the whole plan — it is the answer it was given — but no staff
 * user id (SPEC §5.1).
 */
export function toPlanView(
  p: Plan,
  viewer: Viewer,
  now: Date,
  names: { departmentName: string | null; appealNumber?: string | null; appealTitle?: string | null },
) {
  const internal = seesInternalNotes(viewer);
  return {
    id: p.id,
    appealId: p.appealId,
    appealNumber: names.appealNumber ?? null,
    appealTitle: names.appealTitle ?? null,
    departmentId: p.departmentId,
    departmentName: names.departmentName,
    department: { id: p.departmentId, name: names.departmentName },
    content: p.content,
    promisedBy: p.promisedBy,
    nextFeedbackAt: p.nextFeedbackAt,
    status: p.status,
    overdue: isPlanOverdue(p, now),
    feedbackOverdue: isFeedbackOverdue(p, now),
    feedbacksMissed: p.feedbacksMissed,
    updates: (p.updates ?? []).map((u) => ({
      content: u.content,
      nextFeedbackAt: new Date(u.nextFeedbackAt),
      at: new Date(u.at),
      ...(internal ? { by: u.by } : {}),
    })),
    fulfilContent: p.fulfilContent,
    fulfilledAt: p.fulfilledAt,
    fulfilledOnTime: p.fulfilledOnTime,
    confirmedAt: p.confirmedAt,
    confirmedResolved: p.confirmedResolved,
    confirmComment: p.confirmComment,
    confirmedViaPhone: p.confirmedRole === null ? null : p.confirmedRole === 'dispatcher',
    cancelledAt: p.cancelledAt,
    cancelReason: p.cancelReason,
    createdAt: p.createdAt,
    ...(internal ? { createdBy: p.createdBy, fulfilledBy: p.fulfilledBy } : {}),
  };
}
export type PlanView = ReturnType<typeof toPlanView>;
