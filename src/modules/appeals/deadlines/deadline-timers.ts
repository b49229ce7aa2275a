import type { DeadlineKind } from '../../../infra/queue/job-types';
import type { AppealAction } from '../../workflow/appeal-state-machine';

/**
 * Which instant of an assignment each deadline event watches, while what still holds it matters, and
 * which column records that it fired (SPEC §3, §9). Pure data, shared by the firing SQL, the sweeper and
 * the arming of wake-ups.
 *
 * `open` is the SQL condition (on an unaliased `assignments` row) under which the timer is still pending:
 * the step's status for acknowledge and reply; for the lead's contact and staged reply (SPEC §9.1, §9.2),
 * an open assignment that has not yet been contacted / staged-replied. `flag` is the assignment's
 * overdue / warning flag the firing sets (the contact and staged-reply timers set none: their state is
 * `contactedAt` / `stagedRepliedAt`), and `opens` the record an overdue opens: a supervision (督办) for
 * the handling steps, a reminder (催办) for the follow-through.
 */
export interface TimerSpec {
  kind: DeadlineKind;
  open: string;
  atColumn:
    | 'ack_warn_at'
    | 'ack_due_at'
    | 'reply_warn_at'
    | 'reply_due_at'
    | 'contact_warn_at'
    | 'contact_due_at'
    | 'staged_due_at';
  firedColumn:
    | 'ack_warn_fired_at'
    | 'ack_overdue_fired_at'
    | 'reply_warn_fired_at'
    | 'reply_overdue_fired_at'
    | 'contact_warn_fired_at'
    | 'contact_overdue_fired_at'
    | 'staged_overdue_fired_at';
  event:
    | 'deadline.warning'
    | 'deadline.overdue'
    | 'deadline.contact_warning'
    | 'deadline.contact_overdue'
    | 'deadline.staged_overdue';
  /** the transition table's action of that event */
  action: Extract<
    AppealAction,
    | 'deadline_warning'
    | 'deadline_overdue'
    | 'deadline_contact_warning'
    | 'deadline_contact_overdue'
    | 'deadline_staged_overdue'
  >;
  step: 'acknowledge' | 'reply' | 'contact' | 'staged_reply';
  flag: 'warning' | 'overdue' | null;
  opens: 'supervision' | 'reminder' | null;
}

const OPEN = `status IN ('dispatched','in_progress')`;

export const TIMERS: readonly TimerSpec[] = [
  {
    kind: 'ack_warning',
    open: `status = 'dispatched'`,
    atColumn: 'ack_warn_at',
    firedColumn: 'ack_warn_fired_at',
    event: 'deadline.warning',
    action: 'deadline_warning',
    step: 'acknowledge',
    flag: 'warning',
    opens: null,
  },
  {
    kind: 'ack_overdue',
    open: `status = 'dispatched'`,
    atColumn: 'ack_due_at',
    firedColumn: 'ack_overdue_fired_at',
    event: 'deadline.overdue',
    action: 'deadline_overdue',
    step: 'acknowledge',
    flag: 'overdue',
    opens: 'supervision',
  },
  {
    kind: 'reply_warning',
    open: `status = 'in_progress'`,
    atColumn: 'reply_warn_at',
    firedColumn: 'reply_warn_fired_at',
    event: 'deadline.warning',
    action: 'deadline_warning',
    step: 'reply',
    flag: 'warning',
    opens: null,
  },
  {
    kind: 'reply_overdue',
    open: `status = 'in_progress'`,
    atColumn: 'reply_due_at',
    firedColumn: 'reply_overdue_fired_at',
    event: 'deadline.overdue',
    action: 'deadline_overdue',
    step: 'reply',
    flag: 'overdue',
    opens: 'supervision',
  },
  {
    kind: 'contact_warning',
    open: `${OPEN} AND contacted_at IS NULL`,
    atColumn: 'contact_warn_at',
    firedColumn: 'contact_warn_fired_at',
    event: 'deadline.contact_warning',
    action: 'deadline_contact_warning',
    step: 'contact',
    flag: null,
    opens: null,
  },
  {
    kind: 'contact_overdue',
    open: `${OPEN} AND contacted_at IS NULL`,
    atColumn: 'contact_due_at',
    firedColumn: 'contact_overdue_fired_at',
    event: 'deadline.contact_overdue',
    action: 'deadline_contact_overdue',
    step: 'contact',
    flag: null,
    opens: 'reminder',
  },
  {
    kind: 'staged_overdue',
    open: `${OPEN} AND staged_replied_at IS NULL`,
    atColumn: 'staged_due_at',
    firedColumn: 'staged_overdue_fired_at',
    event: 'deadline.staged_overdue',
    action: 'deadline_staged_overdue',
    step: 'staged_reply',
    flag: null,
    opens: 'reminder',
  },
];

export const timer = (kind: DeadlineKind): TimerSpec => {
  const t = TIMERS.find((x) => x.kind === kind);
  if (!t) throw new Error(`unknown deadline kind ${kind}`);
  return t;
};

/** The assignment's status while any of its timers can be pending (every `open` implies it). */
export const HOLDS_TIMERS = `status IN ('dispatched','in_progress')`;

/** A timer's instant while it is pending (open and not fired), else NULL; on an unaliased `assignments` row. */
export const pendingAt = (t: TimerSpec): string =>
  `CASE WHEN ${t.open} AND ${t.firedColumn} IS NULL THEN ${t.atColumn} END`;

/**
 * The instant of an assignment's next pending timer (NULL when none is pending): one due time per
 * assignment, so "what is due" is one range scan of the expression index ix_assignments_next_due
 * (migration 1796097000000, partial on HOLDS_TIMERS) instead of a union over every kind. The index is
 * matched by the expression's text: a change to TIMERS needs a migration that rebuilds the index with
 * the new text (deadline-timers.spec.ts compares them).
 */
export const NEXT_DUE = `LEAST(${TIMERS.map(pendingAt).join(', ')})`;
