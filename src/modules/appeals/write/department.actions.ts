import { Injectable } from '@nestjs/common';
import { DomainError } from '../../../common/domain-error';
import type { Actor } from '../../auth/auth.decorators';
import { CalendarService } from '../../calendar/calendar.service';
import { SlaService } from '../../sla/sla.service';
import type { AppealAction } from '../../workflow/appeal-state-machine';
import { ContentDto, ExtensionDto, NoteDto, ReasonDto, ReplyDto } from '../appeals.dto';
import { Assignment } from '../entities/assignment.entity';
import { ExtensionRequest } from '../entities/side-records.entity';
import { AppealWriter, Step } from './appeal-writer';
import { Assignments } from './assignments';

/**
 * A department's actions on its own assignment (承办单位): acknowledge, note progress, give a co-handling
 * opinion, return, ask for an extension, reply. Each finds the caller's department's open assignment.
 */
@Injectable()
export class DepartmentActions {
  constructor(
    private readonly writer: AppealWriter,
    private readonly assignments: Assignments,
    private readonly sla: SlaService,
    private readonly calendar: CalendarService,
  ) {}

  /**
   * The caller's open assignment, checked: its role (403 when the action is the other role's), the
   * transition table, and that it was acknowledged where the action needs it.
   */
  private async own(
    { m, appeal, actor, allow }: Step,
    action: AppealAction,
    need: { role?: Assignment['role']; acknowledged?: boolean; forbidden?: string } = {},
  ): Promise<Assignment> {
    const own = await this.assignments.own(m, appeal, actor);
    if (need.role && own.role !== need.role) throw DomainError.forbidden(need.forbidden ?? 'not your role');
    allow(action);
    if (need.acknowledged && own.status !== 'in_progress')
      throw new DomainError('INVALID_TRANSITION', 'acknowledge the appeal first');
    return own;
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

  /** 退单: the lead sends the appeal back to the centre; a co-handler drops only its own part. */
  returnAppeal(id: string, dto: ReasonDto, actor: Actor) {
    return this.writer.act(id, actor, dto.expectedVersion, async (step) => {
      const { m, appeal, now } = step;
      const own = await this.assignments.own(m, appeal, actor);
      const action = own.role === 'lead' ? 'return_lead' : 'return_co';
      step.allow(action);
      await this.assignments.update(m, own.id, {
        status: 'returned',
        returnReason: dto.reason,
        endedAt: now,
      });
      if (own.role === 'lead') await this.assignments.endOpen(m, appeal.id, now, 'assignment returned');
      return {
        action,
        data: { assignmentId: own.id, departmentId: own.departmentId, role: own.role, reason: dto.reason },
      };
    });
  }

  progress(id: string, dto: NoteDto, actor: Actor) {
    return this.writer.act(id, actor, dto.expectedVersion, async (step) => {
      const own = await this.assignments.own(step.m, step.appeal, actor);
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
    return this.writer.act(id, actor, dto.expectedVersion, async (step) => {
      const own = await this.own(step, 'opinion', {
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
      return {
        action: 'opinion',
        data: { assignmentId: own.id, departmentId: own.departmentId, content: dto.content },
      };
    });
  }

  async requestExtension(id: string, dto: ExtensionDto, actor: Actor) {
    let extensionId = '';
    const appeal = await this.writer.act(id, actor, dto.expectedVersion, async (step) => {
      const own = await this.own(step, 'request_extension', {
        role: 'lead',
        acknowledged: true,
        forbidden: 'only the lead department asks for an extension',
      });
      // SPEC §3: an extension is asked for before the deadline
      if (step.now.getTime() > own.replyDueAt.getTime())
        throw new DomainError(
          'INVALID_TRANSITION',
          'the reply deadline has passed; extensions are asked for before it',
        );
      const repo = step.m.getRepository(ExtensionRequest);
      if (await repo.existsBy({ assignmentId: own.id, status: 'pending' })) {
        throw DomainError.conflict('an extension request is already pending for this assignment');
      }
      const row = repo.create({
        appealId: step.appeal.id,
        assignmentId: own.id,
        days: dto.days,
        reason: dto.reason,
        status: 'pending',
        requestedBy: actor.id,
        requestedAt: step.now,
      });
      await repo.insert(row);
      extensionId = row.id;
      return {
        action: 'request_extension',
        data: { extensionId: row.id, assignmentId: own.id, days: dto.days, reason: dto.reason },
      };
    });
    return { id: extensionId, status: 'pending' as const, days: dto.days, reason: dto.reason, appeal };
  }

  /** 答复: the lead's answer. Open co assignments end with it; the return visit window starts. */
  reply(id: string, dto: ReplyDto, actor: Actor) {
    return this.writer.act(id, actor, dto.expectedVersion, async (step) => {
      const { m, appeal, now } = step;
      const own = await this.own(step, 'reply', {
        role: 'lead',
        acknowledged: true,
        forbidden: 'only the lead department replies; co-handlers submit an opinion',
      });
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
        },
      };
    });
  }
}
