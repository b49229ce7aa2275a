import type { Assignment } from './entities/assignment.entity';
import type { ReturnRequest } from './entities/return-request.entity';

/** An assignment (主办 / 协办) as the appeal shows it. */
export interface AssignmentView {
  id: string;
  departmentId: string;
  role: 'lead' | 'co';
  status: Assignment['status'];
  round: number;
  dispatchedAt: Date;
  ackDueAt: Date;
  replyDueAt: Date;
  originalReplyDueAt: Date;
  extendedDays: number;
  acknowledgedAt: Date | null;
  ackOnTime: boolean | null;
  repliedAt: Date | null;
  replyOnTime: boolean | null;
  opinion: string | null;
  returnReason: string | null;
  overdue: boolean;
  warning: boolean;
  /** SPEC §9.1, §9.2: the lead's follow-through deadlines and their recorded verdicts */
  contactDueAt: Date | null;
  contactedAt: Date | null;
  contactedOnTime: boolean | null;
  /** the contact deadline has passed and no contact counted */
  contactOverdue: boolean;
  stagedDueAt: Date | null;
  stagedRepliedAt: Date | null;
  stagedOnTime: boolean | null;
}

export const isOpenAssignment = (a: Pick<Assignment, 'status'>) =>
  a.status === 'dispatched' || a.status === 'in_progress';

/** The deadline that applies now: acknowledgement while dispatched, reply while in progress. */
export const currentDueAt = (a: Pick<Assignment, 'status' | 'ackDueAt' | 'replyDueAt'>) =>
  a.status === 'dispatched' ? a.ackDueAt : a.replyDueAt;

/** Overdue once flagged by enforcement, or as soon as an open step's deadline has passed. */
export function isOverdue(a: Assignment, now: Date): boolean {
  return a.overdue || (isOpenAssignment(a) && currentDueAt(a).getTime() < now.getTime());
}

export function toAssignmentView(a: Assignment, now: Date): AssignmentView {
  return {
    id: a.id,
    departmentId: a.departmentId,
    role: a.role,
    status: a.status,
    round: a.round,
    dispatchedAt: a.dispatchedAt,
    ackDueAt: a.ackDueAt,
    replyDueAt: a.replyDueAt,
    originalReplyDueAt: a.originalReplyDueAt,
    extendedDays: a.extendedDays,
    acknowledgedAt: a.acknowledgedAt,
    ackOnTime: a.ackOnTime,
    repliedAt: a.repliedAt,
    replyOnTime: a.replyOnTime,
    opinion: a.opinion,
    returnReason: a.returnReason,
    overdue: isOverdue(a, now),
    warning: isWarning(a, now),
    contactDueAt: a.contactDueAt,
    contactedAt: a.contactedAt,
    contactedOnTime: a.contactedOnTime,
    contactOverdue: isContactOverdue(a, now),
    stagedDueAt: a.stagedDueAt,
    stagedRepliedAt: a.stagedRepliedAt,
    stagedOnTime: a.stagedOnTime,
  };
}

/** SPEC §9.1: an open lead assignment past its contact deadline with no contact counted. */
export function isContactOverdue(
  a: Pick<Assignment, 'status' | 'contactDueAt' | 'contactedAt'>,
  now: Date,
): boolean {
  return (
    isOpenAssignment(a) &&
    a.contactedAt === null &&
    a.contactDueAt !== null &&
    a.contactDueAt.getTime() < now.getTime()
  );
}

/** Past the warning instant (预警) of its open step: flagged by the timer, or as soon as the instant has passed. */
export function isWarning(a: Assignment, now: Date): boolean {
  const at = warnAt(a);
  return a.warning || (isOpenAssignment(a) && at !== null && at.getTime() < now.getTime());
}

function warnAt(a: Assignment): Date | null {
  return a.status === 'dispatched' ? a.ackWarnAt : a.replyWarnAt;
}

export function returnView(r: ReturnRequest) {
  return {
    id: r.id,
    assignmentId: r.assignmentId,
    departmentId: r.departmentId,
    reason: r.reason,
    suggestedDepartmentId: r.suggestedDepartmentId,
    requestedAt: r.requestedAt,
  };
}
