import { Injectable } from '@nestjs/common';
import { DomainError } from '../../../common/domain-error';
import type { Actor } from '../../auth/auth.decorators';
import { ApproveDto, DenyDto, SuperviseDto } from '../appeals.dto';
import { Assignment } from '../entities/assignment.entity';
import { AssessmentAppeal, Survey } from '../entities/side-records.entity';
import { leaderAction } from '../../workflow/appeal-state-machine';
import { LeaderDto } from '../appeals.dto';
import { AppealWriter } from './appeal-writer';
import { supervisionNotice } from './notices';
import { SupervisionRecords, supervisedData } from './supervisions';

/** Supervisors' actions (营商办 / 工商联): 催办 / 督办 a case, decide assessment appeals, name a case's leader (领导领衔). */
@Injectable()
export class SupervisorActions {
  constructor(
    private readonly writer: AppealWriter,
    private readonly records: SupervisionRecords,
  ) {}

  /**
   * SPEC §7.3: a reminder (催办) or a supervision (督办, the default) on a department — the lead unless
   * named; a named department must hold or have held an assignment on the appeal. A supervision is due
   * an answer within the policy's supervisionAnswerWithin; its wake-up is armed after commit.
   */
  supervise(id: string, dto: SuperviseDto, actor: Actor) {
    return this.writer.act(id, actor, dto.expectedVersion, async ({ m, appeal, now, allow }) => {
      allow('supervise');
      const departmentId = dto.departmentId ?? appeal.leadDepartmentId;
      if (
        dto.departmentId &&
        !(await m.getRepository(Assignment).existsBy({ appealId: appeal.id, departmentId: dto.departmentId }))
      )
        throw DomainError.validation('departmentId names no department that handles this appeal', [
          { field: 'departmentId', message: 'the department has no assignment on this appeal' },
        ]);
      const [row] = await this.records.open(
        m,
        [
          {
            appeal,
            order: {
              level: dto.level ?? 'supervision',
              source: 'manual',
              departmentId,
              note: dto.note,
              createdBy: actor.id,
            },
          },
        ],
        now,
      );
      return {
        action: 'supervise',
        patch: { supervised: true },
        data: supervisedData(row),
        notify: row.departmentId ? [supervisionNotice(appeal, row)] : [],
      };
    });
  }

  /**
   * SPEC §7.2: a supervisor decides an assessment appeal. Approved, the survey becomes an invalid return
   * visit (valid: false); when it is the appeal's latest survey, the appeal's copy follows, so the rating
   * leaves `rated`, `satisfactionRate`, `resolutionRate` and `score`. The status never changes.
   */
  decideAssessmentAppeal(
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

  /**
   * SPEC §8.2 领导领衔: the appeal becomes leader-led with the leader's instruction (批示); another call adds
   * an instruction, from the same leader or from a leader taking the case over. Open appeals only.
   */
  leader(id: string, dto: LeaderDto, actor: Actor) {
    return this.writer.act(id, actor, dto.expectedVersion, async ({ appeal, now, allow }) => {
      const action = leaderAction(appeal.leaderName, dto.leaderName);
      allow(action);
      const instruction = { text: dto.instruction, at: now.toISOString(), leaderName: dto.leaderName };
      return {
        action,
        patch: {
          leaderName: dto.leaderName,
          leaderInstructions: [...(appeal.leaderInstructions ?? []), instruction],
        },
        data: {
          leaderName: dto.leaderName,
          instruction: dto.instruction,
          ...(action === 'assign_leader' ? { previousLeaderName: appeal.leaderName } : {}),
        },
      };
    });
  }
}
