import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/domain-error';
import type { Actor } from '../auth/auth.decorators';
import { AppealWriter } from '../appeals/appeal-writer';
import { ApproveDto, DenyDto } from '../appeals/appeals.dto';
import { Assignment } from '../assignments/entities/assignment.entity';
import { SlaService } from '../sla/sla.service';
import { isContestable, isWithinWindow } from '../workflow/assessment-rules';
import { AssessmentAppealDto } from './assessment.dto';
import { AssessmentAppeal } from './entities/assessment-appeal.entity';
import { Survey } from './entities/survey.entity';

/** 考核申诉 (SPEC §7.2): the lead of a rated round contests the rating; a supervisor decides. */
@Injectable()
export class AssessmentAppeals {
  constructor(
    private readonly writer: AppealWriter,
    private readonly sla: SlaService,
  ) {}

  /**
   * 考核申诉 (SPEC §7.2): the department that was lead for a survey's round contests an unsatisfied or
   * unresolved rating within the policy's assessmentAppealWithin of the survey. One per survey.
   */
  async file(id: string, dto: AssessmentAppealDto, actor: Actor) {
    const { returns: a } = await this.writer.actFor(
      id,
      actor,
      dto.expectedVersion,
      async ({ m, appeal, now, allow }) => {
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
        const filed = repo.create({
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
          returns: filed,
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
      },
    );
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

  /**
   * SPEC §7.2: a supervisor decides an assessment appeal. Approved, the survey becomes an invalid return
   * visit (valid: false); when it is the appeal's latest survey, the appeal's copy follows, so the rating
   * leaves `rated`, `satisfactionRate`, `resolutionRate` and `score`. The status never changes.
   */
  decide(
    id: string,
    assessmentAppealId: string,
    decision: 'approve' | 'deny',
    dto: ApproveDto | DenyDto,
    actor: Actor,
  ) {
    return this.writer.act(id, actor, dto.expectedVersion, async ({ m, appeal, now, allow }) => {
      const action = decision === 'approve' ? 'approve_assessment_appeal' : 'deny_assessment_appeal';
      allow(action);
      const repo = m.getRepository(AssessmentAppeal);
      const row = await repo.findOne({
        where: { id: assessmentAppealId, appealId: appeal.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row) throw DomainError.notFound('assessment appeal');
      if (row.status !== 'pending')
        throw new DomainError('INVALID_TRANSITION', `the assessment appeal is already ${row.status}`);
      const why = 'reason' in dto ? dto.reason : (dto.note ?? null);
      await repo.update(
        { id: row.id },
        {
          status: decision === 'approve' ? 'approved' : 'denied',
          decidedBy: actor.id,
          decidedAt: now,
          decisionNote: why,
        },
      );
      const data = {
        assessmentAppealId: row.id,
        surveyId: row.surveyId,
        departmentId: row.departmentId,
        [decision === 'approve' ? 'note' : 'reason']: why,
      };
      if (decision === 'deny') return { action, data };
      const surveys = m.getRepository(Survey);
      await surveys.update({ id: row.surveyId }, { valid: false });
      const latest = await surveys.findOneOrFail({
        where: { appealId: appeal.id },
        order: { createdAt: 'DESC', id: 'DESC' },
      });
      return {
        action,
        patch: {
          assessmentAppealsApproved: appeal.assessmentAppealsApproved + 1,
          ...(latest.id === row.surveyId ? { latestSurveyValid: false } : {}),
        },
        data: { ...data, latestSurvey: latest.id === row.surveyId },
      };
    });
  }
}
