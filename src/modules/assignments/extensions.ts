import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/domain-error';
import type { Actor } from '../auth/auth.decorators';
import { AppealWriter } from '../appeals/appeal-writer';
import { DenyDto } from '../appeals/appeals.dto';
import { SlaService } from '../sla/sla.service';
import { Assignments } from './assignments';
import { ExtensionDto } from './assignments.dto';
import { Assignment } from './entities/assignment.entity';
import { ExtensionRequest } from './entities/extension-request.entity';

/** 延期 (SPEC §2, §3): the lead asks for more working days before its deadline; the centre decides. */
@Injectable()
export class Extensions {
  constructor(
    private readonly writer: AppealWriter,
    private readonly assignments: Assignments,
    private readonly sla: SlaService,
  ) {}

  async request(id: string, dto: ExtensionDto, actor: Actor) {
    const { returns, appeal } = await this.writer.actFor(id, actor, dto.expectedVersion, async (step) => {
      const own = await this.assignments.held(step, 'request_extension', {
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
      return {
        action: 'request_extension',
        returns: row,
        data: { extensionId: row.id, assignmentId: own.id, days: dto.days, reason: dto.reason },
      };
    });
    return { id: returns.id, status: 'pending' as const, days: dto.days, reason: dto.reason, appeal };
  }

  /** 延期审批 by a dispatcher or a supervisor: approved, the reply deadline moves by N working days. */
  decide(
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
}
