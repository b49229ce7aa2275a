import type { DeadlineKind } from '../../../infra/queue/job-types';

/**
 * Which instant of an assignment each deadline event watches, in which assignment status it still
 * matters, and which column records that it fired (SPEC §3). Pure data, shared by the firing SQL,
 * the sweeper and the arming of wake-ups.
 */
export interface TimerSpec {
  kind: DeadlineKind;
  status: 'dispatched' | 'in_progress';
  atColumn: 'ack_warn_at' | 'ack_due_at' | 'reply_warn_at' | 'reply_due_at';
  firedColumn:
    'ack_warn_fired_at' | 'ack_overdue_fired_at' | 'reply_warn_fired_at' | 'reply_overdue_fired_at';
  event: 'deadline.warning' | 'deadline.overdue';
  step: 'acknowledge' | 'reply';
}

export const TIMERS: readonly TimerSpec[] = [
  {
    kind: 'ack_warning',
    status: 'dispatched',
    atColumn: 'ack_warn_at',
    firedColumn: 'ack_warn_fired_at',
    event: 'deadline.warning',
    step: 'acknowledge',
  },
  {
    kind: 'ack_overdue',
    status: 'dispatched',
    atColumn: 'ack_due_at',
    firedColumn: 'ack_overdue_fired_at',
    event: 'deadline.overdue',
    step: 'acknowledge',
  },
  {
    kind: 'reply_warning',
    status: 'in_progress',
    atColumn: 'reply_warn_at',
    firedColumn: 'reply_warn_fired_at',
    event: 'deadline.warning',
    step: 'reply',
  },
  {
    kind: 'reply_overdue',
    status: 'in_progress',
    atColumn: 'reply_due_at',
    firedColumn: 'reply_overdue_fired_at',
    event: 'deadline.overdue',
    step: 'reply',
  },
];

export const timer = (kind: DeadlineKind): TimerSpec => {
  const t = TIMERS.find((x) => x.kind === kind);
  if (!t) throw new Error(`unknown deadline kind ${kind}`);
  return t;
};
