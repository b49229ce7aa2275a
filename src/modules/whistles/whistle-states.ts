/**
 * The whistle's own lifecycle (SPEC §12, 企业吹哨、部门报到) as one transition table, and its date rules.
 * Pure: no Nest, TypeORM or BullMQ.
 *
 *   requested --approve--> approved --record_minutes--> held --close--> closed
 *       |                     |  (check_in while approved)  (complete_commitment while held)
 *       '--deny--> denied     '--cancel--> cancelled
 *
 * The appeal's own status is the appeal state machine's (workflow/appeal-state-machine.ts); this table
 * says only what a whistle in a status allows.
 */

export const WHISTLE_STATUSES = ['requested', 'approved', 'denied', 'cancelled', 'held', 'closed'] as const;
export type WhistleStatus = (typeof WHISTLE_STATUSES)[number];

/** A whistle still running: at most one per appeal (the partial unique index uq_whistles_active_appeal). */
export const ACTIVE_WHISTLE_STATUSES: readonly WhistleStatus[] = Object.freeze([
  'requested',
  'approved',
  'held',
] as const);
export const ACTIVE_WHISTLE_SQL = `('requested','approved','held')`;

export const WHISTLE_ACTIONS = [
  'approve',
  'deny',
  'cancel',
  'check_in',
  'record_minutes',
  'complete_commitment',
  'close',
] as const;
export type WhistleAction = (typeof WHISTLE_ACTIONS)[number];

interface WhistleRule {
  from: readonly WhistleStatus[];
  /** 'same': recorded, the whistle's status stays */
  to: WhistleStatus | 'same';
}

export const WHISTLE_TRANSITIONS: Readonly<Record<WhistleAction, WhistleRule>> = Object.freeze({
  approve: { from: ['requested'], to: 'approved' },
  deny: { from: ['requested'], to: 'denied' },
  cancel: { from: ['approved'], to: 'cancelled' },
  check_in: { from: ['approved'], to: 'same' },
  record_minutes: { from: ['approved'], to: 'held' },
  complete_commitment: { from: ['held'], to: 'same' },
  close: { from: ['held'], to: 'closed' },
});

export type WhistleStep = { ok: true; to: WhistleStatus } | { ok: false; message: string };

/** Chinese names of the statuses (the {whistleStatus} dictionary of the messages uses the same). */
export const WHISTLE_STATUS_NAMES: Record<WhistleStatus, string> = {
  requested: '待审核',
  approved: '已同意待召开',
  denied: '未同意',
  cancelled: '已取消',
  held: '已召开',
  closed: '已销号',
};

/** Where `action` takes a whistle in `status`, or the 409's words (English; the catalogue has the Chinese). */
export function whistleStep(status: WhistleStatus, action: WhistleAction): WhistleStep {
  const rule = WHISTLE_TRANSITIONS[action];
  if (!rule.from.includes(status))
    return { ok: false, message: `the whistle is ${status}; it cannot be ${WHISTLE_ACTION_WORDS[action]}` };
  return { ok: true, to: rule.to === 'same' ? status : rule.to };
}

/** The English words of each action in the 409 message ({whistleAction} in the catalogue). */
export const WHISTLE_ACTION_WORDS: Record<WhistleAction, string> = {
  approve: 'approved',
  deny: 'denied',
  cancel: 'cancelled',
  check_in: 'checked in to',
  record_minutes: 'given minutes',
  complete_commitment: 'given a completed commitment',
  close: 'closed',
};

export function isActiveWhistle(status: WhistleStatus): boolean {
  return ACTIVE_WHISTLE_STATUSES.includes(status);
}

// ---- date rules ----------------------------------------------------------------------------------

/**
 * SPEC §12: the meeting is held within whistleMeetingWithin of the approval: `meetingAt` lies after the
 * approval instant and no later than `meetingDueAt` (the approval + whistleMeetingWithin). A problem in
 * words, or null.
 */
export function meetingAtProblem(meetingAt: Date, approvedAt: Date, meetingDueAt: Date): string | null {
  if (meetingAt.getTime() <= approvedAt.getTime()) return 'the meeting must be after the approval';
  if (meetingAt.getTime() > meetingDueAt.getTime())
    return 'the meeting must be held within whistleMeetingWithin of the approval';
  return null;
}

/** A department checks in (报到) before the meeting: up to `meetingAt` itself. */
export function checkInOpen(meetingAt: Date, now: Date): boolean {
  return now.getTime() <= meetingAt.getTime();
}

/** Minutes are recorded once the meeting has begun. */
export function minutesOpen(meetingAt: Date, now: Date): boolean {
  return now.getTime() >= meetingAt.getTime();
}

/**
 * The meeting + `months` calendar months, in UTC calendar arithmetic, the day clamped to the month's
 * last (31 Jan + 1 month = 28/29 Feb).
 */
export function addMonths(at: Date, months: number): Date {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const out = new Date(at.getTime());
  out.setUTCDate(1);
  out.setUTCFullYear(y, m, Math.min(at.getUTCDate(), last));
  return out;
}

/** SPEC §12: each commitment is due after the minutes and no later than the meeting + 3 months. */
export const COMMITMENT_MONTHS = 3;
export function commitmentDueProblem(dueAt: Date, meetingAt: Date, now: Date): string | null {
  if (dueAt.getTime() <= now.getTime()) return 'must be after the minutes are recorded';
  if (dueAt.getTime() > addMonths(meetingAt, COMMITMENT_MONTHS).getTime())
    return 'must be no later than 3 months after the meeting';
  return null;
}

/** On time: done at or before the due (the due instant itself counts). */
export function doneOnTime(dueAt: Date, doneAt: Date): boolean {
  return doneAt.getTime() <= dueAt.getTime();
}

/** 销号 needs every commitment complete. */
export function closeProblem(commitments: { completedAt: Date | null }[]): string | null {
  const open = commitments.filter((c) => c.completedAt === null).length;
  return open === 0 ? null : `${open} commitment(s) are not complete yet`;
}
