import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import type { Actor } from '../auth/auth.decorators';
import { actorIdOf, Step } from '../appeals/appeal-writer';
import { AssignmentRelease } from '../appeals/assignment-release';
import { Appeal } from '../appeals/entities/appeal.entity';
import { SlaService } from '../sla/sla.service';
import type { AppealAction } from '../workflow/appeal-state-machine';
import { Assignment, OPEN_ASSIGNMENT } from './entities/assignment.entity';
import { ExtensionRequest } from './entities/extension-request.entity';

type Plan = Pick<Assignment, 'ackDueAt' | 'ackWarnAt' | 'replyDueAt' | 'replyWarnAt'>;

/**
 * Assignments (主办 / 协办) of an appeal: the one place their rows are built — at dispatch, and at a
 * reopen (重办) — and ended. Runs inside the writer's transaction, with the appeal row locked.
 */
@Injectable()
export class Assignments implements AssignmentRelease {
  constructor(private readonly sla: SlaService) {}

  /** Dispatch: the lead and each co department get an assignment with the SLA policy's deadlines. */
  async dispatch(
    m: EntityManager,
    appeal: Appeal,
    actor: Actor,
    now: Date,
    leadId: string,
    coIds: string[],
  ): Promise<Assignment[]> {
    const { policyId: _policy, ...plan } = await this.sla.plan(m, appeal, now);
    // SPEC §9.1, §9.2: the lead owes the enterprise a contact and a staged reply, counted from its dispatch
    const followUp = await this.sla.planFollowUp(m, appeal, now);
    const rows = [
      { departmentId: leadId, role: 'lead' as const, ...followUp },
      ...coIds.map((departmentId) => ({ departmentId, role: 'co' as const })),
    ].map((x) =>
      build(m, appeal, now, plan, {
        ...x,
        status: 'dispatched',
        round: appeal.reopenCount,
        dispatchedBy: actorIdOf(actor),
      }),
    );
    await m.getRepository(Assignment).insert(rows);
    return rows;
  }

  /** 重办: a fresh lead assignment for the same department, already acknowledged, with a new reply deadline. */
  async reopen(m: EntityManager, appeal: Appeal, now: Date, departmentId: string, round: number) {
    const fresh = await this.sla.planReply(m, appeal, now);
    // a new round owes a staged reply again; the first contact was the dispatch's (SPEC §9.1)
    const { stagedDueAt } = await this.sla.planFollowUp(m, appeal, now, { contact: false });
    const row = build(
      m,
      appeal,
      now,
      { ackDueAt: now, ackWarnAt: null, ...fresh },
      {
        departmentId,
        role: 'lead',
        status: 'in_progress',
        round,
        dispatchedBy: null,
        acknowledgedAt: now,
        acknowledgedBy: null,
        ackOnTime: null,
        stagedDueAt,
      },
    );
    await m.getRepository(Assignment).insert(row);
    return row;
  }

  open(m: EntityManager, appealId: string): Promise<Assignment[]> {
    return m
      .getRepository(Assignment)
      .find({ where: { appealId, status: In(OPEN_ASSIGNMENT) }, lock: { mode: 'pessimistic_write' } });
  }

  /** The caller's department's open assignment on this appeal, or 409 saying why there is none. */
  async own(m: EntityManager, appeal: Appeal, actor: Actor): Promise<Assignment> {
    const own = (await this.open(m, appeal.id)).find((a) => a.departmentId === actor.departmentId);
    if (!own)
      throw new DomainError('INVALID_TRANSITION', 'your department has no open assignment on this appeal');
    return own;
  }

  /**
   * The caller's open assignment, checked: its role (403 when the action is the other role's), the
   * transition table, and that it was acknowledged where the action needs it.
   */
  async held(
    { m, appeal, actor, allow }: Step,
    action: AppealAction,
    need: { role?: Assignment['role']; acknowledged?: boolean; forbidden?: string } = {},
  ): Promise<Assignment> {
    const own = await this.own(m, appeal, actor);
    if (need.role && own.role !== need.role) throw DomainError.forbidden(need.forbidden ?? 'not your role');
    allow(action);
    if (need.acknowledged && own.status !== 'in_progress')
      throw new DomainError('INVALID_TRANSITION', 'acknowledge the appeal first');
    return own;
  }

  update(m: EntityManager, id: string, fields: Partial<Assignment>) {
    return m.getRepository(Assignment).update({ id }, fields);
  }

  /**
   * Ends every open assignment, denies their pending extension requests and lets their pending return
   * requests lapse.
   */
  async endOpen(m: EntityManager, appealId: string, now: Date, why: string): Promise<void> {
    await m
      .getRepository(Assignment)
      .update({ appealId, status: In(OPEN_ASSIGNMENT) }, { status: 'cancelled', endedAt: now });
    await m
      .getRepository(ExtensionRequest)
      .update({ appealId, status: 'pending' }, { status: 'denied', decidedAt: now, decisionReason: why });
    await this.lapseReturns(m, { appealId }, now, why);
  }

  /**
   * A pending return request whose assignment ended some other way (a reply, an opinion, the appeal
   * leaving the loop) is cancelled: nothing is left to return (SPEC §7.1).
   */
  async lapseReturns(
    m: EntityManager,
    where: { appealId: string } | { assignmentId: string },
    now: Date,
    why: string,
  ): Promise<void> {
    const [lapsed]: [{ assignment_id: string }[], number] = await m.query(
      `UPDATE return_requests SET status = 'cancelled', decided_at = $2, decision_note = $3
       WHERE ${'appealId' in where ? 'appeal_id' : 'assignment_id'} = $1 AND status = 'pending'
       RETURNING assignment_id`,
      ['appealId' in where ? where.appealId : where.assignmentId, now, why],
    );
    if (lapsed.length > 0)
      await m
        .getRepository(Assignment)
        .update({ id: In(lapsed.map((r) => r.assignment_id)) }, { returnStatus: 'cancelled' });
  }
}

function build(
  m: EntityManager,
  appeal: Appeal,
  now: Date,
  plan: Plan,
  fields: Partial<Assignment> & Pick<Assignment, 'departmentId' | 'role' | 'status' | 'round'>,
): Assignment {
  return m.getRepository(Assignment).create({
    appealId: appeal.id,
    dispatchedAt: now,
    ...plan,
    originalReplyDueAt: plan.replyDueAt,
    extendedDays: 0,
    overdue: false,
    warning: false,
    ...fields,
  });
}
