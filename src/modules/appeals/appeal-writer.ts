import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/domain-error';
import type { Actor } from '../auth/auth.decorators';
import { OPEN_ASSIGNMENT_SQL } from '../assignments/entities/assignment.entity';
import { Notifier, OutgoingNotification } from '../notifications/notifier';
import { AppealAction, AppealStatus, transition } from '../workflow/appeal-state-machine';
import { enterpriseNotice } from './appeal-notices';
import { AppealReader } from './appeal-reader';
import type { AppealView } from './appeal-view';
import { DeadlineAlarms } from './deadlines/deadline-alarms';
import { Appeal } from './entities/appeal.entity';
import { EventLog, NewEvent } from './event-log';

/** The system as an actor: routing, deadlines, the survey window. Its events carry actorId null (SPEC §5). */
export const SYSTEM_ACTOR: Actor = {
  id: '00000000-0000-0000-0000-000000000000',
  username: 'system',
  role: 'system',
  departmentId: null,
  enterpriseId: null,
};

export const actorIdOf = (actor: Actor): string | null => (actor.role === 'system' ? null : actor.id);

/** An event besides the action's own; the writer adds the actor and the instant. */
export interface EventDraft {
  action: string;
  fromStatus: AppealStatus | null;
  toStatus: AppealStatus | null;
  data?: Record<string, unknown>;
}
export type NoticeDraft = Omit<OutgoingNotification, 'at' | 'appealId'>;

/**
 * What an action does to one appeal: a row of the transition table plus what to record with it, and
 * what the work hands back to its caller once committed (`returns`: a record it made).
 */
export interface Change<R = unknown> {
  action: AppealAction;
  returns?: R;
  /** Fields of the appeal to change besides status, version and updatedAt. */
  patch?: Partial<Appeal>;
  /** The data of the action's own event. */
  data?: Record<string, unknown>;
  /** Events logged before the action's own (survey.recorded before appeal.closed). */
  before?: EventDraft[];
  /** Events logged after the action's own (appeal.supervised after appeal.closed). */
  after?: EventDraft[];
  notify?: NoticeDraft[];
  /** Other locked appeals the action records an event on, without changing their status (a merge target). */
  related?: { appeal: Appeal; events: EventDraft[] }[];
}

/** Fields only: no new version, no event (routing notes that a dispatcher's expectedVersion must not trip on). */
export interface Annotation {
  annotate: Partial<Appeal>;
}

/** What a piece of work sees: the appeal row locked in the writer's transaction. */
export interface Step {
  m: EntityManager;
  appeal: Appeal;
  now: Date;
  actor: Actor;
  /** The other appeals the caller asked to lock too, by id. */
  locked: Map<string, Appeal>;
  /** Checks the transition table before any work, so a wrong status is 409 before anything else. */
  allow: (action: AppealAction) => void;
}

export type Work<R = unknown> = (step: Step) => Promise<Change<R> | Annotation | null>;

/** Many appeals' work: each locked appeal's change, annotation or nothing. */
export type ManyWork = (steps: Step[]) => Promise<Map<string, Change | Annotation | null>>;

/** What one appeal's write came to, and what its work returned. */
export interface Written<R> {
  outcome: Outcome;
  returns: R | undefined;
}

/** The writer inside a transaction the caller holds (a meeting's issues filed and answered in one). */
export interface WriterTx {
  m: EntityManager;
  /**
   * Locks `ids` in id order (with `skipLocked`, one busy with someone else is left out) and writes each
   * one's change; no scope or version check. What it changes is armed after the transaction commits.
   */
  changeWithin(
    ids: string[],
    actor: Actor,
    work: ManyWork,
    opts?: { skipLocked?: boolean },
  ): Promise<Map<string, Outcome>>;
}

/** One appeal's write, normalised: where it goes and everything recorded with it. */
interface Write {
  appeal: Appeal;
  to: AppealStatus;
  patch: Partial<Appeal>;
  events: NewEvent[];
  notices: OutgoingNotification[];
}

/**
 * The one write path of an appeal (SPEC §2). Every change — people's actions, automatic dispatch,
 * deadline firing, the survey window's close, a merge target's event — runs through here: lock the row
 * (SELECT … FOR UPDATE, several rows in id order), check scope (404), `expectedVersion` (409
 * VERSION_CONFLICT) and the transition table (403 / 409 INVALID_TRANSITION), write the fields and the
 * status with a compare-and-set of the version, append the events to the hash chain (with the webhook
 * outbox), write the notices with the injected clock, and after commit arm the wake-ups of whatever
 * timers the change started. Concurrent actions on one appeal queue on the row lock, and each sees the
 * state its predecessor left. No other code writes `appeals.status` or `appeals.version`.
 */
@Injectable()
export class AppealWriter {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly reader: AppealReader,
    private readonly events: EventLog,
    private readonly notifier: Notifier,
    private readonly alarms: DeadlineAlarms,
  ) {}

  /** An action of a person: the change, then the appeal as that person now sees it. */
  async act(id: string, actor: Actor, expectedVersion: number | undefined, work: Work, opts?: LockOpts) {
    await this.change(id, actor, expectedVersion, work, opts);
    return this.reader.view(this.db.manager, id, actor, this.clock.now());
  }

  /**
   * An action of a person whose answer is a record the work made (an extension request, an assessment
   * appeal): what the work returned, and the appeal as that person now sees it.
   */
  async actFor<R>(
    id: string,
    actor: Actor,
    expectedVersion: number | undefined,
    work: (step: Step) => Promise<Change<R> & { returns: R }>,
    opts?: LockOpts,
  ): Promise<{ returns: R; appeal: AppealView }> {
    const { returns } = await this.change<R>(id, actor, expectedVersion, work, opts);
    return {
      returns: returns as R,
      appeal: await this.reader.view(this.db.manager, id, actor, this.clock.now()),
    };
  }

  /**
   * One appeal: `work` runs with the row locked and says what changes (null: nothing to do). Resolves
   * with whether anything was written and what the work returned. The wake-ups of whatever timers the
   * change started are armed after commit, never inside the transaction.
   */
  async change<R = unknown>(
    id: string,
    actor: Actor,
    expectedVersion: number | undefined,
    work: Work<R>,
    opts: LockOpts = {},
  ): Promise<Written<R>> {
    let returns: R | undefined;
    const outcome = await this.db.transaction(async (m) => {
      const locked = await this.lock(m, [id, ...(opts.alsoLock ?? [])]);
      const appeal = locked.get(id);
      if (!appeal) throw DomainError.notFound('appeal');
      await this.reader.assertVisible(m, appeal, actor);
      if (expectedVersion !== undefined && expectedVersion !== appeal.version) {
        throw new DomainError(
          'VERSION_CONFLICT',
          `the appeal is at version ${appeal.version}, not ${expectedVersion}`,
          { currentVersion: appeal.version },
        );
      }
      const now = this.clock.now();
      const result = await work(this.step(m, appeal, now, actor, locked));
      if (result && 'action' in result) returns = result.returns;
      return (await this.apply(m, now, actor, new Map([[id, { appeal, result }]]))).get(id)!;
    });
    if (outcome === 'changed') await this.alarms.arm([id]);
    return { outcome, returns };
  }

  /**
   * Many appeals at once, by the system (deadline firing, routing): `select` names the appeals, they
   * are locked in id order (with `skipLocked`, one busy with someone else is left out), and `work` gives
   * each locked appeal's change, annotation or nothing. One compare-and-set for the plain changes, one
   * update for the annotations, one event insert and one notice insert for all. The wake-ups of the
   * changed appeals are armed after commit. Resolves with each locked appeal's outcome.
   */
  async changeMany(
    select: (m: EntityManager, now: Date) => Promise<string[]>,
    work: ManyWork,
    opts: { skipLocked?: boolean } = {},
  ): Promise<Map<string, Outcome>> {
    return this.transaction(async (tx) => {
      const ids = await select(tx.m, this.clock.now());
      if (ids.length === 0) return new Map<string, Outcome>();
      return tx.changeWithin(ids, SYSTEM_ACTOR, work, opts);
    });
  }

  /**
   * A transaction for work that writes other rows besides appeals (a meeting's issues filed, some
   * answered on the spot): `fn` gets the writer inside it; after commit, the wake-ups of every appeal it
   * changed are armed.
   */
  async transaction<T>(fn: (tx: WriterTx) => Promise<T>): Promise<T> {
    const changed = new Set<string>();
    const result = await this.db.transaction(async (m) => {
      const tx: WriterTx = {
        m,
        changeWithin: async (ids, actor, work, opts = {}) => {
          const outcomes = await this.within(m, ids, actor, work, opts.skipLocked ?? false);
          for (const [id, o] of outcomes) if (o === 'changed') changed.add(id);
          return outcomes;
        },
      };
      return fn(tx);
    });
    if (changed.size > 0) await this.alarms.arm([...changed]);
    return result;
  }

  /** Locks `ids` in id order, runs `work` on them and writes what it said. */
  private async within(
    m: EntityManager,
    ids: string[],
    actor: Actor,
    work: ManyWork,
    skipLocked = false,
  ): Promise<Map<string, Outcome>> {
    const now = this.clock.now();
    const locked = await this.lock(m, ids, skipLocked);
    const results = await work([...locked.values()].map((a) => this.step(m, a, now, actor, locked)));
    const items = new Map(
      [...locked].map(([id, appeal]) => [id, { appeal, result: results.get(id) ?? null }]),
    );
    return this.apply(m, now, actor, items);
  }

  private step(m: EntityManager, appeal: Appeal, now: Date, actor: Actor, locked: Map<string, Appeal>): Step {
    const allow = (action: AppealAction) => {
      checked(appeal.status, action, actor);
    };
    return { m, appeal, now, actor, locked, allow };
  }

  /** Writes what the work said for each locked appeal: annotations, then changes with their events and notices. */
  private async apply(
    m: EntityManager,
    now: Date,
    actor: Actor,
    items: Map<string, { appeal: Appeal; result: Change | Annotation | null }>,
  ): Promise<Map<string, Outcome>> {
    const outcomes = new Map<string, Outcome>();
    const annotations: { id: string; fields: Partial<Appeal> }[] = [];
    const writes: Write[] = [];
    for (const [id, { appeal, result }] of items) {
      if (!result) outcomes.set(id, 'unchanged');
      else if ('annotate' in result) {
        annotations.push({ id, fields: result.annotate });
        outcomes.set(id, 'annotated');
      } else {
        writes.push(...this.normalise(appeal, actor, now, result));
        outcomes.set(id, 'changed');
      }
    }
    await this.annotate(m, annotations);
    if (writes.length > 0) await this.commit(m, now, actor, writes);
    return outcomes;
  }

  /** Fields only: no version, no event (annotations of one batch set the same fields). */
  private async annotate(m: EntityManager, rows: { id: string; fields: Partial<Appeal> }[]): Promise<void> {
    if (rows.length === 1) await m.getRepository(Appeal).update({ id: rows[0].id }, rows[0].fields);
    else if (rows.length > 1) await this.updateMany(m, rows, null);
  }

  /**
   * One UPDATE … FROM unnest(…) for many appeals setting the same fields. With `now`, it is a
   * compare-and-set: version + 1 and updatedAt, only where version and status are those read under
   * the lock; resolves with the rows it changed.
   */
  private async updateMany(
    m: EntityManager,
    rows: { id: string; fields: Partial<Appeal>; expect?: Pick<Appeal, 'version' | 'status'> }[],
    now: Date | null,
  ): Promise<number> {
    const meta = m.connection.getMetadata(Appeal);
    const columns = (Object.keys(rows[0].fields) as (keyof Appeal)[]).map((key) => {
      const column = meta.findColumnWithPropertyName(key);
      if (!column) throw new Error(`appeals has no field ${key}`);
      const type = String(column.type);
      return { key, name: column.databaseName, type: type === 'varchar' ? 'text' : type };
    });
    const values = columns.map(({ key, type }) =>
      rows.map((r) => {
        const v = r.fields[key];
        return type === 'jsonb' && v !== null && v !== undefined ? JSON.stringify(v) : (v ?? null);
      }),
    );
    const cas = now !== null;
    const params: unknown[] = [rows.map((r) => r.id), ...values];
    const sets = columns.map((c) => `${c.name} = v.${c.name}`);
    const arrays = columns.map((c, i) => `$${i + 2}::${c.type}[]`);
    const names = columns.map((c) => c.name);
    if (cas) {
      const n = params.length;
      params.push(
        rows.map((r) => r.expect!.version),
        rows.map((r) => r.expect!.status),
        now,
      );
      sets.push('version = a.version + 1', `updated_at = $${n + 3}`);
      arrays.push(`$${n + 1}::int[]`, `$${n + 2}::text[]`);
      names.push('expected_version', 'expected_status');
    }
    const [, affected]: [unknown, number] = await m.query(
      `UPDATE appeals a SET ${sets.join(', ')}
       FROM unnest($1::uuid[], ${arrays.join(', ')}) AS v(id, ${names.join(', ')})
       WHERE a.id = v.id ${cas ? 'AND a.version = v.expected_version AND a.status = v.expected_status' : ''}`,
      params,
    );
    return affected;
  }

  private async lock(m: EntityManager, ids: string[], skipLocked = false): Promise<Map<string, Appeal>> {
    const unique = [...new Set(ids)].sort();
    // a fixed order, so two writers locking overlapping sets cannot deadlock
    const qb = m
      .getRepository(Appeal)
      .createQueryBuilder('a')
      .where('a.id IN (:...ids)', { ids: unique })
      .orderBy('a.id')
      .setLock('pessimistic_write', undefined, ['a']);
    const rows = await (skipLocked ? qb.setOnLocked('skip_locked') : qb).getMany();
    return new Map(rows.map((a) => [a.id, a]));
  }

  /** The transition table's verdict, the events in order, the notices: one Write per appeal touched. */
  private normalise(appeal: Appeal, actor: Actor, now: Date, change: Change): Write[] {
    const t = checked(appeal.status, change.action, actor);
    const who = { actorId: actorIdOf(actor), actorRole: actor.role };
    const draft = (e: EventDraft): NewEvent => ({ ...e, ...who, at: now });
    const own = {
      appeal,
      to: t.to,
      patch: change.patch ?? {},
      events: [
        ...(change.before ?? []).map(draft),
        draft({ action: t.event, fromStatus: appeal.status, toStatus: t.to, data: change.data ?? {} }),
        ...(change.after ?? []).map(draft),
      ],
      notices: [
        ...(change.notify ?? []).map((n) => ({ ...n, appealId: appeal.id, at: now })),
        ...enterpriseNotice(appeal, t.event, t.to, now, change.patch?.closeReason),
      ],
    };
    const related = (change.related ?? []).map((r) => ({
      appeal: r.appeal,
      to: r.appeal.status,
      patch: {},
      events: r.events.map(draft),
      notices: [],
    }));
    return [own, ...related];
  }

  private async commit(m: EntityManager, now: Date, actor: Actor, writes: Write[]): Promise<void> {
    // the events are chained first, so each appeal's new head is written by its compare-and-set
    const chained = this.events.chainMany(writes.map((w) => ({ appeal: w.appeal, events: w.events })));
    for (const w of writes) {
      const head = chained.heads.get(w.appeal.id);
      if (head) w.patch = { ...w.patch, ...head };
    }
    // writes that set the same fields share one compare-and-set statement
    const groups = new Map<string, Write[]>();
    for (const w of writes) {
      const key = Object.keys(w.patch).sort().join(',');
      groups.set(key, [...(groups.get(key) ?? []), w]);
    }
    for (const group of groups.values()) {
      if (group.length === 1) await this.compareAndSet(m, now, group[0]);
      else {
        const rows = group.map((w) => ({
          id: w.appeal.id,
          fields: { ...w.patch, status: w.to },
          expect: { version: w.appeal.version, status: w.appeal.status },
        }));
        if ((await this.updateMany(m, rows, now)) !== group.length) throw conflict();
      }
    }
    await this.events.write(m, chained.rows);
    await closeReminders(
      m,
      now,
      writes.map((w) => w.appeal.id),
      actor.role === 'handler' ? actor.departmentId : null,
    );
    await this.notifier.notify(
      m,
      writes.flatMap((w) => w.notices),
    );
  }

  /**
   * status, version + 1, updatedAt and the fields, only where the version and status are still those
   * read under the lock. The row is locked, so this cannot miss; if it ever does, nothing is written.
   */
  private async compareAndSet(m: EntityManager, now: Date, w: Write): Promise<void> {
    const result = await m
      .createQueryBuilder()
      .update(Appeal)
      .set({ ...w.patch, status: w.to, version: () => 'version + 1', updatedAt: now })
      .where('id = :id AND version = :version AND status = :status', {
        id: w.appeal.id,
        version: w.appeal.version,
        status: w.appeal.status,
      })
      .execute();
    if (result.affected !== 1) throw conflict();
  }
}

/**
 * Reminders (催办) need no answer (SPEC §5.1): a reminder on a department closes itself when a handler of
 * that department next acts on the appeal (`actingDepartmentId`; a reminder opened in this same write
 * stays open) or when the department no longer holds an open assignment on it (returned, redispatched,
 * replied, the appeal closed, withdrawn or merged) — except a plan's missed-feedback reminder (SPEC §9.3),
 * owed by the plan's department after the appeal has left it, which closes when that department acts.
 * Closed by nobody (`closed_by` null), with a note.
 */
async function closeReminders(
  m: EntityManager,
  now: Date,
  appealIds: string[],
  actingDepartmentId: string | null,
): Promise<void> {
  await m.query(
    `UPDATE supervisions v
        SET status = 'closed', closed_at = $2,
            close_note = CASE WHEN v.department_id = $3::uuid AND v.created_at < $2
                              THEN '部门已办理，催办自动销号' ELSE '诉求已离开该部门，催办自动销号' END
      WHERE v.appeal_id = ANY($1::uuid[]) AND v.level = 'reminder' AND v.status = 'open'
        AND v.department_id IS NOT NULL
        AND ((v.department_id = $3::uuid AND v.created_at < $2)
             OR (v.source <> 'plan_feedback' AND NOT EXISTS (SELECT 1 FROM assignments s
                             WHERE s.appeal_id = v.appeal_id AND s.department_id = v.department_id
                               AND s.status IN ${OPEN_ASSIGNMENT_SQL})))`,
    [appealIds, now, actingDepartmentId],
  );
}

/** The transition table's verdict, or the 403 / 409 it implies. */
function checked(status: AppealStatus, action: AppealAction, actor: Actor) {
  const t = transition(status, action, actor.role);
  if (!t.ok) throw new DomainError(t.error, t.message);
  return t;
}

export type Outcome = 'changed' | 'annotated' | 'unchanged';

interface LockOpts {
  /** Other appeals to lock with this one (a merge target), in id order. */
  alsoLock?: string[];
}

const conflict = () => new DomainError('VERSION_CONFLICT', 'the appeal changed meanwhile, retry');
