import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/domain-error';
import type { Actor } from '../auth/auth.decorators';
import { AppealWriter } from '../appeals/appeal-writer';
import { ApproveDto, DenyDto } from '../appeals/appeals.dto';
import { DepartmentsService } from '../departments/departments.service';
import { SlaService } from '../sla/sla.service';
import { isWithinWindow } from '../workflow/assessment-rules';
import { returnDecisionNotice } from './assignment-notices';
import { Assignments } from './assignments';
import { ReturnDto } from './assignments.dto';
import { Assignment } from './entities/assignment.entity';
import { ReturnRequest } from './entities/return-request.entity';

/** 退单 (SPEC §7.1): a department asks to hand its assignment back; the centre reviews the request. */
@Injectable()
export class Returns {
  constructor(
    private readonly writer: AppealWriter,
    private readonly assignments: Assignments,
    private readonly sla: SlaService,
    private readonly departments: DepartmentsService,
  ) {}

  /**
   * 退单申请 (SPEC §7.1): the caller's department asks to hand its open assignment back, within the
   * policy's returnWithin of that assignment's dispatch. Status and deadlines stay as they are; the
   * centre decides. One request per assignment: a pending one is 409 CONFLICT, a denied one may not be
   * asked again.
   */
  request(id: string, dto: ReturnDto, actor: Actor) {
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
   * 退单审核 (SPEC §7.1) by a dispatcher. Approved for the lead: the appeal goes back to the centre
   * (returned) and every other open assignment is cancelled; for a co department only its assignment
   * ends. Denied: the department keeps the case and may not ask again for that assignment.
   */
  decide(
    id: string,
    requestId: string,
    decision: 'approve' | 'deny',
    dto: DenyDto | ApproveDto,
    actor: Actor,
  ) {
    return this.writer.act(id, actor, dto.expectedVersion, async ({ m, appeal, now, allow }) => {
      const repo = m.getRepository(ReturnRequest);
      const req = await repo.findOne({
        where: { id: requestId, appealId: appeal.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!req) throw DomainError.notFound('return request');
      const assignment = await m.getRepository(Assignment).findOneByOrFail({ id: req.assignmentId });
      const action =
        decision === 'deny'
          ? 'deny_return'
          : assignment.role === 'lead'
            ? 'approve_return_lead'
            : 'approve_return_co';
      allow(action);
      if (req.status !== 'pending')
        throw new DomainError('INVALID_TRANSITION', `the return request is already ${req.status}`);
      const why = 'reason' in dto ? dto.reason : (dto.note ?? null);
      const decided = { decidedBy: actor.id, decidedAt: now, decisionNote: why };
      const ref = {
        returnRequestId: req.id,
        assignmentId: assignment.id,
        departmentId: assignment.departmentId,
        role: assignment.role,
      };
      const notify = [returnDecisionNotice(appeal, req, decision === 'approve', why)];
      if (decision === 'deny') {
        await repo.update({ id: req.id }, { status: 'denied', ...decided });
        await this.assignments.update(m, assignment.id, { returnStatus: 'denied' });
        return { action, data: { ...ref, reason: why }, notify };
      }
      await repo.update({ id: req.id }, { status: 'approved', ...decided });
      await this.assignments.update(m, assignment.id, {
        status: 'returned',
        returnReason: req.reason,
        returnStatus: 'approved',
        endedAt: now,
      });
      if (assignment.role === 'lead')
        await this.assignments.endOpen(m, appeal.id, now, 'assignment returned');
      return {
        action,
        before: [
          {
            action: 'return.approved',
            fromStatus: appeal.status,
            toStatus: appeal.status,
            data: { ...ref, note: why },
          },
        ],
        data: { ...ref, reason: req.reason, suggestedDepartmentId: req.suggestedDepartmentId },
        notify,
      };
    });
  }
}
