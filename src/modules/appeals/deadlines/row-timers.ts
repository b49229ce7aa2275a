import type { EntityManager } from 'typeorm';
import type { OnModuleInit } from '@nestjs/common';
import type { PendingTimer, TimerSource, TimerSources } from './timer-sources';

/**
 * One timer kept on a room's own rows: an instant column and its fired mark on `table` (alias `t`, with
 * `id` and `appeal_id` columns), and the SQL condition under which it still matters. Pure data, shared by
 * arming, waking and sweeping.
 */
export interface RowTimer {
  kind: string;
  table: string;
  atColumn: string;
  firedColumn: string;
  /** SQL over `t`: the timer still matters (the plan is open, the whistle approved, …) */
  open: string;
  /** SQL over `t`: more columns to return from a fired row, e.g. `t.department_id AS department_id` */
  returning: string;
  /** more assignments when it fires, e.g. `feedbacks_missed = feedbacks_missed + 1` */
  set?: string;
}

/** A timer that fired now: its row, its appeal, its instant and the timer's returned columns. */
export type FiredRow<T extends RowTimer, R> = R & { timer: T; id: string; appeal_id: string; at: Date };

/** Selects the appeals a firing transaction locks. */
export type AppealSelect = (m: EntityManager, now: Date) => Promise<string[]>;

/** A room's one firing transaction: the appeals it selects, or only the one timer named. */
export type FireRowTimers<T extends RowTimer, R> = (
  select: AppealSelect,
  only?: { id: string; kind: string },
  skipLocked?: boolean,
) => Promise<FiredRow<T, R>[]>;

/** Appeals fired per transaction by the sweeper and by a wake-up's batch. */
const SWEEP_BATCH = 500;

/**
 * The timers of one room, kept on its rows, as a TimerSource needs them: the unfired ones to arm, the
 * appeals with some due, the one conditional UPDATE per kind that marks them fired (so a timer fires once
 * however often it is woken), and the wake-up and sweep around the room's firing transaction. The room
 * keeps only what firing means: its events, reminders and supervisions.
 */
export class RowTimers<T extends RowTimer, R = object> {
  constructor(readonly timers: readonly T[]) {}

  timer(kind: string): T {
    const t = this.timers.find((x) => x.kind === kind);
    if (!t) throw new Error(`unknown timer ${kind}`);
    return t;
  }

  /** Unfired timers of these appeals, or (appealIds undefined) every unfired timer due before `until`. */
  async pending(m: EntityManager, appealIds: string[] | undefined, until: Date): Promise<PendingTimer[]> {
    const out: PendingTimer[] = [];
    for (const t of this.timers) {
      const rows: { id: string; at: Date }[] = await m.query(
        `SELECT t.id, t.${t.atColumn} AS at FROM ${t.table} t
         WHERE ${unfired(t)} AND ${appealIds ? 't.appeal_id = ANY($1)' : `t.${t.atColumn} <= $1`}`,
        [appealIds ?? until],
      );
      for (const r of rows) out.push({ id: r.id, kind: t.kind, at: new Date(r.at) });
    }
    return out;
  }

  /** Appeals with a timer due now, the longest overdue first. */
  readonly dueAppeals: AppealSelect = async (m, now) => {
    const due = this.timers
      .map((t) => `SELECT t.appeal_id, t.${t.atColumn} AS at FROM ${t.table} t WHERE ${dueAt(t, '$1')}`)
      .join(' UNION ALL ');
    const rows: { appeal_id: string }[] = await m.query(
      `SELECT d.appeal_id FROM (${due}) d GROUP BY d.appeal_id ORDER BY min(d.at) LIMIT ${SWEEP_BATCH}`,
      [now],
    );
    return rows.map((r) => r.appeal_id);
  };

  /** Marks every due timer of these appeals fired (or only the one named), kind by kind, in order. */
  async markFired(
    m: EntityManager,
    appealIds: string[],
    now: Date,
    only?: { id: string; kind: string },
  ): Promise<FiredRow<T, R>[]> {
    const fired: FiredRow<T, R>[] = [];
    for (const t of this.timers) {
      if (only && only.kind !== t.kind) continue;
      const [rows]: [Omit<FiredRow<T, R>, 'timer'>[], number] = await m.query(
        `UPDATE ${t.table} t SET ${t.firedColumn} = $2${t.set ? `, ${t.set}` : ''}
         WHERE t.appeal_id = ANY($1) AND ${dueAt(t, '$2')} ${only ? 'AND t.id = $3' : ''}
         RETURNING t.id, t.appeal_id, t.${t.atColumn} AS at, ${t.returning}`,
        only ? [appealIds, now, only.id] : [appealIds, now],
      );
      for (const r of rows) fired.push({ ...r, timer: t } as FiredRow<T, R>);
    }
    return fired;
  }

  /**
   * A wake-up for one timer: everything due in one batch, then this one if the batch left it — neither
   * waits for a lock: an appeal another transaction holds (a batch firing it, a person acting on it) is
   * skipped, and what is left the sweeper fires. False when it did not fire now; throws when it arrives
   * before its instant by this process's clock, so the job is retried; true when it fired now.
   */
  async wake(
    db: Pick<EntityManager, 'query'>,
    now: Date,
    id: string,
    kind: string,
    fire: FireRowTimers<T, R>,
  ): Promise<boolean> {
    const t = this.timer(kind);
    const rows: { early: boolean }[] = await db.query(
      `SELECT t.${t.atColumn} > $2 AS early FROM ${t.table} t WHERE t.id = $1 AND ${unfired(t)}`,
      [id, now],
    );
    if (rows.length === 0) return false;
    if (rows[0].early) throw new Error(`wake-up for timer ${kind} of ${id} arrived before its instant`);
    const mine = (h: FiredRow<T, R>) => h.id === id && h.timer.kind === kind;
    if ((await fire(this.dueAppeals, undefined, true)).some(mine)) return true;
    const one: AppealSelect = async (m, at) =>
      (
        await m.query(`SELECT t.appeal_id FROM ${t.table} t WHERE t.id = $1 AND ${dueAt(t, '$2')}`, [id, at])
      ).map((r: { appeal_id: string }) => r.appeal_id);
    return (await fire(one, { id, kind }, true)).some(mine);
  }

  /** The sweeper: every due, unfired timer, a batch of appeals per transaction, skipping busy ones. */
  async sweep(fire: FireRowTimers<T, R>): Promise<number> {
    let fired = 0;
    for (;;) {
      const n = (await fire(this.dueAppeals, undefined, true)).length;
      fired += n;
      if (n === 0) return fired;
    }
  }
}

/**
 * A TimerSource over a room's row timers: registers itself, and arms, wakes and sweeps through its
 * RowTimers; the room writes only `fire`, its one firing transaction through the writer.
 */
export abstract class RowTimerSource<T extends RowTimer, R> implements TimerSource, OnModuleInit {
  abstract readonly name: string;
  protected abstract readonly fire: FireRowTimers<T, R>;

  protected constructor(
    protected readonly timers: RowTimers<T, R>,
    private readonly db: Pick<EntityManager, 'query'>,
    private readonly clock: { now(): Date },
    private readonly sources: TimerSources,
  ) {}

  /** Armed after every writer commit, woken by `deadline.timer`, swept with the rest. */
  onModuleInit(): void {
    this.sources.register(this);
  }

  pending(m: EntityManager, appealIds: string[] | undefined, until: Date): Promise<PendingTimer[]> {
    return this.timers.pending(m, appealIds, until);
  }

  wake(id: string, kind: string): Promise<boolean> {
    return this.timers.wake(this.db, this.clock.now(), id, kind, this.fire);
  }

  sweep(): Promise<number> {
    return this.timers.sweep(this.fire);
  }
}

/** Unfired and still mattering (over `t`). */
const unfired = (t: RowTimer) => `${t.open} AND t.${t.firedColumn} IS NULL AND t.${t.atColumn} IS NOT NULL`;
/** Unfired, still mattering, and due at the instant in parameter `now`. */
const dueAt = (t: RowTimer, now: string) => `${unfired(t)} AND t.${t.atColumn} <= ${now}`;
