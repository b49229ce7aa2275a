import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { RecentSet } from '../../common/recent-set';
import { QueueService } from '../../infra/queue/queue.service';
import type { DeadlineKind } from '../../infra/queue/job-types';
import { AppealWriter, Change, EventDraft, NoticeDraft } from '../appeals/appeal-writer';
import { DeadlineAlarms } from '../appeals/deadlines/deadline-alarms';
import { DeadlineLog, FiredBy } from '../appeals/deadlines/deadline-log';
import {
  HOLDS_TIMERS,
  NEXT_DUE,
  pendingAt,
  timer,
  TimerSpec,
  TIMERS,
} from '../appeals/deadlines/deadline-timers';
import { TimerSources } from '../appeals/deadlines/timer-sources';
import { Appeal } from '../appeals/entities/appeal.entity';
import { SurveyWindow } from '../assessment/survey-window';
import { deadlineNotice } from '../assignments/assignment-notices';
import { SupervisionEscalation } from '../supervision/supervision-escalation';
import { overdueReminderNote, overdueSupervisionNote } from '../supervision/supervision-notices';
import { SupervisionRecords, supervisedEvent } from '../supervision/supervision-records';
import { WORKING_STATUSES } from '../workflow/appeal-state-machine';

/** Appeals fired per transaction by the sweeper … */
const SWEEP_BATCH = 500;
/** … in this many transactions at once … */
const SWEEP_LANES = 2;
/** … and by a wake-up batch (see WakeBatches), … */
const WAKE_BATCH = 100;
/** … of which a process runs this many at once (the wake-ups that arrive meanwhile share the next). */
const WAKE_LANES = 2;
/**
 * Due assignments a batch considers per appeal it may take, in due order, before skipping held appeals:
 * a batch finds less only when more than that are held (the others are firing those).
 */
const CANDIDATES_PER_APPEAL = 2;

interface Hit {
  spec: TimerSpec;
  id: string;
  appeal_id: string;
  department_id: string;
  role: string;
  at: Date;
}
type Only = { assignmentId: string; kind: DeadlineKind };

/** Timers this process fired lately, remembered so their own wake-ups need not ask the database. */
const FIRED_MEMO = 50_000;

/** A wake-up whose appeal another transaction held looks again this much later (once). */
const HELD_RETRY_MS = 1000;

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
    private readonly queue: QueueService,
  ) {}

  private readonly logger = new Logger(DeadlinesService.name);
  /** `firedKey` of the timers fired by this process's committed batches, the latest FIRED_MEMO. */
  private readonly firedHere = new RecentSet<string>(FIRED_MEMO);
  private readonly batches = new WakeBatches((mine) =>
    this.fireDue((m, now) => dueAppeals(m, now, mine, WAKE_BATCH), { skipLocked: true }),
  );

  /**
   * Fires one timer of one assignment if it is due, waiting for its appeal's lock; true when it fired
   * now. The wake-ups do not use it (they never wait, see wake()).
   */
  async fire(assignmentId: string, kind: DeadlineKind): Promise<boolean> {
    const spec = timer(kind);
    const { hits } = await this.fireDue(
      (m, now) =>
        m
          .query(
            `SELECT appeal_id FROM assignments WHERE id = $1 AND ${spec.open} AND ${spec.firedColumn} IS NULL
             AND ${spec.atColumn} <= $2`,
            [assignmentId, now],
          )
          .then((rows: { appeal_id: string }[]) => rows.map((r) => r.appeal_id)),
      { only: { assignmentId, kind } },
    );
    return hits.length > 0;
  }

  /**
   * A wake-up call: it joins the process's next wake-up batch — everything due, oldest first, with the
   * appeals of the wake-ups waiting for that batch first — so a burst of wake-ups costs a few
   * transactions, not one each, and at most WAKE_LANES of them run at once (more would only read the
   * rows the others hold and skip them). It never waits for a lock: appeals another transaction holds
   * are skipped (a concurrent batch is firing them, or a person is acting on them). When its own appeal
   * was held and its timer is still due, it arms one second look a second later (one per timer);
   * whatever is left after that, the sweeper fires. One that arrives before its instant (the clocks of
   * two hosts disagree) fails, so BullMQ retries it with backoff.
   */
  async wake(assignmentId: string, kind: DeadlineKind, secondLook = false, dueAt?: string): Promise<boolean> {
    // a batch of this process fired it at that instant: its mark is committed, nothing to ask (a timer
    // re-armed at another instant is another key)
    if (dueAt !== undefined && this.firedHere.has(firedKey(assignmentId, kind, new Date(dueAt))))
      return false;
    const pending = await this.state(assignmentId, kind);
    if (pending === 'early')
      throw new Error(`wake-up for ${kind} of assignment ${assignmentId} arrived before its instant`);
    // fired by an earlier batch, or the step was done: nothing to do
    if (pending === 'done') return false;
    const { hits, locked } = await this.batches.join(pending.appealId);
    if (hits.some((h) => h.id === assignmentId && h.spec.kind === kind)) return true;
    const held = !locked.has(pending.appealId);
    if (held && !secondLook) {
      const at = pending.at.getTime();
      await this.queue
        .add(
          'deadline.fire',
          { assignmentId, kind, dueAt: pending.at.toISOString(), secondLook: true },
          { key: [assignmentId, kind, at, 'held'], delayMs: HELD_RETRY_MS },
        )
        .catch((err: Error) => this.logger.warn(`arming a second look failed: ${err.message}`));
    }
    return false;
  }

  /** The step still open, not fired, and its instant still ahead by this process's clock. */
  async isEarly(assignmentId: string, kind: DeadlineKind): Promise<boolean> {
    return (await this.state(assignmentId, kind)) === 'early';
  }

  /** A timer not fired while its step is open is due or early by this process's clock; else done. */
  private async state(
    assignmentId: string,
    kind: DeadlineKind,
  ): Promise<{ appealId: string; at: Date } | 'early' | 'done'> {
    const spec = timer(kind);
    const rows: { early: boolean; appeal_id: string; at: Date }[] = await this.db.query(
      `SELECT ${spec.atColumn} > $2 AS early, appeal_id, ${spec.atColumn} AS at FROM assignments
       WHERE id = $1 AND ${spec.open} AND ${spec.firedColumn} IS NULL AND ${spec.atColumn} IS NOT NULL`,
      [assignmentId, this.clock.now()],
    );
    if (rows.length === 0) return 'done';
    return rows[0].early ? 'early' : { appealId: rows[0].appeal_id, at: new Date(rows[0].at) };
  }

  /**
   * Fires everything that was due when it started, oldest first, many appeals per transaction; closes
   * unrated; re-arms. What falls due while it runs is left to its wake-up (the re-arming at the end arms
   * one for any that has none): a sweep that chased it through a burst held hundreds of appeals per
   * batch while their own wake-ups waited for a second look — 7,307 of a burst's 20,000 events fired by
   * one sweep over 4.4 s, the burst's lateness p99 4.6 s.
   */
  async sweep(): Promise<{ fired: number; closed: number; armed: number }> {
    let fired = 0;
    const started = this.clock.now();
    // SWEEP_LANES batches at once: they take disjoint appeals (SKIP LOCKED), so a catch-up after an
    // outage uses the database's cores while this process builds the next batch's events
    const lane = async () => {
      for (;;) {
        const { hits } = await this.fireDue((m) => dueAppeals(m, started, []), {
          skipLocked: true,
          by: 'sweep',
        });
        fired += hits.length;
        if (hits.length === 0) break;
      }
    };
    await Promise.all(Array.from({ length: SWEEP_LANES }, lane));
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
   * One transaction: lock the selected appeals (in a batch, skipping those another transaction holds),
   * mark every due timer of theirs fired with one conditional UPDATE, insert the automatic supervisions
   * and reminders of the overdue ones, and hand each appeal's events and notices to the writer. Returns
   * the timers fired, and the appeals it locked.
   */
  private async fireDue(
    select: (m: EntityManager, now: Date) => Promise<string[]>,
    opts: { only?: Only; skipLocked?: boolean; by?: FiredBy } = {},
  ): Promise<{ hits: Hit[]; locked: Set<string> }> {
    let fired: { hits: Hit[]; now: Date } = { hits: [], now: this.clock.now() };
    const locked = new Set<string>();
    await this.writer.changeMany(
      select,
      async (steps) => {
        for (const st of steps) locked.add(st.appeal.id);
        const working = steps.map((st) => st.appeal).filter((a) => WORKING_STATUSES.includes(a.status));
        if (working.length === 0) return new Map();
        const { m, now } = steps[0];
        const hits = await markFired(
          m,
          working.map((a) => a.id),
          now,
          opts.only,
        );
        fired = { hits, now };
        return this.changes(m, working, hits, now);
      },
      { skipLocked: opts.skipLocked ?? false },
    );
    // committed (the writer has armed the automatic supervisions' answer dues): now they count
    const { hits, now } = fired;
    for (const h of hits) this.firedHere.add(firedKey(h.id, h.spec.kind, new Date(h.at)));
    this.log.fired(
      hits.map((h) => ({ kind: h.spec.kind, appealId: h.appeal_id, assignmentId: h.id, at: new Date(h.at) })),
      now,
      opts.by ?? 'wake-up',
    );
    return { hits, locked };
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

/**
 * Appeals with a timer due now, the longest overdue first, locked — skipping those another transaction
 * holds, so concurrent batches take disjoint sets and never wait for one another — with `mine` (the
 * waiting wake-ups' own appeals) first, on the same terms; at most `limit`. Two steps with plans that do
 * not depend on the statistics: the candidates in due order from one range scan of
 * ix_assignments_next_due, then their appeals by primary key.
 */
async function dueAppeals(
  m: EntityManager,
  now: Date,
  mine: string[],
  limit = SWEEP_BATCH,
): Promise<string[]> {
  const candidates: { appeal_id: string }[] = await m.query(
    // a top-N in index order: it reads the first candidates, not every due row
    `SELECT appeal_id FROM assignments WHERE ${HOLDS_TIMERS} AND ${NEXT_DUE} <= $1
      ORDER BY ${NEXT_DUE} LIMIT ${CANDIDATES_PER_APPEAL * limit}`,
    [now],
  );
  const ids = [...new Set([...mine, ...candidates.map((c) => c.appeal_id)])];
  if (ids.length === 0) return [];
  const rows: { id: string }[] = await m.query(
    `SELECT a.id FROM unnest($1::uuid[]) WITH ORDINALITY AS c(id, n) JOIN appeals a ON a.id = c.id
      WHERE a.status = ANY($2) ORDER BY c.n LIMIT ${limit}
      FOR UPDATE OF a SKIP LOCKED`,
    [ids, WORKING_STATUSES],
  );
  return rows.map((r) => r.id);
}

const firedKey = (assignmentId: string, kind: DeadlineKind, at: Date) =>
  `${assignmentId}/${kind}/${at.getTime()}`;

type Fired = { hits: Hit[]; locked: Set<string> };

/**
 * The wake-up batches of one process: at most WAKE_LANES at once; a wake-up that finds every lane busy
 * waits for the next batch, which takes the appeals of all the wake-ups waiting (up to WAKE_BATCH)
 * first. Each learns what its batch fired and locked; a batch that fails fails its wake-ups (BullMQ
 * retries them).
 */
class WakeBatches {
  private waiting: { appealId: string; done: (r: Fired) => void; failed: (e: unknown) => void }[] = [];
  private running = 0;

  constructor(private readonly fire: (mine: string[]) => Promise<Fired>) {}

  join(appealId: string): Promise<Fired> {
    return new Promise<Fired>((done, failed) => {
      this.waiting.push({ appealId, done, failed });
      this.next();
    });
  }

  private next(): void {
    while (this.running < WAKE_LANES && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, WAKE_BATCH);
      this.running++;
      this.fire([...new Set(batch.map((w) => w.appealId))])
        .then(
          (r) => batch.forEach((w) => w.done(r)),
          (err) => batch.forEach((w) => w.failed(err)),
        )
        .finally(() => {
          this.running--;
          this.next();
        });
    }
  }
}

/**
 * Marks every due timer of these appeals fired (or only the one named) in one statement: the due
 * timers of each assignment are read under its row lock, then set with their flags. Hits in the order
 * of TIMERS.
 */
async function markFired(m: EntityManager, appealIds: string[], now: Date, only?: Only): Promise<Hit[]> {
  if (appealIds.length === 0) return [];
  const specs = TIMERS.filter((t) => !only || t.kind === only.kind);
  const due = specs.map((t, i) => `(${pendingAt(t)} <= $2) IS TRUE AS d${i}, ${t.atColumn} AS at${i}`);
  const set = specs.map(
    (t, i) => `${t.firedColumn} = CASE WHEN due.d${i} THEN $2 ELSE s.${t.firedColumn} END`,
  );
  for (const flag of ['warning', 'overdue'] as const) {
    const any = specs.flatMap((t, i) => (t.flag === flag ? [`due.d${i}`] : []));
    if (any.length > 0) set.push(`${flag} = s.${flag} OR ${any.join(' OR ')}`);
  }
  const rows: (Omit<Hit, 'spec' | 'at'> & Record<string, unknown>)[] = await m
    .query(
      `WITH due AS (
         SELECT id, appeal_id, department_id, role, ${due.join(', ')} FROM assignments
          WHERE appeal_id = ANY($1) AND ${HOLDS_TIMERS} AND ${NEXT_DUE} <= $2 ${only ? 'AND id = $3' : ''}
          FOR UPDATE
       )
       UPDATE assignments s SET ${set.join(', ')}
         FROM due WHERE s.id = due.id AND (${specs.map((_, i) => `due.d${i}`).join(' OR ')})
       RETURNING due.*`,
      only ? [appealIds, now, only.assignmentId] : [appealIds, now],
    )
    .then(([r]: [(Omit<Hit, 'spec' | 'at'> & Record<string, unknown>)[], number]) => r);
  return specs.flatMap((spec, i) =>
    rows
      .filter((r) => r[`d${i}`] === true)
      .map((r) => ({
        spec,
        id: r.id,
        appeal_id: r.appeal_id,
        department_id: r.department_id,
        role: r.role,
        at: r[`at${i}`] as Date,
      })),
  );
}
