import { loadConfig } from '../../config/app-config';
import {
  JOB_CONCURRENCY,
  JOB_NAMES,
  JOB_QUEUE,
  JOB_SCHEDULES,
  QUEUE_NAMES,
  queueConcurrency,
  resolveSchedules,
  jobMapProblems,
} from './job-types';

const config = loadConfig({ JWT_SECRET: 'a-secret-long-enough', WEBHOOK_POLL_MS: '250' });

describe('the job map', () => {
  it('every job runs on a known queue, and every queue runs at least one job', () => {
    for (const name of JOB_NAMES) expect(QUEUE_NAMES).toContain(JOB_QUEUE[name]);
    expect([...new Set(JOB_NAMES.map((n) => JOB_QUEUE[n]))].sort()).toEqual([...QUEUE_NAMES].sort());
  });

  it('schedules and concurrency name only jobs of the map, and are usable', () => {
    for (const name of Object.keys(JOB_SCHEDULES)) expect(JOB_NAMES).toContain(name);
    for (const name of Object.keys(JOB_CONCURRENCY)) expect(JOB_NAMES).toContain(name);
    expect(jobMapProblems(config)).toEqual([]);
  });

  it('schedules: the sweeps every 30 s and at boot, the purge, the orphan sweep and retention hourly, the fold every 5 s, the pump as configured', () => {
    const byName = Object.fromEntries(resolveSchedules(config).map((s) => [s.name, s]));
    expect(byName).toEqual({
      'deadline.sweep': { name: 'deadline.sweep', everyMs: 30_000, atBoot: true },
      'routing.sweep': { name: 'routing.sweep', everyMs: 30_000, atBoot: true },
      'maintenance.purge-idempotency-keys': {
        name: 'maintenance.purge-idempotency-keys',
        everyMs: 3_600_000,
        atBoot: false,
      },
      'reports.fold': { name: 'reports.fold', everyMs: 5000, atBoot: false },
      'webhook.pump': { name: 'webhook.pump', everyMs: 250, atBoot: false },
      'attachments.sweep-orphans': { name: 'attachments.sweep-orphans', everyMs: 3_600_000, atBoot: false },
      'privacy.anonymise-contacts': { name: 'privacy.anonymise-contacts', everyMs: 3_600_000, atBoot: true },
    });
  });

  it('a queue runs as many jobs at once as the largest figure of its jobs', () => {
    expect(Object.fromEntries(QUEUE_NAMES.map((q) => [q, queueConcurrency(q)]))).toEqual({
      deadlines: 10,
      dispatch: 10,
      maintenance: 1,
      webhooks: 16,
    });
  });

  it('names an interval that is not a positive whole number', () => {
    const bad = { ...config, webhooks: { ...config.webhooks, pollMs: Number.NaN } };
    expect(jobMapProblems(bad)).toEqual([
      'schedule of webhook.pump: interval NaN ms is not a positive whole number',
    ]);
  });
});
