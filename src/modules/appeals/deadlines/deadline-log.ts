import { Injectable, Logger } from '@nestjs/common';
import { Metrics } from '../../../infra/observability/metrics';
import type { DeadlineKind } from '../../../infra/queue/job-types';

/** What fired a timer: its own wake-up (or another's batch), or the sweeper catching a missed one. */
export type FiredBy = 'wake-up' | 'sweep';

/** The record of timers fired: their lateness in the metrics, and one log line each. */
@Injectable()
export class DeadlineLog {
  private readonly logger = new Logger('DeadlinesService');

  constructor(private readonly metrics: Metrics) {}

  /** Lateness (instant → firing) of each timer fired, what fired it, and one log line each. */
  fired(
    fired: { kind: DeadlineKind | 'survey_close'; appealId: string; assignmentId?: string; at: Date }[],
    now: Date,
    by: FiredBy,
  ): void {
    for (const f of fired) {
      const lateness = Math.max(0, (now.getTime() - f.at.getTime()) / 1000);
      this.metrics.deadlineLateness.observe({ kind: f.kind }, lateness);
      if (by === 'sweep') this.metrics.sweeperFired.inc({ kind: f.kind });
      this.logger.log({
        msg: 'deadline fired',
        kind: f.kind,
        appealId: f.appealId,
        ...(f.assignmentId ? { assignmentId: f.assignmentId } : {}),
        dueAt: f.at.toISOString(),
        latenessSeconds: Math.round(lateness * 1000) / 1000,
        firedBy: by,
      });
    }
  }
}
