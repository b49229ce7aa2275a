import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { AppealWriter, Change, EventDraft, NoticeDraft } from '../appeals/appeal-writer';
import { Appeal } from '../appeals/entities/appeal.entity';
import {
  FiredRow,
  FireRowTimers,
  RowTimer,
  RowTimers,
  RowTimerSource,
} from '../appeals/deadlines/row-timers';
import { TimerSources } from '../appeals/deadlines/timer-sources';
import { supervisionNotice } from '../supervision/supervision-notices';
import { SupervisionRecords, supervisedEvent } from '../supervision/supervision-records';
import { PLAN_FEEDBACK_REMINDER_NOTE, PLAN_OVERDUE_SUPERVISION_NOTE } from './plan-notices';

/**
 * The two timers of a plan (SPEC §9.3), each a column of `plans` with its fired mark: a missed next
 * feedback opens a reminder (催办), a promise passing while the plan is open opens a supervision (督办,
 * source plan_overdue). Both only while the plan is open.
 */
export const PLAN_TIMERS = [
  {
    kind: 'plan_feedback',
    table: 'plans',
    atColumn: 'next_feedback_at',
    firedColumn: 'feedback_fired_at',
    open: `t.status = 'open'`,
    returning: 't.department_id',
    set: 'feedbacks_missed = feedbacks_missed + 1',
    event: 'deadline.plan_feedback_overdue',
    action: 'plan_feedback_overdue',
  },
  {
    kind: 'plan_overdue',
    table: 'plans',
    atColumn: 'promised_by',
    firedColumn: 'overdue_fired_at',
    open: `t.status = 'open'`,
    returning: 't.department_id',
    event: 'deadline.plan_overdue',
    action: 'plan_overdue',
  },
] as const satisfies readonly (RowTimer & { event: string; action: string })[];
export type PlanTimerKind = (typeof PLAN_TIMERS)[number]['kind'];
type PlanTimer = (typeof PLAN_TIMERS)[number];
type Returned = { department_id: string };
type Hit = FiredRow<PlanTimer, Returned>;

const TIMERS = new RowTimers<PlanTimer, Returned>(PLAN_TIMERS);

/**
 * Firing of the plans' timers, exactly once with the guarantees of SPEC §3: the database is the source
 * of truth, firing is one conditional UPDATE per kind setting the fired mark only while the plan is open,
 * its instant has passed and the mark is unset — so a wake-up that runs twice, late, or after the plan
 * was updated or fulfilled changes nothing. Set-based: many appeals per transaction through the writer's
 * changeMany, each timer with its event, its reminder or supervision and the department's notice.
 * BullMQ delayed jobs are only wake-ups; the sweeper fires whatever was missed.
 */
@Injectable()
export class PlanDeadlines extends RowTimerSource<PlanTimer, Returned> {
  readonly name = 'plan';
  private readonly logger = new Logger('PlanDeadlines');

  constructor(
    @InjectDataSource() db: DataSource,
    clock: Clock,
    private readonly writer: AppealWriter,
    private readonly records: SupervisionRecords,
    sources: TimerSources,
  ) {
    super(TIMERS, db, clock, sources);
  }

  /** One transaction: lock the appeals, mark their due timers fired, open the records, log the events. */
  protected readonly fire: FireRowTimers<PlanTimer, Returned> = async (select, only, skipLocked = false) => {
    let fired: Hit[] = [];
    await this.writer.changeMany(
      select,
      async (steps) => {
        if (steps.length === 0) return new Map();
        const { m, now } = steps[0];
        const appeals = steps.map((st) => st.appeal);
        const hits = await TIMERS.markFired(
          m,
          appeals.map((a) => a.id),
          now,
          only,
        );
        fired = hits;
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
    return fired;
  };

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
