import { Injectable } from '@nestjs/common';
import { DomainError } from '../../../common/domain-error';
import type { Actor } from '../../auth/auth.decorators';
import { CalendarService } from '../../calendar/calendar.service';
import { SlaService } from '../../sla/sla.service';
import type { AppealAction } from '../../workflow/appeal-state-machine';
import { DepartmentsService } from '../../departments/departments.service';
import { isContestable, isWithinWindow } from '../../workflow/assessment-rules';
import { AssessmentAppealDto, ContentDto, ExtensionDto, NoteDto, ReplyDto, ReturnDto } from '../appeals.dto';
import { Assignment } from '../entities/assignment.entity';
import { AssessmentAppeal, ExtensionRequest, ReturnRequest, Survey } from '../entities/side-records.entity';
import { AppealWriter, Step } from './appeal-writer';
import { Assignments } from './assignments';

/**
 * A department's actions on its own assignment (承办单位): acknowledge, note progress, give a co-handling
 * opinion, ask to return it, ask for an extension, reply; and contest a rating of a round it led. Each
 * finds the caller's department's open assignment (the contest, its completed lead assignment).
 */
@Injectable()
export class DepartmentActions {
  constructor(
    private readonly writer: AppealWriter,
    private readonly assignments: Assignments,
    private readonly sla: SlaService,
    private readonly calendar: CalendarService,
    private readonly departments: DepartmentsService,
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

  /**
   * 退单申请 (SPEC §7.1): the caller's department asks to hand its open assignment back, within the
   * policy's returnWithin of that assignment's dispatch. Status and deadlines stay as they are; the
   * centre decides. One request per assignment: a pending one is 409 CONFLICT, a denied one may not be
   * asked again.
   */
  requestReturn(id: string, dto: ReturnDto, actor: Actor) {
    return this.writer.act(id, actor, dto.expectedVersion, async (step) => {
      const { m, appeal, now } = step;
      const own = await this.assignments.own(m, appeal, actor);
      step.allow('request_return');
      const repo = m.getRepository(ReturnRequest);
      const prior = await repo.findOneBy({ assignmentId: own.id });
      if (prior?.status === 'pending')
        throw DomainError.conflict('a return request is already pending for this assignment', {
          returnRequestId: prior.id,
        });
      if (prior)
        throw new DomainError(
          'INVALID_TRANSITION',
          `this assignment's return request was ${prior.status}; it may not be asked again`,
          { returnRequestId: prior.id, status: prior.status },
        );
      const closesAt = await this.sla.windowClosesAt(m, appeal, 'returnWithin', own.dispatchedAt);
      if (!isWithinWindow(closesAt, now))
        throw new DomainError('INVALID_TRANSITION', 'the return window has closed', {
          window: 'returnWithin',
          windowClosed: true,
          dispatchedAt: own.dispatchedAt,
          windowClosedAt: closesAt,
        });
      if (dto.suggestedDepartmentId)
        await this.departments.requireAll([dto.suggestedDepartmentId], 'suggestedDepartmentId', m);
      const row = repo.create({
        appealId: appeal.id,
        assignmentId: own.id,
        departmentId: own.departmentId,
        reason: dto.reason,
        suggestedDepartmentId: dto.suggestedDepartmentId ?? null,
        status: 'pending',
        requestedBy: actor.id,
        requestedAt: now,
      });
      await repo.insert(row);
      await this.assignments.update(m, own.id, { returnStatus: 'pending' });
      return {
        action: 'request_return',
        data: {
          returnRequestId: row.id,
          assignmentId: own.id,
          departmentId: own.departmentId,
          role: own.role,
          reason: dto.reason,
          suggestedDepartmentId: row.suggestedDepartmentId,
          windowClosesAt: closesAt,
        },
      };
    });
  }

  /**
   * 考核申诉 (SPEC §7.2): the department that was lead for a survey's round contests an unsatisfied or
   * unresolved rating within the policy's assessmentAppealWithin of the survey. One per survey.
   */
  async fileAssessmentAppeal(id: string, dto: AssessmentAppealDto, actor: Actor) {
    let filed: AssessmentAppeal | undefined;
    await this.writer.change(id, actor, dto.expectedVersion, async ({ m, appeal, now, allow }) => {
      allow('file_assessment_appeal');
      const survey = await m.getRepository(Survey).findOneBy({ id: dto.surveyId, appealId: appeal.id });
      if (!survey)
        throw DomainError.validation('surveyId does not name a survey of this appeal', [
          { field: 'surveyId', message: 'no such survey on this appeal' },
        ]);
      const lead = await m.getRepository(Assignment).findOne({
        where: { appealId: appeal.id, role: 'lead', round: survey.round, status: 'completed' },
        order: { repliedAt: 'DESC' },
      });
      if (!lead || lead.departmentId !== actor.departmentId)
        throw DomainError.forbidden('only the department that was lead for the rated round may contest it');
      if (!isContestable(survey))
        throw new DomainError(
          'INVALID_TRANSITION',
          'only an unsatisfied or unresolved rating can be contested',
        );
      const repo = m.getRepository(AssessmentAppeal);
      if (await repo.existsBy({ surveyId: survey.id }))
        throw DomainError.conflict('this survey has already been contested');
      const closesAt = await this.sla.windowClosesAt(m, appeal, 'assessmentAppealWithin', survey.createdAt);
      if (!isWithinWindow(closesAt, now))
        throw new DomainError('INVALID_TRANSITION', 'the assessment appeal window has closed', {
          window: 'assessmentAppealWithin',
          windowClosed: true,
          surveyedAt: survey.createdAt,
          windowClosedAt: closesAt,
        });
      filed = repo.create({
        appealId: appeal.id,
        surveyId: survey.id,
        departmentId: lead.departmentId,
        reason: dto.reason,
        explanation: dto.explanation,
        recontacted: dto.recontacted,
        status: 'pending',
        filedBy: actor.id,
        createdAt: now,
      });
      await repo.insert(filed);
      return {
        action: 'file_assessment_appeal',
        patch: { assessmentAppeals: appeal.assessmentAppeals + 1 },
        data: {
          assessmentAppealId: filed.id,
          surveyId: survey.id,
          departmentId: lead.departmentId,
          reason: dto.reason,
          explanation: dto.explanation,
          recontacted: dto.recontacted,
        },
      };
    });
    const a = filed!;
    return {
      id: a.id,
      status: a.status,
      surveyId: a.surveyId,
      reason: a.reason,
      explanation: a.explanation,
      recontacted: a.recontacted,
      createdAt: a.createdAt,
    };
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
      await this.assignments.lapseReturns(step.m, { assignmentId: own.id }, now, 'opinion submitted');
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
