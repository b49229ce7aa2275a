import { Injectable } from '@nestjs/common';
import { DomainError } from '../../../common/domain-error';
import type { Actor } from '../../auth/auth.decorators';
import { DepartmentsService } from '../../departments/departments.service';
import { SlaService } from '../../sla/sla.service';
import { TERMINAL_STATUSES } from '../../workflow/appeal-state-machine';
import { ApproveDto, ContentDto, DenyDto, DispatchDto, MergeDto, ReasonDto } from '../appeals.dto';
import { Assignment } from '../entities/assignment.entity';
import { ExtensionRequest, ReturnRequest } from '../entities/side-records.entity';
import { AppealWriter, Change, Step } from './appeal-writer';
import { Assignments } from './assignments';
import { newAssignmentNotice, returnDecisionNotice } from './notices';

export interface DispatchOrder {
  leadDepartmentId: string;
  coDepartmentIds: string[];
  note: string | null;
  /** Recorded in the event's data (automatic routing: the rule that dispatched). */
  extra?: Record<string, unknown>;
}

/**
 * The hotline centre's actions (派单员): dispatch, reject, answer on the spot, merge, decide extensions
 * and return requests.
 */
@Injectable()
export class CentreActions {
  constructor(
    private readonly writer: AppealWriter,
    private readonly assignments: Assignments,
    private readonly departments: DepartmentsService,
    private readonly sla: SlaService,
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
   */
  async dispatchChange({ m, appeal, now, actor, allow }: Step, d: DispatchOrder): Promise<Change> {
    allow('dispatch');
    const co = d.coDepartmentIds;
    if (co.includes(d.leadDepartmentId)) {
      throw DomainError.validation('the lead department cannot also co-handle', [
        { field: 'coDepartmentIds', message: 'must not contain the lead' },
      ]);
    }
    await this.departments.requireAll([d.leadDepartmentId], 'leadDepartmentId', m);
    await this.departments.requireAll(co, 'coDepartmentIds', m);
    const rows = await this.assignments.dispatch(m, appeal, actor, now, d.leadDepartmentId, co);
    return {
      action: 'dispatch',
      patch: { leadDepartmentId: d.leadDepartmentId, dispatchedAt: appeal.dispatchedAt ?? now },
      notify: rows.map((r) => newAssignmentNotice(appeal, r)),
      data: {
        leadDepartmentId: d.leadDepartmentId,
        coDepartmentIds: co,
        note: d.note,
        redispatch: appeal.status === 'returned',
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

  reject(id: string, dto: ReasonDto, actor: Actor) {
    return this.writer.act(id, actor, dto.expectedVersion, async () => ({
      action: 'reject',
      patch: { statusReason: dto.reason },
      data: { reason: dto.reason },
    }));
  }

  /** 即时办结: the centre answers on the call; the appeal waits for its return visit like any reply. */
  resolveOnSpot(id: string, dto: ContentDto, actor: Actor) {
    return this.writer.act(id, actor, dto.expectedVersion, (step) => this.resolveChange(step, dto.content));
  }

  /** The change of an answer on the spot (a call, or a meeting's 现场解决): replied, the survey window open. */
  async resolveChange({ m, appeal, now, allow }: Step, content: string): Promise<Change> {
    allow('resolve_on_spot');
    return {
      action: 'resolve_on_spot',
      patch: {
        replyContent: content,
        replyOutcome: 'resolved',
        repliedAt: now,
        resolvedOnSpot: true,
        surveyDueAt: await this.sla.surveyDueAt(m, appeal, now),
      },
      data: { content },
    };
  }

  /** 合并: the duplicate ends as merged; the target records the merge as an event of its own. */
  merge(id: string, dto: MergeDto, actor: Actor) {
    if (dto.intoAppealId === id) {
      throw DomainError.validation('an appeal cannot be merged into itself', [
        { field: 'intoAppealId', message: 'must be another appeal' },
      ]);
    }
    const opts = { alsoLock: [dto.intoAppealId] };
    return this.writer.act(
      id,
      actor,
      dto.expectedVersion,
      async ({ m, appeal, now, locked, allow }) => {
        allow('merge');
        const target = locked.get(dto.intoAppealId);
        if (!target)
          throw DomainError.validation('intoAppealId does not name an appeal', [
            { field: 'intoAppealId', message: 'no such appeal' },
          ]);
        if (TERMINAL_STATUSES.includes(target.status))
          throw new DomainError('INVALID_TRANSITION', `cannot merge into an appeal that is ${target.status}`);
        await this.assignments.endOpen(m, appeal.id, now, 'appeal merged');
        return {
          action: 'merge',
          patch: { mergedIntoId: target.id },
          data: { intoAppealId: target.id, intoNumber: target.number },
          related: [
            {
              appeal: target,
              events: [
                {
                  action: 'appeal.merged',
                  fromStatus: target.status,
                  toStatus: target.status,
                  data: { mergedAppealId: appeal.id, mergedNumber: appeal.number },
                },
              ],
            },
          ],
        };
      },
      opts,
    );
  }

  /** 延期审批 by a dispatcher or a supervisor: approved, the reply deadline moves by N working days. */
  decideExtension(
    id: string,
    extensionId: string,
    decision: 'approve' | 'deny',
    dto: DenyDto | { expectedVersion?: number },
    actor: Actor,
  ) {
    return this.writer.act(id, actor, dto.expectedVersion, async ({ m, appeal, now, allow }) => {
      const action = decision === 'approve' ? 'approve_extension' : 'deny_extension';
      allow(action);
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
      await this.assignments.update(m, assignment.id, {
        ...moved,
        extendedDays: assignment.extendedDays + ext.days,
        warning: false,
      });
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

  /**
   * 退单审核 (SPEC §7.1) by a dispatcher. Approved for the lead: the appeal goes back to the centre
   * (returned) and every other open assignment is cancelled; for a co department only its assignment
   * ends. Denied: the department keeps the case and may not ask again for that assignment.
   */
  decideReturn(
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
