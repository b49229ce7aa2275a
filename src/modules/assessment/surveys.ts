import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../../common/domain-error';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { Actor } from '../auth/auth.decorators';
import { AppealWriter, Change, Step } from '../appeals/appeal-writer';
import { Assignments } from '../assignments/assignments';
import { Assignment } from '../assignments/entities/assignment.entity';
import { reopenLimitSupervisionNote, supervisionNotice } from '../supervision/supervision-notices';
import { SupervisionRecords, supervisedEvent } from '../supervision/supervision-records';
import { PlanActions } from '../plans/plan.actions';
import { surveyAction } from '../workflow/appeal-state-machine';
import { SurveyDto } from './assessment.dto';
import { Survey } from './entities/survey.entity';

/** 回访: the enterprise's rating of an answer (or a dispatcher's record of a phone visit), SPEC §2. */
@Injectable()
export class Surveys {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly writer: AppealWriter,
    private readonly assignments: Assignments,
    private readonly records: SupervisionRecords,
    private readonly plans: PlanActions,
  ) {}

  /**
   * 回访, by the enterprise or a dispatcher after a phone visit: satisfied closes; unsatisfied reopens
   * (重办) at the same lead department with a fresh reply deadline, until MAX_REOPENS — past it the
   * appeal closes and a supervision opens (SPEC §2).
   */
  survey(id: string, dto: SurveyDto, actor: Actor) {
    return this.writer.act(id, actor, dto.expectedVersion, async (step) => {
      const { m, appeal, now } = step;
      const action = surveyAction(dto.satisfaction, appeal.reopenCount, this.config.maxReopens);
      step.allow(action);
      const repo = m.getRepository(Survey);
      const survey = repo.create({
        appealId: appeal.id,
        satisfaction: dto.satisfaction,
        resolved: dto.resolved,
        comment: dto.comment ?? null,
        contacted: dto.contacted ?? null,
        round: appeal.reopenCount,
        recordedBy: actor.id,
        recordedRole: actor.role,
        createdAt: now,
      });
      await repo.insert(survey);
      // the latest survey (by created_at, id) is kept on the appeal for the report rollups (SPEC §4)
      const latest = await repo.findOneOrFail({
        where: { appealId: appeal.id },
        order: { createdAt: 'DESC', id: 'DESC' },
      });
      const base: Pick<Change, 'before' | 'patch'> = {
        before: [
          {
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
              ...(dto.contacted !== undefined ? { contacted: dto.contacted } : {}),
            },
          },
        ],
        patch: {
          latestSatisfaction: latest.satisfaction,
          latestResolved: latest.resolved,
          latestSurveyValid: latest.valid,
          latestContacted: latest.contacted,
        },
      };
      if (action === 'survey_close') {
        return {
          ...base,
          action,
          patch: { ...base.patch, closedAt: now, closeReason: 'rated' },
          data: { closeReason: 'rated' },
        };
      }
      if (action === 'survey_close_reopen_limit') return this.closeAtReopenLimit(step, base);
      return this.reopen(step, base);
    });
  }

  /** Past MAX_REOPENS: closed, and a supervision (督办) opened on the lead department (SPEC §2, §7.3). */
  private async closeAtReopenLimit({ m, appeal, now }: Step, base: Pick<Change, 'before' | 'patch'>) {
    const [row] = await this.records.open(
      m,
      [
        {
          appeal,
          order: {
            level: 'supervision',
            source: 'reopen_limit',
            departmentId: appeal.leadDepartmentId,
            note: reopenLimitSupervisionNote(appeal.reopenCount),
            createdBy: null,
          },
        },
      ],
      now,
    );
    return {
      ...base,
      action: 'survey_close_reopen_limit' as const,
      patch: { ...base.patch, closedAt: now, closeReason: 'reopen_limit' as const, supervised: true },
      data: { closeReason: 'reopen_limit' },
      after: [supervisedEvent(row, 'closed')],
      notify: row.departmentId ? [supervisionNotice(appeal, row)] : [],
    };
  }

  /** 重办: a fresh lead assignment for the department that answered last; its open plan is cancelled (SPEC §9.3). */
  private async reopen({ m, appeal, now }: Step, base: Pick<Change, 'before' | 'patch'>): Promise<Change> {
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
    const row = await this.assignments.reopen(m, appeal, now, lead.departmentId, round);
    const cancelled = await this.plans.cancelOpen(m, appeal, now, 'in_progress');
    return {
      ...base,
      action: 'survey_reopen',
      patch: { ...base.patch, reopenCount: round, surveyDueAt: null },
      data: {
        reopenCount: round,
        assignmentId: row.id,
        departmentId: lead.departmentId,
        replyDueAt: row.replyDueAt,
      },
      after: cancelled,
    };
  }
}
