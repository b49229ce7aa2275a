import type { AppConfig } from '../../config/app-config';

/**
 * The typed job map: one place that says which jobs exist, what data each carries, which queue runs
 * it, how many run at once, and which run on a schedule. `QueueService.add` and every handler are
 * checked against it; a worker refuses to boot when a job has no handler or a schedule is unusable.
 */
export const QUEUE_NAMES = ['deadlines', 'dispatch', 'maintenance', 'webhooks'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export type DeadlineKind =
  | 'ack_warning'
  | 'ack_overdue'
  | 'reply_warning'
  | 'reply_overdue'
  | 'contact_warning'
  | 'contact_overdue'
  | 'staged_overdue';

export interface JobMap {
  /** Wake-up at a deadline instant; the database decides whether anything is still due (SPEC §3). */
  'deadline.fire': { assignmentId: string; kind: DeadlineKind; dueAt: string; secondLook?: boolean };
  /** Wake-up when the return-visit window of a replied appeal ends: closes it as not_rated. */
  'deadline.survey-close': { appealId: string; dueAt: string };
  /** Wake-up at a supervision's answer due: escalates it to a notice if still unanswered (SPEC §7.3). */
  'deadline.supervision-escalate': { supervisionId: string; dueAt: string };
  /** Wake-up of a timer kept on a room's own rows (a TimerSource: plans, whistles, …). */
  'deadline.timer': { source: string; id: string; kind: string; dueAt: string };
  /** Fires whatever is due and was missed, and re-arms the wake-ups of everything pending. */
  'deadline.sweep': Record<string, never>;
  /**
   * Routes one new appeal (rules, category default) and flags possible duplicates; at most once per appeal.
   * `recheck` (the sweeper's jobs): ask the database whether it is routed, not this process's memory.
   */
  'routing.route': { appealId: string; recheck?: boolean };
  /** Finds appeals whose routing job was lost (crash between commit and enqueue, Redis flushed) and routes them. */
  'routing.sweep': Record<string, never>;
  /** Deletes idempotency keys past their 24 h life (SPEC §2). */
  'maintenance.purge-idempotency-keys': Record<string, never>;
  /** Removes stored attachment files no committed row names (SPEC §11: nothing half-written stays). */
  'attachments.sweep-orphans': Record<string, never>;
  /** Anonymises the contacts of appeals ended CONTACT_RETENTION_DAYS ago (SPEC §11 retention). */
  'privacy.anonymise-contacts': Record<string, never>;
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
  'deadline.supervision-escalate': 'deadlines',
  'deadline.timer': 'deadlines',
  // not behind a backlog of wake-ups: the safety net must run when the deadlines queue is busiest
  'deadline.sweep': 'maintenance',
  'maintenance.purge-idempotency-keys': 'maintenance',
  'attachments.sweep-orphans': 'maintenance',
  'privacy.anonymise-contacts': 'maintenance',
  'routing.route': 'dispatch',
  'routing.sweep': 'maintenance',
  'webhook.deliver': 'webhooks',
  'webhook.pump': 'webhooks',
  'reports.fold': 'maintenance',
};

export const JOB_NAMES = Object.keys(JOB_QUEUE) as JobName[];

/**
 * Jobs run at once per worker process; a job not listed runs one at a time. BullMQ sets concurrency
 * per queue, so a queue gets the largest figure of its jobs.
 */
export const JOB_CONCURRENCY: { readonly [N in JobName]?: number } = {
  'deadline.fire': 10,
  'deadline.survey-close': 10,
  'deadline.supervision-escalate': 10,
  'deadline.timer': 10,
  'routing.route': 10,
  // POSTs in flight: most of their time is spent waiting on receivers
  'webhook.deliver': 16,
};

/** Jobs that carry no data: only these can run on a schedule. */
export type DatalessJobName = {
  [N in JobName]: JobMap[N] extends Record<string, never> ? N : never;
}[JobName];

export interface JobSchedule {
  /** Interval between runs (a BullMQ Job Scheduler `every`), or how to read it from the configuration. */
  everyMs: number | ((config: AppConfig) => number);
  /** Also enqueue one run when a worker starts: whatever was missed while no worker ran. */
  atBoot?: boolean;
}

/** Reports deltas are folded this often; readers add unfolded deltas, so a late fold costs only read time. */
export const FOLD_EVERY_MS = 5000;

/**
 * The recurring jobs. Every worker-role process registers each one as a Job Scheduler (an upsert, so
 * several workers share one schedule) and enqueues the boot runs.
 */
export const JOB_SCHEDULES: { readonly [N in DatalessJobName]?: JobSchedule } = {
  'deadline.sweep': { everyMs: 30_000, atBoot: true },
  'routing.sweep': { everyMs: 30_000, atBoot: true },
  'maintenance.purge-idempotency-keys': { everyMs: 3_600_000 },
  'attachments.sweep-orphans': { everyMs: 3_600_000 },
  'privacy.anonymise-contacts': { everyMs: 3_600_000, atBoot: true },
  'reports.fold': { everyMs: FOLD_EVERY_MS },
  'webhook.pump': { everyMs: (config) => config.webhooks.pollMs },
};

export interface ResolvedSchedule {
  name: DatalessJobName;
  everyMs: number;
  atBoot: boolean;
}

/** The schedules with their intervals read from the configuration. */
export function resolveSchedules(config: AppConfig): ResolvedSchedule[] {
  return (Object.entries(JOB_SCHEDULES) as [DatalessJobName, JobSchedule][]).map(([name, s]) => ({
    name,
    everyMs: typeof s.everyMs === 'function' ? s.everyMs(config) : s.everyMs,
    atBoot: s.atBoot ?? false,
  }));
}

/**
 * What makes the schedule and concurrency maps unusable, one line each; empty when they are fine. The
 * types already rule out unknown names at compile time; this catches casts and bad configuration.
 */
export function jobMapProblems(config: AppConfig): string[] {
  const problems: string[] = [];
  for (const s of resolveSchedules(config)) {
    if (!(s.name in JOB_QUEUE)) problems.push(`schedule names an unknown job: ${s.name}`);
    if (!Number.isInteger(s.everyMs) || s.everyMs <= 0)
      problems.push(`schedule of ${s.name}: interval ${s.everyMs} ms is not a positive whole number`);
  }
  for (const [name, n] of Object.entries(JOB_CONCURRENCY)) {
    if (!(name in JOB_QUEUE)) problems.push(`concurrency names an unknown job: ${name}`);
    if (!Number.isInteger(n) || (n ?? 0) < 1)
      problems.push(`concurrency of ${name}: ${n} is not a positive whole number`);
  }
  return problems;
}

/** Concurrency of each queue's BullMQ Worker: the largest of its jobs' figures, else 1. */
export function queueConcurrency(queue: QueueName): number {
  return Math.max(1, ...JOB_NAMES.filter((n) => JOB_QUEUE[n] === queue).map((n) => JOB_CONCURRENCY[n] ?? 1));
}

/** Deterministic job ids dedupe re-adds. BullMQ forbids ':' in custom ids. */
export function jobId(name: JobName, ...parts: (string | number)[]): string {
  return [name, ...parts].join('.').replace(/:/g, '_');
}
