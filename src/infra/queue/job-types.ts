/**
 * The typed job map: one place that says which jobs exist, what data each carries and which queue
 * runs it. `QueueService.add` and every handler are checked against it; a worker refuses to boot
 * when a job has no handler.
 */
export const QUEUE_NAMES = ['deadlines', 'dispatch', 'notifications', 'maintenance'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface JobMap {
  /** Deletes idempotency keys past their 24 h life (SPEC §2). */
  'maintenance.purge-idempotency-keys': Record<string, never>;
}

export type JobName = keyof JobMap;
export type JobData<N extends JobName> = JobMap[N];

export const JOB_QUEUE: { readonly [N in JobName]: QueueName } = {
  'maintenance.purge-idempotency-keys': 'maintenance',
};

export const JOB_NAMES = Object.keys(JOB_QUEUE) as JobName[];

/** Deterministic job ids dedupe re-adds. BullMQ forbids ':' in custom ids. */
export function jobId(name: JobName, ...parts: (string | number)[]): string {
  return [name, ...parts].join('.').replace(/:/g, '_');
}
