import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../../common/clock';
import type { DeadlineKind } from '../../../infra/queue/job-types';
import { QueueService } from '../../../infra/queue/queue.service';
import { HOLDS_TIMERS, NEXT_DUE, pendingAt, TIMERS } from './deadline-timers';
import { PendingTimer, TimerSources } from './timer-sources';

/**
 * A supervision whose escalation timer is pending (SPEC §7.3): open, owing an answer, not escalated.
 * The partial index ix_supervisions_answer_due covers exactly these rows.
 */
export const PENDING_ESCALATION = `level = 'supervision' AND status = 'open' AND escalated_at IS NULL AND answer_due_at IS NOT NULL`;

/** The sweeper arms wake-ups due within this horizon; it runs every 30 s, far inside it. */
export const ARM_HORIZON_MS = 15 * 60_000;

/**
 * Wake-up calls for deadlines (SPEC §3): BullMQ delayed jobs with deterministic ids, enqueued after
 * commit from what the database says is pending. A wake-up only asks the database; losing one costs
 * time until the next sweep, never a deadline.
 */
@Injectable()
export class DeadlineAlarms {
  private readonly logger = new Logger(DeadlineAlarms.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly queue: QueueService,
    private readonly sources: TimerSources,
  ) {}

  /**
   * Enqueues the wake-ups of every pending timer of these appeals (all appeals when omitted: only those
   * due within the horizon, so Redis does not receive every far-off deadline every 30 s). Called after
   * commit, never inside a transaction; a failure is logged, not thrown — the sweeper re-arms.
   */
  async arm(appealIds?: string[], m: EntityManager = this.db.manager): Promise<number> {
    const now = this.clock.now().getTime();
    const params: unknown[] = appealIds ? [appealIds] : [new Date(now + ARM_HORIZON_MS)];
    const within = (at: string, id: string) => (appealIds ? `${id} = ANY($1)` : `${at} <= $1`);
    const jobs: { kind: DeadlineKind; assignmentId: string; at: Date }[] = [];
    // every pending timer of an assignment in one row: by the appeals' index, or (all appeals) by the
    // range of ix_assignments_next_due — an assignment with a timer due within the horizon has its next
    // one within it
    const rows: Record<string, Date | string | null>[] = await m.query(
      `SELECT id, ${TIMERS.map((t, i) => `${pendingAt(t)} AS at${i}`).join(', ')} FROM assignments
       WHERE ${HOLDS_TIMERS} AND ${appealIds ? 'appeal_id = ANY($1)' : `${NEXT_DUE} <= $1`}`,
      params,
    );
    const horizon = new Date(now + ARM_HORIZON_MS);
    for (const r of rows)
      TIMERS.forEach((spec, i) => {
        const at = r[`at${i}`];
        if (at === null) return;
        const when = new Date(at);
        if (appealIds || when <= horizon)
          jobs.push({ kind: spec.kind, assignmentId: String(r.id), at: when });
      });
    const surveys: { id: string; at: Date }[] = await m.query(
      `SELECT id, survey_due_at AS at FROM appeals
       WHERE status = 'replied' AND survey_due_at IS NOT NULL AND ${within('survey_due_at', 'id')}`,
      params,
    );
    const supervisions: { id: string; at: Date }[] = await m.query(
      `SELECT id, answer_due_at AS at FROM supervisions
       WHERE ${PENDING_ESCALATION} AND ${within('answer_due_at', 'appeal_id')}`,
      params,
    );
    const owned: (PendingTimer & { source: string })[] = [];
    for (const source of this.sources.all())
      for (const t of await source.pending(m, appealIds, horizon)) owned.push({ ...t, source: source.name });
    try {
      await this.queue.addBulk(
        'deadline.fire',
        jobs.map((j) => ({
          data: { assignmentId: j.assignmentId, kind: j.kind, dueAt: j.at.toISOString() },
          opts: { key: [j.assignmentId, j.kind, j.at.getTime()], delayMs: j.at.getTime() - now },
        })),
      );
      await this.queue.addBulk(
        'deadline.survey-close',
        surveys.map((s) => ({
          data: { appealId: s.id, dueAt: new Date(s.at).toISOString() },
          opts: { key: [s.id, new Date(s.at).getTime()], delayMs: new Date(s.at).getTime() - now },
        })),
      );
      await this.queue.addBulk(
        'deadline.supervision-escalate',
        supervisions.map((s) => ({
          data: { supervisionId: s.id, dueAt: new Date(s.at).toISOString() },
          opts: { key: [s.id, new Date(s.at).getTime()], delayMs: new Date(s.at).getTime() - now },
        })),
      );
      await this.queue.addBulk(
        'deadline.timer',
        owned.map((t) => ({
          data: { source: t.source, id: t.id, kind: t.kind, dueAt: new Date(t.at).toISOString() },
          opts: {
            key: [t.source, t.id, t.kind, new Date(t.at).getTime()],
            delayMs: new Date(t.at).getTime() - now,
          },
        })),
      );
    } catch (err) {
      this.logger.warn(
        `arming deadline wake-ups failed (${(err as Error).message}); the sweeper will re-arm them`,
      );
      return 0;
    }
    return jobs.length + surveys.length + supervisions.length + owned.length;
  }
}
