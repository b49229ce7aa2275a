import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/domain-error';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { Actor } from '../auth/auth.decorators';
import { CalendarService } from '../calendar/calendar.service';
import { DepartmentsService } from '../departments/departments.service';
import { Notifier, OutgoingNotification } from '../notifications/notifier';
import { SlaService } from '../sla/sla.service';
import {
  ActorRole,
  AppealAction,
  AppealStatus,
  surveyAction,
  transition,
  TRANSITIONS,
} from '../workflow/appeal-state-machine';
import { AppealReader } from './appeal-reader';
import { AppealView, toAppealView } from './appeal-view';
import {
  ContentDto,
  DenyDto,
  DispatchDto,
  ExtensionDto,
  MergeDto,
  NoteDto,
  ReasonDto,
  ReplyDto,
  SurveyDto,
} from './appeals.dto';
import { Appeal, PossibleDuplicate, SuggestedRouting } from './entities/appeal.entity';
import { Assignment, OPEN_ASSIGNMENT } from './entities/assignment.entity';
import { ExtensionRequest, Supervision, Supplement, Survey } from './entities/side-records.entity';
import { DeadlinesService } from './deadlines/deadlines.service';
import { EventLog, NewEvent } from './event-log';

/** The system as an actor: automatic routing. Events carry actorId null and actorRole system (SPEC §5). */
export const SYSTEM_ACTOR: Actor = {
  id: '00000000-0000-0000-0000-000000000000',
  username: 'system',
  role: 'system',
  departmentId: null,
  enterpriseId: null,
};

function actorIdOf(actor: Actor): string | null {
  return actor.role === 'system' ? null : actor.id;
}

export interface AutoRouteDecision {
  suggestion: SuggestedRouting | null;
  autoDispatch: boolean;
  duplicates: PossibleDuplicate[];
}
export type AutoRouteOutcome =
  'dispatched' | 'suggested' | 'unrouted' | 'skipped' | 'already_routed' | 'missing';

/** What one action does inside its transaction, with the appeal row locked. */
interface Step {
  m: EntityManager;
  appeal: Appeal;
  now: Date;
  actor: Actor;
}

interface Outcome {
  action: AppealAction;
  /** Fields of the appeal to change besides status, version and updatedAt. */
  patch?: Partial<Appeal>;
  data?: Record<string, unknown>;
  /** Events logged after the action's own (e.g. appeal.closed after survey.recorded). */
  extraEvents?: Omit<NewEvent, 'at' | 'actorId' | 'actorRole'>[];
  /** People to tell, written in the same transaction (SPEC §5 notifications). */
  notify?: Omit<OutgoingNotification, 'at' | 'appealId'>[];
  /** Events logged before the action's own. */
  leadingEvents?: Omit<NewEvent, 'at' | 'actorId' | 'actorRole'>[];
}

/**
 * Every action of the closed loop (SPEC §2, §5). Each runs in one transaction that locks the appeal
 * row (SELECT … FOR UPDATE), checks scope (404), expectedVersion (409 VERSION_CONFLICT) and the
 * transition table (409 INVALID_TRANSITION), makes its changes, bumps version with a compare-and-set
 * and appends to the hash-chained event log. Concurrent actions on one appeal queue on the row lock
 * and each sees the state its predecessor left, so two acknowledgements cannot both succeed.
 */
@Injectable()
export class AppealActionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly reader: AppealReader,
    private readonly events: EventLog,
    private readonly departments: DepartmentsService,
    private readonly sla: SlaService,
    private readonly deadlines: DeadlinesService,
    private readonly notifier: Notifier,
    private readonly calendar: CalendarService,
  ) {}

  private async act(
    id: string,
    actor: Actor,
    expectedVersion: number | undefined,
    work: (s: Step) => Promise<Outcome>,
  ): Promise<AppealView> {
    await this.db.transaction(async (m) => {
      const appeal = await this.reader.getVisible(m, id, actor, true);
      if (expectedVersion !== undefined && expectedVersion !== appeal.version) {
        throw new DomainError(
          'VERSION_CONFLICT',
          `the appeal is at version ${appeal.version}, not ${expectedVersion}`,
          {
            currentVersion: appeal.version,
          },
        );
      }
      const step = { m, appeal, now: this.clock.now(), actor };
      await this.apply(step, await work(step));
    });
    // after commit (never inside the transaction): wake-ups for whatever timers the action started or moved
    await this.deadlines.arm([id]);
    return this.view(id, actor);
  }

  /** The common end of every action: transition, compare-and-set, events, notifications. */
  private async apply({ m, appeal, now, actor }: Step, outcome: Outcome): Promise<void> {
    const role = actor.role;
    const t = transition(appeal.status, outcome.action, role);
    if (!t.ok) throw new DomainError(t.error, t.message);
    await this.commitAppeal(m, appeal, t.to, now, outcome.patch ?? {});
    const who = { actorId: actorIdOf(actor), actorRole: role };
    await this.events.append(m, appeal.id, [
      ...(outcome.leadingEvents ?? []).map((e) => ({ ...e, ...who, at: now })),
      {
        action: t.event,
        ...who,
        fromStatus: appeal.status,
        toStatus: t.to,
        data: outcome.data ?? {},
        at: now,
      },
      ...(outcome.extraEvents ?? []).map((e) => ({ ...e, ...who, at: now })),
    ]);
    await this.notifier.notify(m, [
      ...(outcome.notify ?? []).map((n) => ({ ...n, appealId: appeal.id, at: now })),
      ...enterpriseNotice(appeal, t.event, t.to),
    ]);
  }

  /**
   * Automatic routing (智能分拨) of a newly filed appeal, as the system, at most once: `routed_at` is
   * checked and set under the appeal's row lock, so a job that runs twice (retry, sweep, two workers)
   * finds it set and does nothing. `decide` sees the locked appeal and says what to store and whether to
   * dispatch; a dispatch goes through the same path as a dispatcher's, event and deadlines included.
   */
  async autoRoute(
    appealId: string,
    decide: (m: EntityManager, appeal: Appeal, now: Date) => Promise<AutoRouteDecision>,
  ): Promise<AutoRouteOutcome> {
    const outcome = await this.db.transaction(async (m): Promise<AutoRouteOutcome> => {
      const appeal = await m
        .getRepository(Appeal)
        .findOne({ where: { id: appealId }, lock: { mode: 'pessimistic_write' } });
      if (!appeal) return 'missing';
      if (appeal.routedAt) return 'already_routed';
      const now = this.clock.now();
      const d = await decide(m, appeal, now);
      const patch: Partial<Appeal> = {
        routedAt: now,
        suggestedRouting: d.suggestion,
        possibleDuplicates: d.duplicates,
      };
      if (d.suggestion && d.autoDispatch && appeal.status === 'submitted') {
        const step: Step = { m, appeal, now, actor: SYSTEM_ACTOR };
        const dispatched = await this.dispatchWork(step, {
          leadDepartmentId: d.suggestion.leadDepartmentId,
          coDepartmentIds: d.suggestion.coDepartmentIds,
          note: null,
          extra: { routingRuleId: d.suggestion.ruleId, source: d.suggestion.source },
        });
        await this.apply(step, { ...dispatched, patch: { ...dispatched.patch, ...patch } });
        return 'dispatched';
      }
      // routing metadata only: not a change of the appeal's state, so no new version for the dispatcher to trip on
      await m.getRepository(Appeal).update({ id: appealId }, patch);
      if (appeal.status !== 'submitted') return 'skipped';
      return d.suggestion ? 'suggested' : 'unrouted';
    });
    if (outcome === 'dispatched') await this.deadlines.arm([appealId]);
    return outcome;
  }

  /** Checks the table before any work, so the work can assume the status is right. */
  private allow(appeal: Appeal, action: AppealAction, actor: Actor): void {
    const t = transition(appeal.status, action, actor.role);
    if (!t.ok) throw new DomainError(t.error, t.message);
  }

  private async commitAppeal(
    m: EntityManager,
    appeal: Appeal,
    to: AppealStatus,
    now: Date,
    patch: Partial<Appeal>,
  ): Promise<void> {
    const result = await m
      .createQueryBuilder()
      .update(Appeal)
      .set({ ...patch, status: to, version: () => 'version + 1', updatedAt: now })
      .where('id = :id AND version = :version AND status = :status', {
        id: appeal.id,
        version: appeal.version,
        status: appeal.status,
      })
      .execute();
    // the row is locked, so this cannot miss; if it ever does, nothing is written
    if (result.affected !== 1)
      throw new DomainError('VERSION_CONFLICT', 'the appeal changed meanwhile, retry');
  }

  private async view(id: string, actor: Actor): Promise<AppealView> {
    const m = this.db.manager;
    const appeal = await m.getRepository(Appeal).findOneByOrFail({ id });
    const [parts] = await this.reader.parts(m, [appeal]);
    return toAppealView(parts, actor, this.clock.now());
  }

  private async openAssignments(m: EntityManager, appealId: string): Promise<Assignment[]> {
    return m
      .getRepository(Assignment)
      .find({ where: { appealId, status: In(OPEN_ASSIGNMENT) }, lock: { mode: 'pessimistic_write' } });
  }

  /** The caller's department's open assignment on this appeal, or 409 saying why there is none. */
  private async ownAssignment(m: EntityManager, appeal: Appeal, actor: Actor): Promise<Assignment> {
    const own = (await this.openAssignments(m, appeal.id)).find((a) => a.departmentId === actor.departmentId);
    if (!own)
      throw new DomainError('INVALID_TRANSITION', 'your department has no open assignment on this appeal');
    return own;
  }

  private async endOpenAssignments(
    m: EntityManager,
    appealId: string,
    now: Date,
    status: 'cancelled' | 'returned' = 'cancelled',
    except?: string,
  ): Promise<void> {
    const qb = m
      .createQueryBuilder()
      .update(Assignment)
      .set({ status, endedAt: now })
      .where(`appeal_id = :appealId AND status IN ('dispatched', 'in_progress')`, { appealId });
    if (except) qb.andWhere('id <> :except', { except });
    await qb.execute();
  }

  private async closePendingExtensions(
    m: EntityManager,
    appealId: string,
    now: Date,
    reason: string,
  ): Promise<void> {
    await m
      .getRepository(ExtensionRequest)
      .update({ appealId, status: 'pending' }, { status: 'denied', decidedAt: now, decisionReason: reason });
  }

  private async createAssignments(
    m: EntityManager,
    appeal: Appeal,
    actor: Actor,
    now: Date,
    leadId: string,
    coIds: string[],
  ): Promise<Assignment[]> {
    const { policyId: _policy, ...plan } = await this.sla.plan(m, appeal, now);
    const repo = m.getRepository(Assignment);
    const rows = [
      { departmentId: leadId, role: 'lead' as const },
      ...coIds.map((departmentId) => ({ departmentId, role: 'co' as const })),
    ].map((x) =>
      repo.create({
        appealId: appeal.id,
        departmentId: x.departmentId,
        role: x.role,
        status: 'dispatched',
        round: appeal.reopenCount,
        dispatchedAt: now,
        dispatchedBy: actorIdOf(actor),
        ...plan,
        originalReplyDueAt: plan.replyDueAt,
        extendedDays: 0,
        overdue: false,
        warning: false,
      }),
    );
    await repo.insert(rows);
    return rows;
  }

  // ---- the centre -------------------------------------------------------------------------------

  dispatch(id: string, dto: DispatchDto, actor: Actor) {
    return this.act(id, actor, dto.expectedVersion, (step) => {
      this.allow(step.appeal, 'dispatch', actor);
      return this.dispatchWork(step, {
        leadDepartmentId: dto.leadDepartmentId,
        coDepartmentIds: dto.coDepartmentIds ?? [],
        note: dto.note ?? null,
      });
    });
  }

  /** Dispatch by a dispatcher or by automatic routing: assignments with their deadlines, notices, event data. */
  private async dispatchWork(
    { m, appeal, now, actor }: Step,
    d: {
      leadDepartmentId: string;
      coDepartmentIds: string[];
      note: string | null;
      extra?: Record<string, unknown>;
    },
  ): Promise<Outcome> {
    const co = d.coDepartmentIds;
    if (co.includes(d.leadDepartmentId)) {
      throw DomainError.validation('the lead department cannot also co-handle', [
        { field: 'coDepartmentIds', message: 'must not contain the lead' },
      ]);
    }
    await this.departments.requireAll([d.leadDepartmentId], 'leadDepartmentId', m);
    await this.departments.requireAll(co, 'coDepartmentIds', m);
    const rows = await this.createAssignments(m, appeal, actor, now, d.leadDepartmentId, co);
    return {
      action: 'dispatch',
      patch: { leadDepartmentId: d.leadDepartmentId, dispatchedAt: appeal.dispatchedAt ?? now },
      notify: rows.map((r) => ({
        recipientType: 'department' as const,
        recipientId: r.departmentId,
        kind: 'assignment.new',
        title: `新${r.role === 'lead' ? '主办' : '协办'}件 ${appeal.number}: ${appeal.title}`,
        body: `请于 ${r.ackDueAt.toISOString()} 前签收, ${r.replyDueAt.toISOString()} 前${r.role === 'lead' ? '答复' : '提交协办意见'}。`,
      })),
      data: {
        leadDepartmentId: d.leadDepartmentId,
        coDepartmentIds: co,
        note: d.note,
        redispatch: appeal.status === 'returned',
        ...(d.extra ?? {}),
        assignments: rows.map((r) => ({
          id: r.id,
          departmentId: r.departmentId,
          role: r.role,
          ackDueAt: r.ackDueAt,
          replyDueAt: r.replyDueAt,
        })),
      },
    };
  }

  reject(id: string, dto: ReasonDto, actor: Actor) {
    return this.act(id, actor, dto.expectedVersion, async () => ({
      action: 'reject',
      patch: { statusReason: dto.reason },
      data: { reason: dto.reason },
    }));
  }

  /** 即时办结: the centre answers on the call; the appeal waits for its return visit like any reply. */
  resolveOnSpot(id: string, dto: ContentDto, actor: Actor) {
    return this.act(id, actor, dto.expectedVersion, async ({ m, appeal, now }) => ({
      action: 'resolve_on_spot',
      patch: {
        replyContent: dto.content,
        replyOutcome: 'resolved',
        repliedAt: now,
        surveyDueAt: await this.sla.surveyDueAt(m, appeal, now),
      },
      data: { content: dto.content },
    }));
  }

  merge(id: string, dto: MergeDto, actor: Actor) {
    if (dto.intoAppealId === id) {
      throw DomainError.validation('an appeal cannot be merged into itself', [
        { field: 'intoAppealId', message: 'must be another appeal' },
      ]);
    }
    return this.act(id, actor, dto.expectedVersion, async ({ m, appeal, now }) => {
      this.allow(appeal, 'merge', actor);
      // lock the target too; ids are locked in a fixed order only here, and a merge is rare enough
      const target = await m
        .getRepository(Appeal)
        .findOne({ where: { id: dto.intoAppealId }, lock: { mode: 'pessimistic_write' } });
      if (!target)
        throw DomainError.validation('intoAppealId does not name an appeal', [
          { field: 'intoAppealId', message: 'no such appeal' },
        ]);
      if (['closed', 'rejected', 'withdrawn', 'merged'].includes(target.status)) {
        throw new DomainError('INVALID_TRANSITION', `cannot merge into an appeal that is ${target.status}`);
      }
      await this.endOpenAssignments(m, appeal.id, now);
      await this.closePendingExtensions(m, appeal.id, now, 'appeal merged');
      await m
        .createQueryBuilder()
        .update(Appeal)
        .set({ version: () => 'version + 1', updatedAt: now })
        .where('id = :id', { id: target.id })
        .execute();
      await this.events.append(m, target.id, [
        {
          action: 'appeal.merged',
          actorId: actor.id,
          actorRole: actor.role,
          fromStatus: target.status,
          toStatus: target.status,
          data: { mergedAppealId: appeal.id, mergedNumber: appeal.number },
          at: now,
        },
      ]);
      return {
        action: 'merge',
        patch: { mergedIntoId: target.id },
        data: { intoAppealId: target.id, intoNumber: target.number },
      };
    });
  }

  // ---- departments ------------------------------------------------------------------------------

  acknowledge(id: string, dto: { expectedVersion?: number }, actor: Actor) {
    return this.act(id, actor, dto.expectedVersion, async ({ m, appeal, now }) => {
      const own = await this.ownAssignment(m, appeal, actor);
      if (own.status !== 'dispatched')
        throw new DomainError('INVALID_TRANSITION', 'your department has already acknowledged this appeal');
      const action = own.role === 'lead' ? 'acknowledge_lead' : 'acknowledge_co';
      this.allow(appeal, action, actor);
      const ackOnTime = now.getTime() <= own.ackDueAt.getTime();
      await m
        .getRepository(Assignment)
        .update(
          { id: own.id },
          { status: 'in_progress', acknowledgedAt: now, acknowledgedBy: actor.id, ackOnTime },
        );
      return {
        action,
        data: { assignmentId: own.id, departmentId: own.departmentId, role: own.role, onTime: ackOnTime },
      };
    });
  }

  /** 退单: the lead sends the appeal back to the centre; a co-handler drops only its own part. */
  returnAppeal(id: string, dto: ReasonDto, actor: Actor) {
    return this.act(id, actor, dto.expectedVersion, async ({ m, appeal, now }) => {
      const own = await this.ownAssignment(m, appeal, actor);
      const action = own.role === 'lead' ? 'return_lead' : 'return_co';
      this.allow(appeal, action, actor);
      await m
        .getRepository(Assignment)
        .update({ id: own.id }, { status: 'returned', returnReason: dto.reason, endedAt: now });
      if (own.role === 'lead') {
        await this.endOpenAssignments(m, appeal.id, now);
        await this.closePendingExtensions(m, appeal.id, now, 'assignment returned');
      }
      return {
        action,
        data: { assignmentId: own.id, departmentId: own.departmentId, role: own.role, reason: dto.reason },
      };
    });
  }

  progress(id: string, dto: NoteDto, actor: Actor) {
    return this.act(id, actor, dto.expectedVersion, async ({ m, appeal }) => {
      const own = await this.ownAssignment(m, appeal, actor);
      if (own.status !== 'in_progress')
        throw new DomainError('INVALID_TRANSITION', 'acknowledge the appeal first');
      return {
        action: 'progress',
        data: { assignmentId: own.id, departmentId: own.departmentId, note: dto.note },
      };
    });
  }

  /** 协办意见: a co-handling department's answer to the lead; it completes that assignment. */
  opinion(id: string, dto: ContentDto, actor: Actor) {
    return this.act(id, actor, dto.expectedVersion, async ({ m, appeal, now }) => {
      const own = await this.ownAssignment(m, appeal, actor);
      if (own.role !== 'co')
        throw DomainError.forbidden('only a co-handling department submits an opinion; the lead replies');
      this.allow(appeal, 'opinion', actor);
      if (own.status !== 'in_progress')
        throw new DomainError('INVALID_TRANSITION', 'acknowledge the assignment first');
      const replyOnTime = now.getTime() <= own.replyDueAt.getTime();
      await m
        .getRepository(Assignment)
        .update(
          { id: own.id },
          { status: 'completed', opinion: dto.content, repliedAt: now, replyOnTime, endedAt: now },
        );
      return {
        action: 'opinion',
        data: { assignmentId: own.id, departmentId: own.departmentId, content: dto.content },
      };
    });
  }

  async requestExtension(
    id: string,
    dto: ExtensionDto,
    actor: Actor,
  ): Promise<{ id: string; status: 'pending'; days: number; reason: string; appeal: AppealView }> {
    let extensionId = '';
    const appeal = await this.act(id, actor, dto.expectedVersion, async ({ m, appeal, now }) => {
      const own = await this.ownAssignment(m, appeal, actor);
      if (own.role !== 'lead') throw DomainError.forbidden('only the lead department asks for an extension');
      this.allow(appeal, 'request_extension', actor);
      if (own.status !== 'in_progress')
        throw new DomainError('INVALID_TRANSITION', 'acknowledge the appeal first');
      // SPEC §3 / DOMAIN: an extension is asked for before the deadline
      if (now.getTime() > own.replyDueAt.getTime())
        throw new DomainError(
          'INVALID_TRANSITION',
          'the reply deadline has passed; extensions are asked for before it',
        );
      const repo = m.getRepository(ExtensionRequest);
      if (await repo.existsBy({ assignmentId: own.id, status: 'pending' })) {
        throw DomainError.conflict('an extension request is already pending for this assignment');
      }
      const row = repo.create({
        appealId: appeal.id,
        assignmentId: own.id,
        days: dto.days,
        reason: dto.reason,
        status: 'pending',
        requestedBy: actor.id,
        requestedAt: now,
      });
      await repo.insert(row);
      extensionId = row.id;
      return {
        action: 'request_extension',
        data: { extensionId: row.id, assignmentId: own.id, days: dto.days, reason: dto.reason },
      };
    });
    return { id: extensionId, status: 'pending', days: dto.days, reason: dto.reason, appeal };
  }

  decideExtension(
    id: string,
    extensionId: string,
    decision: 'approve' | 'deny',
    dto: DenyDto | { expectedVersion?: number },
    actor: Actor,
  ) {
    return this.act(id, actor, dto.expectedVersion, async ({ m, appeal, now }) => {
      const action = decision === 'approve' ? 'approve_extension' : 'deny_extension';
      this.allow(appeal, action, actor);
      const repo = m.getRepository(ExtensionRequest);
      const ext = await repo.findOne({
        where: { id: extensionId, appealId: appeal.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!ext) throw DomainError.notFound('extension request');
      if (ext.status !== 'pending')
        throw new DomainError('INVALID_TRANSITION', `the extension request is already ${ext.status}`);
      const reason = 'reason' in dto ? dto.reason : null;
      if (decision === 'deny') {
        await repo.update(
          { id: ext.id },
          { status: 'denied', decidedBy: actor.id, decidedAt: now, decisionReason: reason },
        );
        return { action, data: { extensionId: ext.id, reason } };
      }
      const assignment = await m.getRepository(Assignment).findOneByOrFail({ id: ext.assignmentId });
      const moved = await this.sla.extend(
        m,
        appeal,
        assignment.dispatchedAt,
        assignment.replyDueAt,
        ext.days,
      );
      await m
        .getRepository(Assignment)
        .update(
          { id: assignment.id },
          { ...moved, extendedDays: assignment.extendedDays + ext.days, warning: false },
        );
      await repo.update(
        { id: ext.id },
        {
          status: 'approved',
          decidedBy: actor.id,
          decidedAt: now,
          previousDueAt: assignment.replyDueAt,
          newDueAt: moved.replyDueAt,
        },
      );
      return {
        action,
        data: {
          extensionId: ext.id,
          days: ext.days,
          previousDueAt: assignment.replyDueAt,
          newDueAt: moved.replyDueAt,
        },
      };
    });
  }

  /** 答复: the lead's answer. Open co assignments end with it; the return visit window starts. */
  reply(id: string, dto: ReplyDto, actor: Actor) {
    return this.act(id, actor, dto.expectedVersion, async ({ m, appeal, now }) => {
      const own = await this.ownAssignment(m, appeal, actor);
      if (own.role !== 'lead')
        throw DomainError.forbidden('only the lead department replies; co-handlers submit an opinion');
      this.allow(appeal, 'reply', actor);
      if (own.status !== 'in_progress')
        throw new DomainError('INVALID_TRANSITION', 'acknowledge the appeal first');
      const replyOnTime = now.getTime() <= own.replyDueAt.getTime();
      // SPEC §4 avgReplyWorkingHours: recorded now, like the verdict, so calendar edits never rewrite it
      const cal = await this.calendar.calendar(m);
      const replyWorkingSeconds = Math.round(cal.workingMsBetween(own.dispatchedAt, now) / 1000);
      await m
        .getRepository(Assignment)
        .update(
          { id: own.id },
          { status: 'completed', repliedAt: now, replyOnTime, replyWorkingSeconds, endedAt: now },
        );
      await this.endOpenAssignments(m, appeal.id, now);
      await this.closePendingExtensions(m, appeal.id, now, 'superseded by the reply');
      return {
        action: 'reply',
        patch: {
          replyContent: dto.content,
          replyOutcome: dto.outcome,
          repliedAt: now,
          surveyDueAt: await this.sla.surveyDueAt(m, appeal, now),
        },
        data: {
          assignmentId: own.id,
          departmentId: own.departmentId,
          outcome: dto.outcome,
          content: dto.content,
          onTime: replyOnTime,
        },
      };
    });
  }

  // ---- the enterprise -----------------------------------------------------------------------------

  /**
   * 回访: satisfied closes; unsatisfied reopens (重办) at the same lead department with a fresh reply
   * deadline, until MAX_REOPENS — past it the appeal closes and a supervision opens (SPEC §2).
   */
  survey(id: string, dto: SurveyDto, actor: Actor) {
    return this.act(id, actor, dto.expectedVersion, async ({ m, appeal, now }) => {
      const action = surveyAction(dto.satisfaction, appeal.reopenCount, this.config.maxReopens);
      this.allow(appeal, action, actor);
      const survey = m.getRepository(Survey).create({
        appealId: appeal.id,
        satisfaction: dto.satisfaction,
        resolved: dto.resolved,
        comment: dto.comment ?? null,
        round: appeal.reopenCount,
        recordedBy: actor.id,
        recordedRole: actor.role,
        createdAt: now,
      });
      await m.getRepository(Survey).insert(survey);
      // the latest survey (by created_at, id) is kept on the appeal for the report rollups (SPEC §4)
      const latest = await m
        .getRepository(Survey)
        .findOneOrFail({ where: { appealId: appeal.id }, order: { createdAt: 'DESC', id: 'DESC' } });
      const latestPatch = { latestSatisfaction: latest.satisfaction, latestResolved: latest.resolved };
      const recorded = {
        action: 'survey.recorded',
        fromStatus: appeal.status,
        toStatus: appeal.status,
        data: {
          surveyId: survey.id,
          satisfaction: dto.satisfaction,
          resolved: dto.resolved,
          comment: dto.comment ?? null,
          round: appeal.reopenCount,
          viaPhone: actor.role === 'dispatcher',
        },
      };
      if (action === 'survey_close') {
        return {
          action,
          leadingEvents: [recorded],
          patch: { ...latestPatch, closedAt: now, closeReason: 'rated' },
          data: { closeReason: 'rated' },
        };
      }
      if (action === 'survey_close_reopen_limit') {
        const note = `不满意且已重办 ${appeal.reopenCount} 次: closed at the reopen limit and supervised`;
        await m.getRepository(Supervision).insert({
          appealId: appeal.id,
          assignmentId: null,
          source: 'reopen_limit',
          note,
          createdBy: null,
          createdAt: now,
        });
        return {
          action,
          leadingEvents: [recorded],
          patch: { ...latestPatch, closedAt: now, closeReason: 'reopen_limit', supervised: true },
          data: { closeReason: 'reopen_limit' },
          extraEvents: [
            {
              action: 'appeal.supervised',
              fromStatus: 'closed',
              toStatus: 'closed',
              data: { source: 'reopen_limit', note },
            },
          ],
        };
      }
      // reopen: a fresh lead assignment for the same department, already acknowledged
      const lead = await m.getRepository(Assignment).findOne({
        where: { appealId: appeal.id, role: 'lead', status: 'completed' },
        order: { round: 'DESC', dispatchedAt: 'DESC' },
      });
      if (!lead)
        throw new DomainError(
          'INVALID_TRANSITION',
          'this appeal was answered on the spot; dispatch it instead of reopening',
        );
      const round = appeal.reopenCount + 1;
      const fresh = await this.sla.planReply(m, appeal, now);
      const row = m.getRepository(Assignment).create({
        appealId: appeal.id,
        departmentId: lead.departmentId,
        role: 'lead',
        status: 'in_progress',
        round,
        dispatchedAt: now,
        dispatchedBy: null,
        ackDueAt: now,
        ackWarnAt: null,
        acknowledgedAt: now,
        acknowledgedBy: null,
        ackOnTime: null,
        ...fresh,
        originalReplyDueAt: fresh.replyDueAt,
        extendedDays: 0,
        overdue: false,
        warning: false,
      });
      await m.getRepository(Assignment).insert(row);
      return {
        action,
        leadingEvents: [recorded],
        patch: { ...latestPatch, reopenCount: round, surveyDueAt: null },
        data: {
          reopenCount: round,
          assignmentId: row.id,
          departmentId: lead.departmentId,
          replyDueAt: fresh.replyDueAt,
        },
      };
    });
  }

  withdraw(id: string, dto: ReasonDto, actor: Actor) {
    return this.act(id, actor, dto.expectedVersion, async ({ m, appeal, now }) => {
      this.allow(appeal, 'withdraw', actor);
      await this.endOpenAssignments(m, appeal.id, now);
      await this.closePendingExtensions(m, appeal.id, now, 'appeal withdrawn');
      return { action: 'withdraw', patch: { statusReason: dto.reason }, data: { reason: dto.reason } };
    });
  }

  supplement(id: string, dto: ContentDto, actor: Actor) {
    return this.act(id, actor, dto.expectedVersion, async ({ m, appeal, now }) => {
      this.allow(appeal, 'supplement', actor);
      const row = m
        .getRepository(Supplement)
        .create({ appealId: appeal.id, content: dto.content, createdBy: actor.id, createdAt: now });
      await m.getRepository(Supplement).insert(row);
      return { action: 'supplement', data: { supplementId: row.id, content: dto.content } };
    });
  }

  // ---- supervisors --------------------------------------------------------------------------------

  supervise(id: string, dto: NoteDto, actor: Actor) {
    return this.act(id, actor, dto.expectedVersion, async ({ m, appeal, now }) => {
      this.allow(appeal, 'supervise', actor);
      const row = m.getRepository(Supervision).create({
        appealId: appeal.id,
        assignmentId: null,
        source: 'manual',
        note: dto.note,
        createdBy: actor.id,
        createdAt: now,
      });
      await m.getRepository(Supervision).insert(row);
      return {
        action: 'supervise',
        patch: { supervised: true },
        data: { supervisionId: row.id, source: 'manual', note: dto.note },
      };
    });
  }
}

/** Roles the transition table allows for an action at all: the controller's 403 check. */
export function rolesFor(...actions: AppealAction[]): ActorRole[] {
  return [...new Set(actions.flatMap((a) => TRANSITIONS[a].roles))];
}

/** SPEC §5: the enterprise hears when its appeal is dispatched, replied and closed. */
function enterpriseNotice(appeal: Appeal, event: string, to: AppealStatus): OutgoingNotification[] {
  const text: Record<string, [string, string]> = {
    'appeal.dispatched': ['已转办', '您的诉求已转交承办单位办理。'],
    'appeal.replied': ['已答复', '承办单位已答复您的诉求，请查看并评价。'],
    'appeal.resolved_on_spot': ['已答复', '您的诉求已即时办结，请查看并评价。'],
    'appeal.closed': ['已办结', '您的诉求已办结。'],
  };
  const hit = text[event];
  if (!hit || (event === 'appeal.closed' && to !== 'closed')) return [];
  return [
    {
      recipientType: 'enterprise',
      recipientId: appeal.enterpriseId,
      kind: event,
      appealId: appeal.id,
      title: `${appeal.number} ${hit[0]}`,
      body: hit[1],
      at: new Date(),
    },
  ];
}
