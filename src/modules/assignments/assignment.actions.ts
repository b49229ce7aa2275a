import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/domain-error';
import type { Actor } from '../auth/auth.decorators';
import { AppealWriter, Change, Step } from '../appeals/appeal-writer';
import { ContentDto, ProgressDto } from '../appeals/appeals.dto';
import { progressNotice } from '../appeals/appeal-notices';
import { CalendarService } from '../calendar/calendar.service';
import { DepartmentsService } from '../departments/departments.service';
import { SlaService } from '../sla/sla.service';
import { newAssignmentNotice } from './assignment-notices';
import { Assignments } from './assignments';
import { DispatchDto, ReplyDto } from './assignments.dto';
import { Assignment } from './entities/assignment.entity';
import { PlannedReplies } from './planned-reply';
import { AttachmentRefs } from '../appeals/attachment-refs';

export interface DispatchOrder {
  leadDepartmentId: string;
  coDepartmentIds: string[];
  note: string | null;
  /** Recorded in the event's data (automatic routing: the rule that dispatched). */
  extra?: Record<string, unknown>;
}

/**
 * The work of the departments on an appeal (承办单位): the centre's dispatch (派单) to a lead and co
 * departments, and each department's steps on its own assignment — acknowledge, note progress, give a
 * co-handling opinion, reply. Each step finds the caller's department's open assignment.
 */
@Injectable()
export class AssignmentActions {
  constructor(
    private readonly writer: AppealWriter,
    private readonly assignments: Assignments,
    private readonly sla: SlaService,
    private readonly calendar: CalendarService,
    private readonly departments: DepartmentsService,
    private readonly plans: PlannedReplies,
    private readonly attachments: AttachmentRefs,
  ) {}

  dispatch(id: string, dto: DispatchDto, actor: Actor) {
    return this.writer.act(id, actor, dto.expectedVersion, (step) =>
      this.dispatchChange(step, {
        leadDepartmentId: dto.leadDepartmentId,
        coDepartmentIds: dto.coDepartmentIds ?? [],
        note: dto.note ?? null,
      }),
    );
  }

  /**
   * Dispatch by a dispatcher or by automatic routing: assignments with their deadlines, the departments
   * told, the event's data. The status is checked by the writer; the departments here, before any row.
   * As `approve_whistle` (SPEC §12) it re-dispatches: the open assignments end and the convener and the
   * summoned departments get fresh ones.
   */
  async dispatchChange(
    { m, appeal, now, actor, allow }: Step,
    d: DispatchOrder,
    as: 'dispatch' | 'approve_whistle' = 'dispatch',
  ): Promise<Change> {
    allow(as);
    const co = d.coDepartmentIds;
    if (co.includes(d.leadDepartmentId)) {
      throw DomainError.validation('the lead department cannot also co-handle', [
        { field: 'coDepartmentIds', message: 'must not contain the lead' },
      ]);
    }
    await this.departments.requireAll([d.leadDepartmentId], 'leadDepartmentId', m);
    await this.departments.requireAll(co, 'coDepartmentIds', m);
    // SPEC §12: an approved whistle re-dispatches a case the departments may be holding: theirs end first
    if (as === 'approve_whistle')
      await this.assignments.endOpen(m, appeal.id, now, 're-dispatched for a whistle');
    const rows = await this.assignments.dispatch(m, appeal, actor, now, d.leadDepartmentId, co);
    return {
      action: as,
      patch: { leadDepartmentId: d.leadDepartmentId, dispatchedAt: appeal.dispatchedAt ?? now },
      notify: rows.map((r) => newAssignmentNotice(appeal, r)),
      data: {
        leadDepartmentId: d.leadDepartmentId,
        coDepartmentIds: co,
        note: d.note,
        redispatch: as === 'dispatch' ? appeal.status === 'returned' : appeal.status !== 'submitted',
        ...(d.extra ?? {}),
        assignments: rows.map((r: Assignment) => ({
          id: r.id,
          departmentId: r.departmentId,
          role: r.role,
          ackDueAt: r.ackDueAt,
          replyDueAt: r.replyDueAt,
        })),
      },
    };
  }

  acknowledge(id: string, dto: { expectedVersion?: number }, actor: Actor) {
    return this.writer.act(id, actor, dto.expectedVersion, async (step) => {
      const own = await this.assignments.own(step.m, step.appeal, actor);
      if (own.status !== 'dispatched')
        throw new DomainError('INVALID_TRANSITION', 'your department has already acknowledged this appeal');
      const action = own.role === 'lead' ? 'acknowledge_lead' : 'acknowledge_co';
      step.allow(action);
      const ackOnTime = step.now.getTime() <= own.ackDueAt.getTime();
      await this.assignments.update(step.m, own.id, {
        status: 'in_progress',
        acknowledgedAt: step.now,
        acknowledgedBy: actor.id,
        ackOnTime,
      });
      return {
        action,
        data: { assignmentId: own.id, departmentId: own.departmentId, role: own.role, onTime: ackOnTime },
      };
    });
  }

  /** 办理进展: internal unless sent as public, which the enterprise's timeline shows and a notice tells it. */
  progress(id: string, dto: ProgressDto, actor: Actor) {
    return this.writer.act(id, actor, dto.expectedVersion, async (step) => {
      const own = await this.assignments.own(step.m, step.appeal, actor);
      if (own.status !== 'in_progress')
        throw new DomainError('INVALID_TRANSITION', 'acknowledge the appeal first');
      return {
        action: 'progress',
        notify: dto.public ? [progressNotice(step.appeal, dto.note)] : [],
        data: {
          assignmentId: own.id,
          departmentId: own.departmentId,
          note: dto.note,
          ...(dto.public ? { public: true } : {}),
        },
      };
    });
  }

  /** 协办意见: a co-handling department's answer to the lead; it completes that assignment. */
  opinion(id: string, dto: ContentDto, actor: Actor) {
    return this.writer.act(id, actor, dto.expectedVersion, async (step) => {
      const own = await this.assignments.held(step, 'opinion', {
        role: 'co',
        acknowledged: true,
        forbidden: 'only a co-handling department submits an opinion; the lead replies',
      });
      const now = step.now;
      await this.assignments.update(step.m, own.id, {
        status: 'completed',
        opinion: dto.content,
        repliedAt: now,
        replyOnTime: now.getTime() <= own.replyDueAt.getTime(),
        endedAt: now,
      });
      await this.assignments.lapseReturns(step.m, { assignmentId: own.id }, now, 'opinion submitted');
      return {
        action: 'opinion',
        data: { assignmentId: own.id, departmentId: own.departmentId, content: dto.content },
      };
    });
  }

  /**
   * 答复: the lead's answer. Open co assignments end with it; the return visit window starts. An answer
   * with a plan (outcome planned, SPEC §9.3) records the plan in the same transaction.
   */
  reply(id: string, dto: ReplyDto, actor: Actor) {
    return this.writer.act(id, actor, dto.expectedVersion, async (step) => {
      const { m, appeal, now } = step;
      const own = await this.assignments.held(step, 'reply', {
        role: 'lead',
        acknowledged: true,
        forbidden: 'only the lead department replies; co-handlers submit an opinion',
      });
      if (dto.outcome !== 'planned' && dto.plan !== undefined)
        throw DomainError.validation('a plan goes only with the outcome planned', [
          { field: 'plan', message: 'only with outcome planned' },
        ]);
      const planned =
        dto.outcome === 'planned'
          ? await this.plans.create(step, { assignmentId: own.id, departmentId: own.departmentId }, dto.plan!)
          : null;
      const files = await this.attachments.claim(m, appeal.id, dto.attachmentIds, 'reply');
      const replyOnTime = now.getTime() <= own.replyDueAt.getTime();
      // SPEC §4 avgReplyWorkingHours: recorded now, like the verdict, so calendar edits never rewrite it
      const cal = await this.calendar.calendar(m);
      const replyWorkingSeconds = Math.round(cal.workingMsBetween(own.dispatchedAt, now) / 1000);
      await this.assignments.update(m, own.id, {
        status: 'completed',
        repliedAt: now,
        replyOnTime,
        replyWorkingSeconds,
        endedAt: now,
        // SPEC §9.2: a reply by stagedDueAt answers the staged-reply deadline too (recorded once)
        ...(own.stagedDueAt && own.stagedRepliedAt === null
          ? { stagedRepliedAt: now, stagedOnTime: now.getTime() <= own.stagedDueAt.getTime() }
          : {}),
      });
      await this.assignments.endOpen(m, appeal.id, now, 'superseded by the reply');
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
          ...(planned ? { planId: planned.planId } : {}),
          ...(files.length ? { attachments: files } : {}),
        },
        after: planned?.after ?? [],
      };
    });
  }
}
