import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { Actor } from '../auth/auth.decorators';
import { AppealWriter, EventDraft, Step } from '../appeals/appeal-writer';
import { AttachmentRefs } from '../appeals/attachment-refs';
import type { Appeal } from '../appeals/entities/appeal.entity';
import { PlannedReplies, PlanOrder } from '../assignments/planned-reply';
import { SlaService } from '../sla/sla.service';
import { Plan } from './entities/plan.entity';
import { PLAN_CANCELLED_ON_REOPEN, planConfirmedNotice, planEnterpriseNotice } from './plan-notices';
import { fulfilledOnTime, planProblems, planStepProblem } from './plan-rules';
import { PlanConfirmDto, PlanFulfilDto, PlanUpdateDto } from './plans.dto';

/**
 * Planned resolution (计划解决, SPEC §9.3): the plan made with a reply, the lead department's updates and
 * fulfilment, the enterprise's confirmation, and the cancellation a reopen brings. Each step is a change
 * of the appeal through the writer — an event in its chain, whatever the appeal's status (the plan
 * outlives the return visit) — with the plan row written in the same transaction.
 */
@Injectable()
export class PlanActions implements PlannedReplies {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly writer: AppealWriter,
    private readonly sla: SlaService,
    private readonly attachments: AttachmentRefs,
  ) {}

  /** The plan of a reply with outcome planned, inside the reply's transaction (PlannedReplies). */
  async create(
    { m, appeal, now, actor }: Step,
    reply: { assignmentId: string; departmentId: string },
    order: PlanOrder,
  ): Promise<{ planId: string; after: EventDraft[] }> {
    const promisedBy = new Date(order.promisedBy);
    const nextFeedbackAt = new Date(order.nextFeedbackAt);
    const problems = planProblems(
      { promisedBy, nextFeedbackAt },
      {
        now,
        repliedAt: now,
        windows: await this.sla.planWindows(m, appeal),
        timeZone: this.config.calendarTimeZone,
      },
      'plan.',
    );
    if (problems.length > 0) throw DomainError.validation('the plan is not valid', problems);
    const plan = m.getRepository(Plan).create({
      id: randomUUID(),
      appealId: appeal.id,
      departmentId: reply.departmentId,
      assignmentId: reply.assignmentId,
      content: order.content,
      promisedBy,
      nextFeedbackAt,
      status: 'open',
      updates: [],
      feedbacksMissed: 0,
      createdBy: actor.id,
      createdAt: now,
    });
    await m.getRepository(Plan).insert(plan);
    return {
      planId: plan.id,
      after: [
        {
          action: 'plan.created',
          fromStatus: 'replied',
          toStatus: 'replied',
          data: {
            planId: plan.id,
            departmentId: plan.departmentId,
            content: plan.content,
            promisedBy: promisedBy.toISOString(),
            nextFeedbackAt: nextFeedbackAt.toISOString(),
          },
        },
      ],
    };
  }

  /** 进展反馈 by a handler of the plan's department: the content, and when it reports next. */
  async update(id: string, dto: PlanUpdateDto, actor: Actor): Promise<string> {
    const { appealId } = await this.find(this.db.manager, id, actor);
    await this.writer.change(appealId, actor, dto.expectedVersion, async ({ m, appeal, now, allow }) => {
      allow('update_plan');
      const plan = await this.find(m, id, actor, true);
      this.check(plan, 'update');
      const nextFeedbackAt = new Date(dto.nextFeedbackAt);
      const problems = planProblems(
        { nextFeedbackAt },
        {
          now,
          repliedAt: now,
          windows: await this.sla.planWindows(m, appeal),
          timeZone: this.config.calendarTimeZone,
        },
      );
      if (problems.length > 0) throw DomainError.validation('the plan update is not valid', problems);
      await m.query(
        `UPDATE plans SET updates = updates || $2::jsonb, next_feedback_at = $3, feedback_fired_at = NULL
         WHERE id = $1`,
        [
          plan.id,
          JSON.stringify([
            {
              content: dto.content,
              nextFeedbackAt: nextFeedbackAt.toISOString(),
              at: now.toISOString(),
              by: actor.id,
            },
          ]),
          nextFeedbackAt,
        ],
      );
      return {
        action: 'update_plan',
        data: {
          planId: plan.id,
          departmentId: plan.departmentId,
          content: dto.content,
          nextFeedbackAt: nextFeedbackAt.toISOString(),
        },
        notify: [planEnterpriseNotice(appeal, 'plan.updated', { nextFeedbackAt }, dto.content)],
      };
    });
    return appealId;
  }

  /** 计划完成 by a handler of the plan's department; the verdict against the promise is recorded now. */
  async fulfil(id: string, dto: PlanFulfilDto, actor: Actor): Promise<string> {
    const { appealId } = await this.find(this.db.manager, id, actor);
    await this.writer.change(appealId, actor, dto.expectedVersion, async ({ m, appeal, now, allow }) => {
      allow('fulfil_plan');
      const plan = await this.find(m, id, actor, true);
      this.check(plan, 'fulfil');
      const files = await this.attachments.claim(m, appeal.id, dto.attachmentIds, 'reply');
      const onTime = fulfilledOnTime(plan.promisedBy, now);
      await m.getRepository(Plan).update(
        { id: plan.id },
        {
          status: 'fulfilled',
          fulfilContent: dto.content,
          fulfilledAt: now,
          fulfilledBy: actor.id,
          fulfilledOnTime: onTime,
        },
      );
      return {
        action: 'fulfil_plan',
        data: {
          planId: plan.id,
          departmentId: plan.departmentId,
          content: dto.content,
          onTime,
          ...(files.length ? { attachments: files } : {}),
        },
        notify: [planEnterpriseNotice(appeal, 'plan.fulfilled', plan, dto.content)],
      };
    });
    return appealId;
  }

  /** 确认 by the appeal's enterprise, or by a dispatcher recording a phone call. */
  async confirm(id: string, dto: PlanConfirmDto, actor: Actor): Promise<string> {
    const { appealId } = await this.find(this.db.manager, id, actor);
    await this.writer.change(appealId, actor, dto.expectedVersion, async ({ m, appeal, now, allow }) => {
      allow('confirm_plan');
      const plan = await this.find(m, id, actor, true);
      this.check(plan, 'confirm');
      const comment = dto.comment ?? null;
      await m.getRepository(Plan).update(
        { id: plan.id },
        {
          status: 'confirmed',
          confirmedAt: now,
          confirmedBy: actor.id,
          confirmedRole: actor.role,
          confirmedResolved: dto.resolved,
          confirmComment: comment,
        },
      );
      return {
        action: 'confirm_plan',
        data: {
          planId: plan.id,
          departmentId: plan.departmentId,
          resolved: dto.resolved,
          comment,
          viaPhone: actor.role === 'dispatcher',
        },
        notify: [planConfirmedNotice(appeal, plan, dto.resolved, comment)],
      };
    });
    return appealId;
  }

  /**
   * SPEC §9.3: a reopen of the appeal cancels its open plan — inside the reopen's transaction, the
   * appeal locked. The plan.cancelled events to log after appeal.reopened.
   */
  async cancelOpen(
    m: EntityManager,
    appeal: Pick<Appeal, 'id' | 'status'>,
    now: Date,
    toStatus: Appeal['status'],
  ): Promise<EventDraft[]> {
    const [rows]: [{ id: string; department_id: string }[], number] = await m.query(
      `UPDATE plans SET status = 'cancelled', cancelled_at = $2, cancel_reason = $3
       WHERE appeal_id = $1 AND status = 'open' RETURNING id, department_id`,
      [appeal.id, now, PLAN_CANCELLED_ON_REOPEN],
    );
    return rows.map((r) => ({
      action: 'plan.cancelled',
      fromStatus: toStatus,
      toStatus,
      data: { planId: r.id, departmentId: r.department_id, reason: PLAN_CANCELLED_ON_REOPEN },
    }));
  }

  private check(plan: Plan, step: 'update' | 'fulfil' | 'confirm'): void {
    const problem = planStepProblem(plan.status, step);
    if (problem) throw new DomainError('INVALID_TRANSITION', problem);
  }

  /**
   * The plan, or 404 when it does not exist or lies outside the caller's scope: a handler sees its
   * department's plans, an enterprise those of its own appeals.
   */
  async find(m: EntityManager, id: string, actor: Actor, lock = false): Promise<Plan> {
    const plan = await m
      .getRepository(Plan)
      .findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!plan) throw DomainError.notFound('plan');
    if (actor.role === 'handler' && plan.departmentId !== actor.departmentId)
      throw DomainError.notFound('plan');
    if (actor.role === 'enterprise') {
      const [own] = await m.query(`SELECT 1 FROM appeals WHERE id = $1 AND enterprise_id = $2`, [
        plan.appealId,
        actor.enterpriseId,
      ]);
      if (!own) throw DomainError.notFound('plan');
    }
    return plan;
  }
}
