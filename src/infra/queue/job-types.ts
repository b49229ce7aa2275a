/**
 * The typed job map: one place that says which jobs exist, what data each carries and which queue
 * runs it. `QueueService.add` and every handler are checked against it; a worker refuses to boot
 * when a job has no handler.
 */
export const QUEUE_NAMES = ['deadlines', 'dispatch', 'notifications', 'maintenance', 'webhooks'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export type DeadlineKind = 'ack_warning' | 'ack_overdue' | 'reply_warning' | 'reply_overdue';

export interface JobMap {
  /** Wake-up at a deadline instant; the database decides whether anything is still due (SPEC §3). */
  'deadline.fire': { assignmentId: string; kind: DeadlineKind; dueAt: string };
  /** Wake-up when the return-visit window of a replied appeal ends: closes it as not_rated. */
  'deadline.survey-close': { appealId: string; dueAt: string };
  /** Fires whatever is due and was missed, and re-arms the wake-ups of everything pending. */
  'deadline.sweep': Record<string, never>;
  /** Routes one new appeal (rules, category default) and flags possible duplicates; at most once per appeal. */
  'routing.route': { appealId: string };
  /** Finds appeals whose routing job was lost (crash between commit and enqueue, Redis flushed) and routes them. */
  'routing.sweep': Record<string, never>;
  /** Deletes idempotency keys past their 24 h life (SPEC §2). */
  'maintenance.purge-idempotency-keys': Record<string, never>;
  /** One attempt of one outbox row (SPEC §5 webhooks); the row's claim decides whether anything is sent. */
  'webhook.deliver': { deliveryId: string };
  /** Finds due outbox rows of enabled webhooks and enqueues their deliveries (a Job Scheduler). */
  'webhook.pump': Record<string, never>;
  /** Moves the report deltas into the rollups (SPEC §4 reports; one statement, safe to run twice). */
  'reports.fold': Record<string, never>;
}

export type JobName = keyof JobMap;
export type JobData<N extends JobName> = JobMap[N];

export const JOB_QUEUE: { readonly [N in JobName]: QueueName } = {
  'deadline.fire': 'deadlines',
  'deadline.survey-close': 'deadlines',
  // not behind a backlog of wake-ups: the safety net must run when the deadlines queue is busiest
  'deadline.sweep': 'maintenance',
  'maintenance.purge-idempotency-keys': 'maintenance',
  'routing.route': 'dispatch',
  'routing.sweep': 'maintenance',
  'webhook.deliver': 'webhooks',
  'webhook.pump': 'webhooks',
  'reports.fold': 'maintenance',
};

export const JOB_NAMES = Object.keys(JOB_QUEUE) as JobName[];

/** Deterministic job ids dedupe re-adds. BullMQ forbids ':' in custom ids. */
export function jobId(name: JobName, ...parts: (string | number)[]): string {
  return [name, ...parts].join('.').replace(/:/g, '_');
}
