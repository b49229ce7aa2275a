import type { AppealType, Urgency } from './entities/appeal.entity';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export interface AssignmentDeadlines {
  ackDueAt: Date;
  ackWarnAt: Date;
  replyDueAt: Date;
  replyWarnAt: Date;
}

/**
 * A fixed, natural-time rule until SLA policies and the working-day calendar take over (SPEC §3):
 * urgent cases acknowledged in 2 h and answered in 24 h (Beijing practice); otherwise acknowledged
 * within a day and answered within 5 days (consultations 3). Warnings at warnAt of each span.
 */
export function planDeadlines(
  at: Date,
  p: { type: AppealType; urgency: Urgency; warnAt: number },
): AssignmentDeadlines {
  const ack = p.urgency === 'urgent' ? 2 * HOUR : DAY;
  const reply = p.urgency === 'urgent' ? DAY : p.type === 'consultation' ? 3 * DAY : 5 * DAY;
  return {
    ackDueAt: new Date(at.getTime() + ack),
    ackWarnAt: new Date(at.getTime() + ack * p.warnAt),
    replyDueAt: new Date(at.getTime() + reply),
    replyWarnAt: new Date(at.getTime() + reply * p.warnAt),
  };
}

/** A fresh reply deadline (reopen, 重办) counted from `at`. */
export function planReplyDeadline(at: Date, p: { type: AppealType; urgency: Urgency; warnAt: number }) {
  const { replyDueAt, replyWarnAt } = planDeadlines(at, p);
  return { replyDueAt, replyWarnAt };
}

/** SPEC §3: an approved extension moves the reply deadline by N days from the current deadline. */
export function extendDeadline(
  current: Date,
  days: number,
  warnAt: number,
): { replyDueAt: Date; replyWarnAt: Date } {
  const replyDueAt = new Date(current.getTime() + days * DAY);
  return { replyDueAt, replyWarnAt: new Date(current.getTime() + days * DAY * warnAt) };
}

/** The return-visit window: 3 days from the reply (SPEC §3). */
export function surveyDueAt(repliedAt: Date): Date {
  return new Date(repliedAt.getTime() + 3 * DAY);
}
