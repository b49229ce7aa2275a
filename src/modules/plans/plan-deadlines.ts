import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { AppealWriter, Change, EventDraft, NoticeDraft } from '../appeals/appeal-writer';
import { Appeal } from '../appeals/entities/appeal.entity';
import { TimerSource, TimerSources } from '../appeals/deadlines/timer-sources';
import { supervisionNotice } from '../supervision/supervision-notices';
import { SupervisionRecords, supervisedEvent } from '../supervision/supervision-records';
import { PLAN_FEEDBACK_REMINDER_NOTE, PLAN_OVERDUE_SUPERVISION_NOTE } from './plan-notices';

/** Appeals fired per transaction by the sweeper. */
const SWEEP_BATCH = 500;

/**
 * The two timers of a plan (SPEC §9.3), each a column of `plans` with its fired mark: a missed next
 * feedback opens a reminder (催办), a promise passing while the plan is open opens a supervision (督办,
 * source plan_overdue). Both only while the plan is open.
 */
export const PLAN_TIMERS = [
  {
    kind: 'plan_feedback',
    atColumn: 'next_feedback_at',
    firedColumn: 'feedback_fired_at',
    event: 'deadline.plan_feedback_overdue',
    action: 'plan_feedback_overdue',
  },
  {
    kind: 'plan_overdue',
    atColumn: 'promised_by',
    firedColumn: 'overdue_fired_at',
    event: 'deadline.plan_overdue',
    action: 'plan_overdue',
  },
] as const;
export type PlanTimerKind = (typeof PLAN_TIMERS)[number]['kind'];
type PlanTimer = (typeof PLAN_TIMERS)[number];

const timerOf = (kind: string): PlanTimer => {
  const t = PLAN_TIMERS.find((x) => x.kind === kind);
  if (!t) throw new Error(`unknown plan timer ${kind}`);
  return t;
};

/** A timer that has not fired, and when it falls due. */
export interface PendingPlanTimer {
  id: string;
  kind: PlanTimerKind;
  at: Date;
}

interface Hit {
  timer: PlanTimer;
  id: string;
  appeal_id: string;
  department_id: string;
  at: Date;
}

/**
 * Firing of the plans' timers, exactly once with the guarantees of SPEC §3: the database is the source
 * of truth, firing is one conditional UPDATE per kind setting the fired mark only while the plan is open,
 * its instant has passed and the mark is unset — so a wake-up that runs twice, late, or after the plan
 * was updated or fulfilled changes nothing. Set-based: many appeals per transaction through the writer's
 * changeMany, each timer with its event, its reminder or supervision and the department's notice.
 * BullMQ delayed jobs are only wake-ups; the sweeper fires whatever was missed.
 */
@Injectable()
export class PlanDeadlines implements TimerSource, OnModuleInit {
  readonly name = 'plan';
  private readonly logger = new Logger('PlanDeadlines');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly writer: AppealWriter,
    private readonly records: SupervisionRecords,
    private readonly sources: TimerSources,
  ) {}

  /** Armed after every writer commit, woken by `deadline.timer`, swept with the rest. */
  onModuleInit(): void {
    this.sources.register(this);
  }

  /** Unfired timers of open plans of these appeals, or (appealIds undefined) all due before `until`. */
  async pending(m: EntityManager, appealIds: string[] | undefined, until: Date): Promise<PendingPlanTimer[]> {
    const out: PendingPlanTimer[] = [];
    for (const t of PLAN_TIMERS) {
      const rows: { id: string; at: Date }[] = await m.query(
        `SELECT id, ${t.atColumn} AS at FROM plans
         WHERE status = 'open' AND ${t.firedColumn} IS NULL
           AND ${appealIds ? 'appeal_id = ANY($1)' : `${t.atColumn} <= $1`}`,
        [appealIds ?? until],
      );
      for (const r of rows) out.push({ id: r.id, kind: t.kind, at: new Date(r.at) });
    }
    return out;
  }

  /**
   * A wake-up for one timer: fires everything due in one batch, then this one if the batch left it
   * because a person held its appeal. One that arrives before its instant throws (BullMQ retries); true
   * when this one fired now.
   */
  async wake(id: string, kind: string): Promise<boolean> {
    const t = timerOf(kind);
    const rows: { early: boolean }[] = await this.db.query(
      `SELECT ${t.atColumn} > $2 AS early FROM plans WHERE id = $1 AND status = 'open' AND ${t.firedColumn} IS NULL`,
      [id, this.clock.now()],
    );
    if (rows.length === 0) return false;
    if (rows[0].early) throw new Error(`wake-up for ${kind} of plan ${id} arrived before its instant`);
    await this.fireDue(dueAppeals, undefined, true);
    const n = await this.fireDue(
      async (m, now) =>
        (
          await m.query(
            `SELECT appeal_id FROM plans WHERE id = $1 AND status = 'open' AND ${t.firedColumn} IS NULL
               AND ${t.atColumn} <= $2`,
            [id, now],
          )
        ).map((r: { appeal_id: string }) => r.appeal_id),
      { id, timer: t },
    );
    return n > 0;
  }

  /** The sweeper: every due, unfired timer, 500 appeals per transaction, skipping busy ones. */
  async sweep(): Promise<number> {
    let fired = 0;
    for (;;) {
      const n = await this.fireDue(dueAppeals, undefined, true);
      fired += n;
      if (n === 0) break;
    }
    return fired;
  }

  /** One transaction: lock the appeals, mark their due timers fired, open the records, log the events. */
  private async fireDue(
    select: (m: EntityManager, now: Date) => Promise<string[]>,
    only?: { id: string; timer: PlanTimer },
    skipLocked = false,
  ): Promise<number> {
    let count = 0;
    await this.writer.changeMany(
      select,
      async (steps) => {
        if (steps.length === 0) return new Map();
        const { m, now } = steps[0];
        const appeals = steps.map((st) => st.appeal);
        const hits = await markFired(
          m,
          appeals.map((a) => a.id),
          now,
          only,
        );
        count = hits.length;
        for (const h of hits)
          this.logger.log({
            msg: 'plan timer fired',
            kind: h.timer.kind,
            planId: h.id,
            appealId: h.appeal_id,
            dueAt: new Date(h.at).toISOString(),
            latenessSeconds: Math.max(0, (now.getTime() - new Date(h.at).getTime()) / 1000),
          });
        return this.changes(m, appeals, hits, now);
      },
      { skipLocked },
    );
    return count;
  }

  private async changes(m: EntityManager, appeals: Appeal[], hits: Hit[], now: Date) {
    const byId = new Map(appeals.map((a) => [a.id, a]));
    // SPEC §9.3: a missed feedback opens a reminder (催办), a passed promise a supervision (督办)
    const opened = await this.records.open(
      m,
      hits.map((h) => ({
        appeal: byId.get(h.appeal_id)!,
        order:
          h.timer.kind === 'plan_feedback'
            ? {
                level: 'reminder' as const,
                source: 'plan_feedback' as const,
                departmentId: h.department_id,
                note: PLAN_FEEDBACK_REMINDER_NOTE(new Date(h.at)),
                createdBy: null,
              }
            : {
                level: 'supervision' as const,
                source: 'plan_overdue' as const,
                departmentId: h.department_id,
                note: PLAN_OVERDUE_SUPERVISION_NOTE(new Date(h.at)),
                createdBy: null,
              },
      })),
      now,
    );
    const changes = new Map<string, Change>();
    for (const appeal of appeals) {
      const events: EventDraft[] = [];
      const notify: NoticeDraft[] = [];
      let action: PlanTimer['action'] | null = null;
      hits.forEach((h, i) => {
        if (h.appeal_id !== appeal.id) return;
        action ??= h.timer.action;
        const same = { fromStatus: appeal.status, toStatus: appeal.status };
        events.push(
          {
            action: h.timer.event,
            ...same,
            data: {
              planId: h.id,
              departmentId: h.department_id,
              dueAt: new Date(h.at).toISOString(),
              supervisionId: opened[i].id,
            },
          },
          supervisedEvent(opened[i], appeal.status),
        );
        notify.push(supervisionNotice(appeal, opened[i]));
      });
      if (!action) continue;
      const [first, ...after] = events;
      changes.set(appeal.id, { action, data: first.data, after, notify, patch: { supervised: true } });
    }
    return changes;
  }
}

/** Appeals with a plan timer due now, the longest overdue first. */
async function dueAppeals(m: EntityManager, now: Date): Promise<string[]> {
  const due = PLAN_TIMERS.map(
    (t) =>
      `SELECT appeal_id, ${t.atColumn} AS at FROM plans
       WHERE status = 'open' AND ${t.firedColumn} IS NULL AND ${t.atColumn} <= $1`,
  ).join(' UNION ALL ');
  const rows: { appeal_id: string }[] = await m.query(
    `SELECT appeal_id FROM (${due}) d GROUP BY appeal_id ORDER BY min(at) LIMIT ${SWEEP_BATCH}`,
    [now],
  );
  return rows.map((r) => r.appeal_id);
}

/** Marks every due timer of these appeals' open plans fired (or only the one named), kind by kind. */
async function markFired(
  m: EntityManager,
  appealIds: string[],
  now: Date,
  only?: { id: string; timer: PlanTimer },
): Promise<Hit[]> {
  const hits: Hit[] = [];
  for (const timer of PLAN_TIMERS) {
    if (only && only.timer.kind !== timer.kind) continue;
    const extra = timer.kind === 'plan_feedback' ? ', feedbacks_missed = feedbacks_missed + 1' : '';
    const [rows]: [Omit<Hit, 'timer'>[], number] = await m.query(
      `UPDATE plans SET ${timer.firedColumn} = $2 ${extra}
       WHERE appeal_id = ANY($1) AND status = 'open' AND ${timer.firedColumn} IS NULL
         AND ${timer.atColumn} <= $2 ${only ? 'AND id = $3' : ''}
       RETURNING id, appeal_id, department_id, ${timer.atColumn} AS at`,
      only ? [appealIds, now, only.id] : [appealIds, now],
    );
    hits.push(...rows.map((r) => ({ ...r, timer })));
  }
  return hits;
}
