import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../../common/clock';
import type { DeadlineKind } from '../../../infra/queue/job-types';
import { QueueService } from '../../../infra/queue/queue.service';
import { Notifier } from '../../notifications/notifier';
import { transition } from '../../workflow/appeal-state-machine';
import { Appeal } from '../entities/appeal.entity';
import { Supervision } from '../entities/side-records.entity';
import { EventLog, NewEvent } from '../event-log';
import { timer, TIMERS } from './deadline-timers';

const SWEEP_BATCH = 2000;
/** The sweeper arms wake-ups due within this horizon; it runs every 30 s, far inside it. */
const ARM_HORIZON_MS = 15 * 60_000;

/**
 * Deadline enforcement (SPEC §3). The database is the source of truth: deadlines are columns, and
 * each event's firing is a conditional UPDATE that sets its `*_fired_at` column only while the step
 * is still open, the instant has passed and it has not fired — so a wake-up that runs twice, late, or
 * after the step was done changes nothing. BullMQ delayed jobs are only wake-up calls with
 * deterministic ids; the sweeper fires whatever was missed (Redis flushed, worker killed) and re-arms.
 */
@Injectable()
export class DeadlinesService {
  private readonly logger = new Logger(DeadlinesService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly events: EventLog,
    private readonly queue: QueueService,
    private readonly notifier: Notifier,
  ) {}

  /** Fires one deadline event of one assignment if it is due; true when it fired now. */
  async fire(assignmentId: string, kind: DeadlineKind): Promise<boolean> {
    const spec = timer(kind);
    return this.db.transaction(async (m) => {
      const now = this.clock.now();
      // lock the appeal first (every action does), so the event chain and version stay in order;
      // one statement finds and locks it, and only the columns this needs
      const locked: Pick<Appeal, 'id' | 'status' | 'supervised' | 'number' | 'title'>[] = await m.query(
        `SELECT a.id, a.status, a.supervised, a.number, a.title FROM appeals a
         JOIN assignments s ON s.appeal_id = a.id WHERE s.id = $1 FOR UPDATE OF a`,
        [assignmentId],
      );
      const appeal = locked[0];
      if (!appeal) return false;
      const overdue = spec.event === 'deadline.overdue';
      const fired = await m.query(
        `UPDATE assignments SET ${spec.firedColumn} = $2, ${overdue ? 'overdue' : 'warning'} = true
         WHERE id = $1 AND status = $3 AND ${spec.firedColumn} IS NULL AND ${spec.atColumn} IS NOT NULL AND ${spec.atColumn} <= $2
         RETURNING id, department_id, role, ${spec.atColumn} AS at`,
        [assignmentId, now, spec.status],
      );
      const hit = (fired as [{ id: string; department_id: string; role: string; at: Date }[], number])[0];
      if (!hit || hit.length === 0) return false;
      const a = hit[0];
      const t = transition(appeal.status, overdue ? 'deadline_overdue' : 'deadline_warning', 'system');
      const events: NewEvent[] = [
        {
          action: spec.event,
          actorId: null,
          actorRole: 'system',
          fromStatus: appeal.status,
          toStatus: t.ok ? t.to : appeal.status,
          data: {
            assignmentId: a.id,
            departmentId: a.department_id,
            role: a.role,
            step: spec.step,
            dueAt: new Date(a.at).toISOString(),
          },
          at: now,
        },
      ];
      let supervised = appeal.supervised;
      if (overdue) {
        // SPEC §2: overdue assignments are supervised automatically
        const note = `超期未${spec.step === 'acknowledge' ? '签收' : '答复'}: automatic supervision`;
        await m.getRepository(Supervision).insert({
          appealId: appeal.id,
          assignmentId: a.id,
          source: 'overdue',
          note,
          createdBy: null,
          createdAt: now,
        });
        supervised = true;
        events.push({
          action: 'appeal.supervised',
          actorId: null,
          actorRole: 'system',
          fromStatus: appeal.status,
          toStatus: appeal.status,
          data: { source: 'overdue', assignmentId: a.id, note },
          at: now,
        });
      }
      await m.query(
        `UPDATE appeals SET version = version + 1, updated_at = $2, supervised = $3 WHERE id = $1`,
        [appeal.id, now, supervised],
      );
      await this.events.append(m, appeal.id, events);
      await this.notifier.notify(m, [
        {
          recipientType: 'department',
          recipientId: a.department_id,
          kind: spec.event,
          appealId: appeal.id,
          title: `${overdue ? '超期' : '预警'} ${appeal.number}: ${appeal.title}`,
          body: `${spec.step === 'acknowledge' ? '签收' : '答复'}时限 ${new Date(a.at).toISOString()}${overdue ? ' 已过，已自动督办。' : ' 将至。'}`,
          at: now,
        },
      ]);
      return true;
    });
  }

  /**
   * A wake-up that did not fire: was it early (the step still open, not fired, its instant still
   * ahead by the database's clock — e.g. clocks of two hosts disagree)? The processor then retries
   * it with backoff instead of leaving it to the next sweep.
   */
  async isEarly(assignmentId: string, kind: DeadlineKind): Promise<boolean> {
    const spec = timer(kind);
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM assignments WHERE id = $1 AND status = $2 AND ${spec.firedColumn} IS NULL AND ${spec.atColumn} > $3`,
      [assignmentId, spec.status, this.clock.now()],
    );
    return rows.length > 0;
  }

  /** SPEC §2: no survey within the window closes the appeal as not_rated. */
  async closeUnrated(appealId: string): Promise<boolean> {
    return this.db.transaction(async (m) => {
      const now = this.clock.now();
      const appeal = await m
        .getRepository(Appeal)
        .findOne({ where: { id: appealId }, lock: { mode: 'pessimistic_write' } });
      if (!appeal || appeal.status !== 'replied' || !appeal.surveyDueAt || appeal.surveyDueAt > now)
        return false;
      const t = transition(appeal.status, 'close_not_rated', 'system');
      if (!t.ok) return false;
      await m.query(
        `UPDATE appeals SET status = $2, version = version + 1, updated_at = $3, closed_at = $3, close_reason = 'not_rated' WHERE id = $1`,
        [appeal.id, t.to, now],
      );
      await this.events.append(m, appeal.id, [
        {
          action: t.event,
          actorId: null,
          actorRole: 'system',
          fromStatus: appeal.status,
          toStatus: t.to,
          data: { closeReason: 'not_rated' },
          at: now,
        },
      ]);
      await this.notifier.notify(m, [
        {
          recipientType: 'enterprise',
          recipientId: appeal.enterpriseId,
          kind: 'appeal.closed',
          appealId: appeal.id,
          title: `${appeal.number} 已办结`,
          body: '回访期内未评价，诉求已办结（未评价）。',
          at: now,
        },
      ]);
      return true;
    });
  }

  /**
   * Enqueues the wake-ups of every pending timer of these appeals (all appeals when omitted).
   * Called after commit, never inside a transaction; a failure here is logged, not thrown — the
   * sweeper re-arms from the database.
   */
  async arm(appealIds?: string[], m: EntityManager = this.db.manager): Promise<number> {
    const now = this.clock.now().getTime();
    // one appeal: every pending timer; a sweep: only those due within the horizon (the next sweeps
    // arm the rest as they come near), so Redis does not receive every far-off deadline every 30 s
    const horizon = new Date(now + ARM_HORIZON_MS);
    const filter = appealIds ? `AND appeal_id = ANY($1)` : `AND ${'$AT'} <= $1`;
    const params: unknown[] = appealIds ? [appealIds] : [horizon];
    const jobs: { kind: DeadlineKind; assignmentId: string; at: Date }[] = [];
    for (const spec of TIMERS) {
      const rows: { id: string; at: Date }[] = await m.query(
        `SELECT id, ${spec.atColumn} AS at FROM assignments
         WHERE status = '${spec.status}' AND ${spec.firedColumn} IS NULL AND ${spec.atColumn} IS NOT NULL ${filter.replace('$AT', spec.atColumn)}`,
        params,
      );
      for (const r of rows) jobs.push({ kind: spec.kind, assignmentId: r.id, at: new Date(r.at) });
    }
    const surveys: { id: string; at: Date }[] = await m.query(
      `SELECT id, survey_due_at AS at FROM appeals WHERE status = 'replied' AND survey_due_at IS NOT NULL ${appealIds ? 'AND id = ANY($1)' : 'AND survey_due_at <= $1'}`,
      params,
    );
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
    } catch (err) {
      this.logger.warn(
        `arming deadline wake-ups failed (${(err as Error).message}); the sweeper will re-arm them`,
      );
      return 0;
    }
    return jobs.length + surveys.length;
  }

  /** Fires everything due and not fired (oldest first, in batches), then re-arms every pending wake-up. */
  async sweep(): Promise<{ fired: number; closed: number; armed: number }> {
    const now = this.clock.now();
    let fired = 0;
    for (const spec of TIMERS) {
      for (;;) {
        const due: { id: string }[] = await this.db.query(
          `SELECT id FROM assignments
           WHERE status = '${spec.status}' AND ${spec.firedColumn} IS NULL AND ${spec.atColumn} <= $1
           ORDER BY ${spec.atColumn} LIMIT ${SWEEP_BATCH}`,
          [now],
        );
        let progressed = 0;
        for (const d of due) if (await this.fire(d.id, spec.kind)) progressed++;
        fired += progressed;
        if (due.length < SWEEP_BATCH || progressed === 0) break;
      }
    }
    let closed = 0;
    const unrated: { id: string }[] = await this.db.query(
      `SELECT id FROM appeals WHERE status = 'replied' AND survey_due_at <= $1 ORDER BY survey_due_at LIMIT ${SWEEP_BATCH}`,
      [now],
    );
    for (const u of unrated) if (await this.closeUnrated(u.id)) closed++;
    const armed = await this.arm();
    return { fired, closed, armed };
  }
}
