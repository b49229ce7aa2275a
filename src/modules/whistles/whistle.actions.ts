import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import { instantInText } from '../../common/local-time';
import type { Actor } from '../auth/auth.decorators';
import { AttachmentRefs } from '../appeals/attachment-refs';
import { AppealWriter, Change, EventDraft, Step } from '../appeals/appeal-writer';
import { AssignmentActions } from '../assignments/assignment.actions';
import { DepartmentsService } from '../departments/departments.service';
import { SlaService } from '../sla/sla.service';
import { WhistleCommitment } from './entities/whistle-commitment.entity';
import { WhistleDepartment } from './entities/whistle-department.entity';
import { Whistle } from './entities/whistle.entity';
import { commitmentNotice, enterpriseWhistleNotice, summonNotice } from './whistle-notices';
import {
  checkInOpen,
  closeProblem,
  commitmentDueProblem,
  doneOnTime,
  meetingAtProblem,
  minutesOpen,
  WhistleAction,
  whistleStep,
} from './whistle-states';
import {
  ApproveWhistleDto,
  CheckInDto,
  CloseWhistleDto,
  CompleteCommitmentDto,
  MinutesDto,
  RequestWhistleDto,
  WhistleReasonDto,
} from './whistles.dto';
import { WhistlesService } from './whistles.service';

/**
 * The whistle's steps (SPEC §12): request, review (approve with a re-dispatch, deny), cancel, check-in,
 * minutes, a commitment completed, close (销号). Each is a change of the appeal through the writer — an
 * event on its hash chain in the same transaction as the whistle's rows — checked against the appeal's
 * transition table (roles, the appeal's status) and the whistle's own (whistle-states.ts).
 */
@Injectable()
export class WhistleActions {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly writer: AppealWriter,
    private readonly dispatch: AssignmentActions,
    private readonly departments: DepartmentsService,
    private readonly sla: SlaService,
    private readonly whistles: WhistlesService,
    private readonly attachments: AttachmentRefs,
  ) {}

  /** 吹哨: one active whistle per appeal (409 CONFLICT otherwise); the review is due within whistleReviewWithin. */
  async request(appealId: string, dto: RequestWhistleDto, actor: Actor) {
    const { returns } = await this.writer.change<string>(
      appealId,
      actor,
      dto.expectedVersion,
      async (step) => {
        const { m, appeal, now, allow } = step;
        allow('request_whistle');
        const active = await m
          .getRepository(Whistle)
          .findOne({ where: { appealId, status: In(['requested', 'approved', 'held']) } });
        if (active)
          throw new DomainError('CONFLICT', 'this appeal already has an active whistle', {
            whistleId: active.id,
            status: active.status,
          });
        const named = dto.departmentIds ?? [];
        await this.departments.requireAll(named, 'departmentIds', m);
        const review = await this.sla.whistleWindow(m, appeal, 'whistleReviewWithin', now);
        const row = m.getRepository(Whistle).create({
          appealId,
          status: 'requested',
          reason: dto.reason,
          requestedDepartmentIds: named,
          requestedBy: actor.id,
          requestedRole: actor.role,
          createdAt: now,
          reviewDueAt: review.dueAt,
          reviewWarnAt: review.warnAt,
        });
        await m.getRepository(Whistle).insert(row);
        return {
          action: 'request_whistle',
          returns: row.id,
          data: { whistleId: row.id, reason: dto.reason, departmentIds: named, reviewDueAt: review.dueAt },
        };
      },
    );
    return this.whistles.get(returns!, actor);
  }

  /**
   * Approval re-dispatches the appeal (SPEC §2 dispatch, through the assignments room) to the convener as
   * lead and the summoned departments as co, in the same transaction as the whistle's rows: each summoned
   * department (the convener too) owes a check-in before the meeting, which lies within
   * whistleMeetingWithin of now.
   */
  approve(wid: string, dto: ApproveWhistleDto, actor: Actor) {
    return this.onWhistle(wid, actor, dto.expectedVersion, 'approve', async (step, w) => {
      const { m, appeal, now } = step;
      if (dto.departmentIds.includes(dto.leadDepartmentId))
        throw DomainError.validation('the convener cannot also be summoned as a co department', [
          { field: 'departmentIds', message: 'must not contain the lead' },
        ]);
      const meetingAt = new Date(dto.meetingAt);
      const meeting = await this.sla.whistleWindow(m, appeal, 'whistleMeetingWithin', now);
      const problem = meetingAtProblem(meetingAt, now, meeting.dueAt);
      if (problem) throw DomainError.validation(problem, [{ field: 'meetingAt', message: problem }]);
      const dispatched = await this.dispatch.dispatchChange(
        step,
        {
          leadDepartmentId: dto.leadDepartmentId,
          coDepartmentIds: dto.departmentIds,
          note: null,
          extra: { whistleId: w.id },
        },
        'approve_whistle',
      );
      const checkInWarnAt = await this.sla.warnBetween(m, appeal, now, meetingAt);
      const summoned = [
        { departmentId: dto.leadDepartmentId, role: 'lead' as const },
        ...dto.departmentIds.map((departmentId) => ({ departmentId, role: 'co' as const })),
      ];
      await m.getRepository(WhistleDepartment).insert(
        summoned.map((s) => ({
          whistleId: w.id,
          appealId: appeal.id,
          departmentId: s.departmentId,
          role: s.role,
          summonedAt: now,
          checkInDueAt: meetingAt,
          checkInWarnAt,
        })),
      );
      await m.getRepository(Whistle).update(
        { id: w.id },
        {
          status: 'approved',
          reviewedBy: actor.id,
          reviewedAt: now,
          reviewedOnTime: doneOnTime(w.reviewDueAt, now),
          leadDepartmentId: dto.leadDepartmentId,
          meetingAt,
          location: dto.location,
          meetingDueAt: meeting.dueAt,
          meetingWarnAt: meeting.warnAt,
        },
      );
      const dispatchedEvent: EventDraft = {
        action: 'appeal.dispatched',
        fromStatus: appeal.status,
        toStatus: 'dispatched',
        data: dispatched.data,
      };
      return {
        action: 'approve_whistle',
        patch: dispatched.patch,
        data: {
          whistleId: w.id,
          leadDepartmentId: dto.leadDepartmentId,
          departmentIds: dto.departmentIds,
          meetingAt,
          location: dto.location,
          meetingDueAt: meeting.dueAt,
          onTime: doneOnTime(w.reviewDueAt, now),
        },
        after: [dispatchedEvent],
        notify: [
          ...(dispatched.notify ?? []),
          ...summoned.map((s) => summonNotice(appeal, s.departmentId, s.role, meetingAt, dto.location)),
          enterpriseWhistleNotice(
            appeal,
            `吹哨已受理 ${appeal.number}`,
            `您的吹哨已受理，联合现场办公定于 ${instantInText(meetingAt)}，地点：${dto.location}。`,
          ),
        ],
      };
    });
  }

  deny(wid: string, dto: WhistleReasonDto, actor: Actor) {
    return this.onWhistle(wid, actor, dto.expectedVersion, 'deny', async ({ m, appeal, now }, w) => {
      await m.getRepository(Whistle).update(
        { id: w.id },
        {
          status: 'denied',
          reviewedBy: actor.id,
          reviewedAt: now,
          reviewedOnTime: doneOnTime(w.reviewDueAt, now),
          decisionReason: dto.reason,
          endedAt: now,
        },
      );
      return {
        action: 'deny_whistle',
        data: { whistleId: w.id, reason: dto.reason, onTime: doneOnTime(w.reviewDueAt, now) },
        notify: [enterpriseWhistleNotice(appeal, `吹哨未获同意 ${appeal.number}`, dto.reason)],
      };
    });
  }

  /** An approved whistle called off before its meeting: its check-ins and meeting deadlines stop. */
  cancel(wid: string, dto: WhistleReasonDto, actor: Actor) {
    return this.onWhistle(wid, actor, dto.expectedVersion, 'cancel', async ({ m, appeal, now }, w) => {
      await m
        .getRepository(Whistle)
        .update({ id: w.id }, { status: 'cancelled', decisionReason: dto.reason, endedAt: now });
      return {
        action: 'cancel_whistle',
        data: { whistleId: w.id, reason: dto.reason },
        notify: [enterpriseWhistleNotice(appeal, `吹哨会议已取消 ${appeal.number}`, dto.reason)],
      };
    });
  }

  /** 报到 by a handler of a summoned department, before the meeting. */
  checkIn(wid: string, dto: CheckInDto, actor: Actor) {
    return this.onWhistle(wid, actor, dto.expectedVersion, 'check_in', async ({ m, now }, w) => {
      const mine = await this.summons(m, w, actor);
      if (mine.checkedInAt)
        throw new DomainError('CONFLICT', 'your department has already checked in', {
          checkedInAt: mine.checkedInAt,
        });
      if (!checkInOpen(w.meetingAt!, now))
        throw new DomainError('INVALID_TRANSITION', 'the meeting has begun; check-in is closed', {
          meetingAt: w.meetingAt,
        });
      await m
        .getRepository(WhistleDepartment)
        .update({ id: mine.id }, { checkedInAt: now, checkedInBy: actor.id, attendeeName: dto.attendeeName });
      return {
        action: 'check_in_whistle',
        data: {
          whistleId: w.id,
          departmentId: mine.departmentId,
          role: mine.role,
          attendeeName: dto.attendeeName,
        },
      };
    });
  }

  /** 纪要 by the convener once the meeting has begun: the whistle is held; commitments are dated. */
  minutes(wid: string, dto: MinutesDto, actor: Actor) {
    return this.onWhistle(
      wid,
      actor,
      dto.expectedVersion,
      'record_minutes',
      async ({ m, appeal, now }, w) => {
        if (actor.departmentId !== w.leadDepartmentId)
          throw DomainError.forbidden('only the convening (lead) department records the minutes');
        if (!minutesOpen(w.meetingAt!, now))
          throw new DomainError('INVALID_TRANSITION', 'the meeting has not begun yet', {
            meetingAt: w.meetingAt,
          });
        const summoned = new Set(
          (await m.getRepository(WhistleDepartment).find({ where: { whistleId: w.id } })).map(
            (d) => d.departmentId,
          ),
        );
        const details: { field: string; message: string }[] = [];
        dto.commitments.forEach((c, i) => {
          if (!summoned.has(c.departmentId))
            details.push({
              field: `commitments.${i}.departmentId`,
              message: 'not a department of this whistle',
            });
          const problem = commitmentDueProblem(new Date(c.dueAt), w.meetingAt!, now);
          if (problem) details.push({ field: `commitments.${i}.dueAt`, message: problem });
        });
        if (details.length > 0) throw DomainError.validation('the commitments are not valid', details);
        const files = await this.attachments.claim(m, appeal.id, dto.attachmentIds, 'minutes');
        const rows = dto.commitments.map((c) =>
          m.getRepository(WhistleCommitment).create({
            whistleId: w.id,
            appealId: appeal.id,
            departmentId: c.departmentId,
            content: c.content,
            dueAt: new Date(c.dueAt),
            createdAt: now,
          }),
        );
        if (rows.length > 0) await m.getRepository(WhistleCommitment).insert(rows);
        const onTime = doneOnTime(w.meetingDueAt!, now);
        await m.getRepository(Whistle).update(
          { id: w.id },
          {
            status: 'held',
            heldAt: now,
            heldOnTime: onTime,
            minutesSummary: dto.summary,
            resolvedOnSite: dto.resolvedOnSite,
            minutesBy: actor.id,
          },
        );
        return {
          action: 'record_whistle_minutes',
          data: {
            whistleId: w.id,
            summary: dto.summary,
            resolvedOnSite: dto.resolvedOnSite,
            onTime,
            commitments: rows.map((r) => ({
              id: r.id,
              departmentId: r.departmentId,
              content: r.content,
              dueAt: r.dueAt,
            })),
            ...(files.length ? { attachments: files } : {}),
          },
          notify: rows.map((r) => commitmentNotice(appeal, r.departmentId, r.content, r.dueAt)),
        };
      },
    );
  }

  /** The committed department reports its commitment done; on time when by its due. */
  complete(wid: string, cid: string, dto: CompleteCommitmentDto, actor: Actor) {
    return this.onWhistle(wid, actor, dto.expectedVersion, 'complete_commitment', async ({ m, now }, w) => {
      const c = await m
        .getRepository(WhistleCommitment)
        .findOne({ where: { id: cid, whistleId: w.id }, lock: { mode: 'pessimistic_write' } });
      if (!c) throw DomainError.notFound('commitment');
      if (c.departmentId !== actor.departmentId)
        throw DomainError.forbidden('only the committed department completes its commitment');
      if (c.completedAt)
        throw new DomainError('CONFLICT', 'this commitment is already complete', {
          completedAt: c.completedAt,
        });
      const onTime = doneOnTime(c.dueAt, now);
      await m
        .getRepository(WhistleCommitment)
        .update(
          { id: c.id },
          { completedAt: now, completedBy: actor.id, completion: dto.content, completedOnTime: onTime },
        );
      return {
        action: 'complete_whistle_commitment',
        data: {
          whistleId: w.id,
          commitmentId: c.id,
          departmentId: c.departmentId,
          content: dto.content,
          onTime,
        },
      };
    });
  }

  /** 销号 by a supervisor, only when every commitment is complete. */
  close(wid: string, dto: CloseWhistleDto, actor: Actor) {
    return this.onWhistle(wid, actor, dto.expectedVersion, 'close', async ({ m, appeal, now }, w) => {
      const commitments = await m.getRepository(WhistleCommitment).find({ where: { whistleId: w.id } });
      const problem = closeProblem(commitments);
      if (problem)
        throw new DomainError(
          'INVALID_TRANSITION',
          'every commitment must be complete before the whistle is closed',
          {
            openCommitments: commitments.filter((c) => !c.completedAt).length,
          },
        );
      await m
        .getRepository(Whistle)
        .update(
          { id: w.id },
          { status: 'closed', closedBy: actor.id, closedAt: now, closeNote: dto.note ?? null, endedAt: now },
        );
      return {
        action: 'close_whistle',
        data: { whistleId: w.id, note: dto.note ?? null, commitments: commitments.length },
        notify: [
          enterpriseWhistleNotice(appeal, `吹哨事项已销号 ${appeal.number}`, '联合会议商定的事项均已办结。'),
        ],
      };
    });
  }

  /**
   * A step on an existing whistle: the appeal locked by the writer (scope → 404, the appeal's transition
   * table → 403 / 409), then the whistle row locked and checked against its own table (409). Answers the
   * whistle as the caller now sees it.
   */
  private async onWhistle(
    wid: string,
    actor: Actor,
    expectedVersion: number | undefined,
    action: WhistleAction,
    work: (step: Step, w: Whistle) => Promise<Change>,
  ) {
    const found = await this.db
      .getRepository(Whistle)
      .findOne({ where: { id: wid }, select: { id: true, appealId: true } });
    if (!found) throw DomainError.notFound('whistle');
    await this.writer.change(found.appealId, actor, expectedVersion, async (step) => {
      step.allow(APPEAL_ACTION[action]);
      const w = await step.m
        .getRepository(Whistle)
        .findOneOrFail({ where: { id: wid }, lock: { mode: 'pessimistic_write' } });
      const next = whistleStep(w.status, action);
      if (!next.ok) throw new DomainError('INVALID_TRANSITION', next.message, { whistleStatus: w.status });
      return work(step, w);
    });
    return this.whistles.get(wid, actor);
  }

  /** The caller's department's summons on this whistle, or 403. */
  private async summons(m: EntityManager, w: Whistle, actor: Actor): Promise<WhistleDepartment> {
    const mine = actor.departmentId
      ? await m.getRepository(WhistleDepartment).findOne({
          where: { whistleId: w.id, departmentId: actor.departmentId },
          lock: { mode: 'pessimistic_write' },
        })
      : null;
    if (!mine) throw DomainError.forbidden('your department is not summoned by this whistle');
    return mine;
  }
}

/** The appeal transition table's action for each whistle step. */
const APPEAL_ACTION = {
  approve: 'approve_whistle',
  deny: 'deny_whistle',
  cancel: 'cancel_whistle',
  check_in: 'check_in_whistle',
  record_minutes: 'record_whistle_minutes',
  complete_commitment: 'complete_whistle_commitment',
  close: 'close_whistle',
} as const satisfies Record<WhistleAction, string>;
