import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { AppealWriter, Change, EventDraft, NoticeDraft } from '../appeals/appeal-writer';
import {
  FiredRow,
  FireRowTimers,
  RowTimer,
  RowTimers,
  RowTimerSource,
} from '../appeals/deadlines/row-timers';
import { TimerSources } from '../appeals/deadlines/timer-sources';
import type { Appeal } from '../appeals/entities/appeal.entity';
import { supervisionNotice } from '../supervision/supervision-notices';
import { SupervisionRecords, supervisedEvent } from '../supervision/supervision-records';
import {
  commitmentOverdueNote,
  whistleDeadlineNotice,
  WhistleStepName,
  whistleOverdueNote,
} from './whistle-notices';

/**
 * The timers of a whistle (SPEC §12 with the guarantees of §3), each an instant column and its fired mark
 * on one of the room's rows, and the condition under which it still matters (over the row alias `t`):
 * the review while requested, the meeting while approved, each summoned department's check-in while the
 * whistle is approved and it has not checked in, each commitment until it is complete. Pure data, shared
 * by arming, waking and sweeping.
 */
export interface WhistleTimerSpec extends RowTimer {
  table: 'whistles' | 'whistle_departments' | 'whistle_commitments';
  overdue: boolean;
  step: WhistleStepName;
  /** SQL over `t`: the department the deadline falls on (null: the centre) */
  department: string;
  /** SQL over `t`: the whistle */
  whistle: string;
}

const APPROVED = `EXISTS (SELECT 1 FROM whistles w WHERE w.id = t.whistle_id AND w.status = 'approved')`;

const SPECS: Omit<WhistleTimerSpec, 'returning'>[] = [
  ...(['warning', 'overdue'] as const).map((level) => ({
    kind: `review_${level}`,
    table: 'whistles' as const,
    atColumn: level === 'warning' ? 'review_warn_at' : 'review_due_at',
    firedColumn: `review_${level === 'warning' ? 'warn' : 'overdue'}_fired_at`,
    open: `t.status = 'requested'`,
    overdue: level === 'overdue',
    step: 'whistle_review' as const,
    department: 'NULL::uuid',
    whistle: 't.id',
  })),
  ...(['warning', 'overdue'] as const).map((level) => ({
    kind: `meeting_${level}`,
    table: 'whistles' as const,
    atColumn: level === 'warning' ? 'meeting_warn_at' : 'meeting_due_at',
    firedColumn: `meeting_${level === 'warning' ? 'warn' : 'overdue'}_fired_at`,
    open: `t.status = 'approved'`,
    overdue: level === 'overdue',
    step: 'whistle_meeting' as const,
    department: 't.lead_department_id',
    whistle: 't.id',
  })),
  ...(['warning', 'overdue'] as const).map((level) => ({
    kind: `check_in_${level}`,
    table: 'whistle_departments' as const,
    atColumn: level === 'warning' ? 'check_in_warn_at' : 'check_in_due_at',
    firedColumn: `check_in_${level === 'warning' ? 'warn' : 'overdue'}_fired_at`,
    open: `t.checked_in_at IS NULL AND ${APPROVED}`,
    overdue: level === 'overdue',
    step: 'whistle_check_in' as const,
    department: 't.department_id',
    whistle: 't.whistle_id',
  })),
  {
    kind: 'commitment_overdue',
    table: 'whistle_commitments',
    atColumn: 'due_at',
    firedColumn: 'overdue_fired_at',
    open: 't.completed_at IS NULL',
    overdue: true,
    step: 'whistle_commitment',
    department: 't.department_id',
    whistle: 't.whistle_id',
  },
];

/** Each timer returns, when it fires, its whistle, the department it falls on and a commitment's text. */
export const WHISTLE_TIMERS: readonly WhistleTimerSpec[] = SPECS.map((s) => ({
  ...s,
  returning: `${s.whistle} AS whistle_id, ${s.department} AS department_id,
              ${s.table === 'whistle_commitments' ? 't.content' : 'NULL::text'} AS content`,
}));

/** What a fired whistle timer returns besides its row, appeal and instant. */
type Returned = { whistle_id: string; department_id: string | null; content: string | null };
type Hit = FiredRow<WhistleTimerSpec, Returned>;

const TIMERS = new RowTimers<WhistleTimerSpec, Returned>(WHISTLE_TIMERS);

/**
 * The whistle's deadlines through the §3 machinery (a TimerSource): a missed review, check-in or meeting
 * gives a warning and then an overdue with a reminder (催办) on whom it falls; a commitment past its due
 * opens a supervision (督办, SPEC §7.3) on its department. Firing is a conditional UPDATE of the row's
 * `*_fired_at` inside the writer's changeMany, many appeals per transaction: a timer fires exactly once
 * however often it is woken, and a Redis flush or a killed worker costs only time until the sweeper.
 */
@Injectable()
export class WhistleTimers extends RowTimerSource<WhistleTimerSpec, Returned> {
  readonly name = 'whistle';
  private readonly logger = new Logger(WhistleTimers.name);

  constructor(
    @InjectDataSource() db: DataSource,
    clock: Clock,
    private readonly writer: AppealWriter,
    private readonly records: SupervisionRecords,
    sources: TimerSources,
  ) {
    super(TIMERS, db, clock, sources);
  }

  /**
   * One transaction through the writer: lock the selected appeals, mark each due timer of theirs fired
   * (or only the one named) with one conditional UPDATE per kind, open the reminders and supervisions of
   * the overdue ones, and hand each appeal's events and notices to the writer. The timers it fired.
   */
  protected readonly fire: FireRowTimers<WhistleTimerSpec, Returned> = async (
    select,
    only,
    skipLocked = false,
  ) => {
    let all: Hit[] = [];
    await this.writer.changeMany(
      select,
      async (steps) => {
        const changes = new Map<string, Change>();
        if (steps.length === 0) return changes;
        const { m, now } = steps[0];
        const hits = await TIMERS.markFired(
          m,
          steps.map((st) => st.appeal.id),
          now,
          only,
        );
        all = hits;
        if (hits.length === 0) return changes;
        const byId = new Map(steps.map((st) => [st.appeal.id, st.appeal]));
        const overdue = hits.filter((h) => h.timer.overdue);
        const opened = await this.records.open(
          m,
          overdue.map((h) => ({
            appeal: byId.get(h.appeal_id)!,
            order: {
              // SPEC §12: a missed commitment is supervised (督办); a missed review, check-in or meeting reminded (催办)
              level: h.timer.step === 'whistle_commitment' ? ('supervision' as const) : ('reminder' as const),
              source: 'overdue' as const,
              departmentId: h.department_id,
              note:
                h.timer.step === 'whistle_commitment'
                  ? commitmentOverdueNote(h.content ?? '')
                  : whistleOverdueNote(h.timer.step),
              createdBy: null,
            },
          })),
          now,
        );
        const opens = new Map(overdue.map((h, i) => [h, opened[i]]));
        for (const h of overdue)
          if (h.timer.step === 'whistle_commitment')
            await m.query(`UPDATE whistle_commitments SET supervision_id = $2 WHERE id = $1`, [
              h.id,
              opens.get(h)!.id,
            ]);
        for (const appeal of steps.map((st) => st.appeal)) {
          const mine = hits.filter((h) => h.appeal_id === appeal.id);
          if (mine.length === 0) continue;
          changes.set(appeal.id, changeOf(appeal, mine, opens));
        }
        return changes;
      },
      { skipLocked },
    );
    // committed: now they count
    for (const h of all)
      this.logger.log({
        msg: 'deadline fired',
        kind: `whistle.${h.timer.kind}`,
        appealId: h.appeal_id,
        whistleId: h.whistle_id,
        dueAt: new Date(h.at).toISOString(),
        firedBy: only ? 'wake-up' : 'sweep',
      });
    return all;
  };
}

/** The events and notices of one appeal's fired whistle timers. */
function changeOf(appeal: Appeal, hits: Hit[], opens: Map<Hit, { id: string } & object>): Change {
  const same = { fromStatus: appeal.status, toStatus: appeal.status };
  const events: EventDraft[] = [];
  const notify: NoticeDraft[] = [];
  for (const h of hits) {
    events.push({
      action: h.timer.overdue ? 'deadline.overdue' : 'deadline.warning',
      ...same,
      data: {
        whistleId: h.whistle_id,
        step: h.timer.step,
        kind: h.timer.kind,
        departmentId: h.department_id,
        ...(h.timer.table === 'whistle_departments' ? { summonsId: h.id } : {}),
        ...(h.timer.table === 'whistle_commitments' ? { commitmentId: h.id } : {}),
        dueAt: new Date(h.at).toISOString(),
      },
    });
    const opened = opens.get(h) as Parameters<typeof supervisedEvent>[0] | undefined;
    if (opened) {
      events.push(supervisedEvent(opened, appeal.status));
      if (opened.departmentId) notify.push(supervisionNotice(appeal, opened));
    } else if (h.department_id) {
      notify.push(whistleDeadlineNotice(appeal, h.department_id, h.timer.step, false, new Date(h.at)));
    }
  }
  const [first, ...after] = events;
  return {
    action: first.action === 'deadline.overdue' ? 'whistle_deadline_overdue' : 'whistle_deadline_warning',
    data: first.data,
    after,
    notify,
    patch: opens.size > 0 && hits.some((h) => opens.has(h)) ? { supervised: true } : {},
  };
}
