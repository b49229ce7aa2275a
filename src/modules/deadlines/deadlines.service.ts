import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import type { DeadlineKind } from '../../infra/queue/job-types';
import { AppealWriter, Change, EventDraft, NoticeDraft } from '../appeals/appeal-writer';
import { DeadlineAlarms } from '../appeals/deadlines/deadline-alarms';
import { DeadlineLog, FiredBy } from '../appeals/deadlines/deadline-log';
import { timer, TimerSpec, TIMERS } from '../appeals/deadlines/deadline-timers';
import { TimerSources } from '../appeals/deadlines/timer-sources';
import { Appeal } from '../appeals/entities/appeal.entity';
import { SurveyWindow } from '../assessment/survey-window';
import { deadlineNotice } from '../assignments/assignment-notices';
import { SupervisionEscalation } from '../supervision/supervision-escalation';
import { overdueReminderNote, overdueSupervisionNote } from '../supervision/supervision-notices';
import { SupervisionRecords, supervisedEvent } from '../supervision/supervision-records';
import { WORKING_STATUSES } from '../workflow/appeal-state-machine';

/** Appeals fired per transaction by the sweeper. */
const SWEEP_BATCH = 500;

interface Hit {
  spec: TimerSpec;
  id: string;
  appeal_id: string;
  department_id: string;
  role: string;
  at: Date;
}
type Only = { assignmentId: string; kind: DeadlineKind };

/**
 * Deadline enforcement of assignments (SPEC §3), and the sweeper of every timer. The database is the source of truth: deadlines are columns, and
 * firing is a conditional UPDATE that sets a timer's `*_fired_at` only while its step is still open,
 * its instant has passed and it has not fired — so a wake-up that runs twice, late, or after the step
 * was done changes nothing. Firing is set-based: many appeals per transaction through the writer, each
 * timer exactly once with its event, its automatic supervision and its notice. BullMQ delayed jobs are
 * only wake-up calls (DeadlineAlarms); the sweeper fires whatever was missed and re-arms.
 */
@Injectable()
export class DeadlinesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly writer: AppealWriter,
    private readonly alarms: DeadlineAlarms,
    private readonly records: SupervisionRecords,
    private readonly escalation: SupervisionEscalation,
    private readonly surveyWindow: SurveyWindow,
    private readonly log: DeadlineLog,
    private readonly sources: TimerSources,
  ) {}

  private readonly logger = new Logger(DeadlinesService.name);

  /** Fires one timer of one assignment if it is due (waiting for the appeal's lock); true when it fired now. */
  async fire(assignmentId: string, kind: DeadlineKind): Promise<boolean> {
    const spec = timer(kind);
    const fired = await this.fireDue(
      (m, now) =>
        m
          .query(
            `SELECT appeal_id FROM assignments WHERE id = $1 AND ${spec.open} AND ${spec.firedColumn} IS NULL
             AND ${spec.atColumn} <= $2`,
            [assignmentId, now],
          )
          .then((rows: { appeal_id: string }[]) => rows.map((r) => r.appeal_id)),
      { assignmentId, kind },
    );
    return fired > 0;
  }

  /**
   * A wake-up call: fires what is due; one that arrives before its instant (the clocks of two hosts
   * disagree) fails, so BullMQ retries it with backoff instead of leaving it to the next sweep.
   */
  async wake(assignmentId: string, kind: DeadlineKind): Promise<boolean> {
    const state = await this.state(assignmentId, kind);
    if (state === 'early')
      throw new Error(`wake-up for ${kind} of assignment ${assignmentId} arrived before its instant`);
    // fired by an earlier batch, or the step was done: nothing to do
    if (state !== 'due') return false;
    // everything due fires in one batch (a burst of wake-ups costs a few transactions, not one each);
    // then this one, if the batch left it because a person held its appeal
    await this.fireDue(dueAppeals, undefined, true);
    return this.fire(assignmentId, kind);
  }

  /** The step still open, not fired, and its instant still ahead by this process's clock. */
  async isEarly(assignmentId: string, kind: DeadlineKind): Promise<boolean> {
    return (await this.state(assignmentId, kind)) === 'early';
  }

  /** A timer not fired while its step is open is due or early by this process's clock; else done. */
  private async state(assignmentId: string, kind: DeadlineKind): Promise<'due' | 'early' | 'done'> {
    const spec = timer(kind);
    const rows: { early: boolean }[] = await this.db.query(
      `SELECT ${spec.atColumn} > $2 AS early FROM assignments
       WHERE id = $1 AND ${spec.open} AND ${spec.firedColumn} IS NULL AND ${spec.atColumn} IS NOT NULL`,
      [assignmentId, this.clock.now()],
    );
    if (rows.length === 0) return 'done';
    return rows[0].early ? 'early' : 'due';
  }

  /** Fires everything due, oldest first, many appeals per transaction; closes unrated; re-arms. */
  async sweep(): Promise<{ fired: number; closed: number; armed: number }> {
    let fired = 0;
    for (;;) {
      const n = await this.fireDue(dueAppeals, undefined, true, 'sweep');
      fired += n;
      if (n === 0) break;
    }
    const closed = await this.surveyWindow.sweep(SWEEP_BATCH);
    const escalated = await this.escalation.sweep();
    let owned = 0;
    // each room's timers; one source failing must not keep the others (or the re-arming) from running
    for (const source of this.sources.all()) {
      try {
        owned += await source.sweep();
      } catch (err) {
        this.logger.error(`sweeping the ${source.name} timers failed: ${(err as Error).message}`);
      }
    }
    const armed = await this.alarms.arm();
    return { fired: fired + escalated + owned, closed, armed };
  }

  /** Wake-ups for the pending timers of these appeals (all due soon when omitted). */
  arm(appealIds?: string[]): Promise<number> {
    return this.alarms.arm(appealIds);
  }

  /**
   * One transaction: lock the selected appeals (skipping busy ones in a sweep), mark every due timer of
   * theirs fired with one conditional UPDATE per kind, insert the automatic supervisions of the overdue
   * ones, and hand each appeal's events and notices to the writer. Returns how many timers fired.
   */
  private async fireDue(
    select: (m: EntityManager, now: Date) => Promise<string[]>,
    only?: Only,
    skipLocked = false,
    by: FiredBy = 'wake-up',
  ): Promise<number> {
    let fired: { hits: Hit[]; now: Date } = { hits: [], now: this.clock.now() };
    await this.writer.changeMany(
      select,
      async (steps) => {
        const held = steps.map((st) => st.appeal).filter((a) => WORKING_STATUSES.includes(a.status));
        if (held.length === 0) return new Map();
        const { m, now } = steps[0];
        const hits = await markFired(
          m,
          held.map((a) => a.id),
          now,
          only,
        );
        fired = { hits, now };
        return this.changes(m, held, hits, now);
      },
      { skipLocked },
    );
    // committed (the writer has armed the automatic supervisions' answer dues): now they count
    const { hits, now } = fired;
    this.log.fired(
      hits.map((h) => ({ kind: h.spec.kind, appealId: h.appeal_id, assignmentId: h.id, at: new Date(h.at) })),
      now,
      by,
    );
    return hits.length;
  }

  private async changes(
    m: EntityManager,
    appeals: Appeal[],
    hits: Hit[],
    now: Date,
  ): Promise<Map<string, Change>> {
    const overdue = hits.filter((h) => h.spec.opens !== null);
    // SPEC §2, §7.3: an overdue assignment opens a supervision (督办) on its department; SPEC §9.1, §9.2:
    // an overdue contact or staged reply opens a reminder (催办) on the lead
    const byId = new Map(appeals.map((a) => [a.id, a]));
    const opened = await this.records.open(
      m,
      overdue.map((h) => ({
        appeal: byId.get(h.appeal_id)!,
        order: {
          level: h.spec.opens!,
          source: 'overdue' as const,
          departmentId: h.department_id,
          assignmentId: h.id,
          note:
            h.spec.opens === 'reminder'
              ? overdueReminderNote(h.spec.step)
              : overdueSupervisionNote(h.spec.step),
          createdBy: null,
        },
      })),
      now,
    );
    const supervisionOf = new Map(overdue.map((h, i) => [h, opened[i]]));
    const byAppeal = new Map<string, Hit[]>();
    for (const h of hits) byAppeal.set(h.appeal_id, [...(byAppeal.get(h.appeal_id) ?? []), h]);
    const changes = new Map<string, Change>();
    for (const appeal of appeals) {
      const mine = byAppeal.get(appeal.id);
      if (!mine) continue;
      const events: EventDraft[] = mine.flatMap((h) => {
        const same = { fromStatus: appeal.status, toStatus: appeal.status };
        const data = { assignmentId: h.id, departmentId: h.department_id, role: h.role };
        const fired: EventDraft = {
          action: h.spec.event,
          ...same,
          data: { ...data, step: h.spec.step, dueAt: new Date(h.at).toISOString() },
        };
        if (h.spec.opens === null) return [fired];
        // SPEC §2: overdue assignments are supervised automatically (§9: reminded)
        return [fired, supervisedEvent(supervisionOf.get(h)!, appeal.status)];
      });
      const notify: NoticeDraft[] = mine.map((h) =>
        deadlineNotice(appeal, h.department_id, h.spec, new Date(h.at)),
      );
      const [first, ...after] = events;
      changes.set(appeal.id, {
        action: mine[0].spec.action,
        data: first.data,
        after,
        notify,
        patch: mine.some((h) => h.spec.opens !== null) ? { supervised: true } : {},
      });
    }
    return changes;
  }
}

/** Appeals with a timer due now, the longest overdue first. */
async function dueAppeals(m: EntityManager, now: Date): Promise<string[]> {
  const due = TIMERS.map(
    (s) =>
      `SELECT appeal_id, ${s.atColumn} AS at FROM assignments
       WHERE ${s.open} AND ${s.firedColumn} IS NULL AND ${s.atColumn} <= $1`,
  ).join(' UNION ALL ');
  const rows: { appeal_id: string }[] = await m.query(
    `SELECT d.appeal_id FROM (${due}) d JOIN appeals a ON a.id = d.appeal_id AND a.status = ANY($2)
     GROUP BY d.appeal_id ORDER BY min(d.at) LIMIT ${SWEEP_BATCH}`,
    [now, WORKING_STATUSES],
  );
  return rows.map((r) => r.appeal_id);
}

/** Marks every due timer of these appeals fired (or only the one named), in the order of TIMERS. */
async function markFired(m: EntityManager, appealIds: string[], now: Date, only?: Only): Promise<Hit[]> {
  if (appealIds.length === 0) return [];
  const hits: Hit[] = [];
  for (const spec of TIMERS) {
    if (only && only.kind !== spec.kind) continue;
    const flag = spec.flag ? `, ${spec.flag} = true` : '';
    const [rows]: [Omit<Hit, 'spec'>[], number] = await m.query(
      `UPDATE assignments SET ${spec.firedColumn} = $2${flag}
       WHERE appeal_id = ANY($1) AND ${spec.open} AND ${spec.firedColumn} IS NULL
         AND ${spec.atColumn} IS NOT NULL AND ${spec.atColumn} <= $2 ${only ? 'AND id = $3' : ''}
       RETURNING id, appeal_id, department_id, role, ${spec.atColumn} AS at`,
      only ? [appealIds, now, only.assignmentId] : [appealIds, now],
    );
    hits.push(...rows.map((r) => ({ ...r, spec })));
  }
  return hits;
}
