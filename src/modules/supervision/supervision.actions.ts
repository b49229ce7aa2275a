import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import type { Actor } from '../auth/auth.decorators';
import { AppealWriter, Change, EventDraft, NoticeDraft } from '../appeals/appeal-writer';
import { ContentDto } from '../appeals/appeals.dto';
import { Assignment } from '../assignments/entities/assignment.entity';
import { answeredOnTime, answerProblem, closeProblem } from '../workflow/assessment-rules';
import { Supervision } from './entities/supervision.entity';
import { supervisionNotice } from './supervision-notices';
import { escalationRecord, supervisedData, SupervisionRecords } from './supervision-records';
import { CloseSupervisionDto, SuperviseDto } from './supervision.dto';
import { SupervisionView, toSupervisionView } from './supervision.view';

/**
 * Graded supervision (SPEC §7.3): a supervisor's 催办 or 督办 on a department, the department's answer
 * and the supervisor's close (销号). Each is a change of the appeal (an event in its chain, a new
 * version), written through the writer.
 */
@Injectable()
export class SupervisionActions {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
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

  /** The record, or 404 when it does not exist or lies outside a handler's department. */
  private async find(m: EntityManager, id: string, actor: Actor, lock = false): Promise<Supervision> {
    const v = await m
      .getRepository(Supervision)
      .findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!v || (actor.role === 'handler' && v.departmentId !== actor.departmentId))
      throw DomainError.notFound('supervision');
    return v;
  }

  /**
   * A handler of the supervised department answers. An answer after the due that the escalation timer
   * has not reached yet escalates first, in the same transaction: a supervision unanswered by its due
   * becomes a notice however late the timer runs.
   */
  async answer(id: string, dto: ContentDto, actor: Actor): Promise<SupervisionView> {
    const { appealId } = await this.find(this.db.manager, id, actor);
    await this.writer.change(appealId, actor, dto.expectedVersion, async ({ m, appeal, now, allow }) => {
      allow('answer_supervision');
      const v = await this.find(m, id, actor, true);
      const problem = answerProblem(v);
      if (problem) throw new DomainError('INVALID_TRANSITION', problem);
      const escalated = (await this.records.escalate(m, [appeal], now, v.id)).get(appeal.id) ?? [];
      const before: EventDraft[] = [];
      const notify: NoticeDraft[] = [];
      for (const e of escalated) {
        const r = escalationRecord(appeal, e);
        before.push(...r.events);
        notify.push(...r.notify);
      }
      const onTime = answeredOnTime(v.answerDueAt, now);
      await m.getRepository(Supervision).update(
        { id: v.id },
        {
          status: 'answered',
          answer: dto.content,
          answeredBy: actor.id,
          answeredAt: now,
          answeredOnTime: onTime,
        },
      );
      const change: Change = {
        action: 'answer_supervision',
        before,
        notify,
        data: {
          supervisionId: v.id,
          level: v.level,
          departmentId: v.departmentId,
          answer: dto.content,
          onTime,
        },
      };
      return change;
    });
    return toSupervisionView(await this.find(this.db.manager, id, actor));
  }

  /** 销号 by a supervisor: an answered supervision, a notice, a reminder. */
  async close(id: string, dto: CloseSupervisionDto, actor: Actor): Promise<SupervisionView> {
    const { appealId } = await this.find(this.db.manager, id, actor);
    await this.writer.change(appealId, actor, dto.expectedVersion, async ({ m, now, allow }) => {
      allow('close_supervision');
      const v = await this.find(m, id, actor, true);
      const problem = closeProblem(v);
      if (problem) throw new DomainError('INVALID_TRANSITION', problem);
      await m
        .getRepository(Supervision)
        .update(
          { id: v.id },
          { status: 'closed', closedBy: actor.id, closedAt: now, closeNote: dto.note ?? null },
        );
      return {
        action: 'close_supervision',
        data: { supervisionId: v.id, level: v.level, departmentId: v.departmentId, note: dto.note ?? null },
      };
    });
    return toSupervisionView(await this.find(this.db.manager, id, actor));
  }
}
