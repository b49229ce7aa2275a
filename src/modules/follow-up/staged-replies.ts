import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import type { Actor } from '../auth/auth.decorators';
import { AppealReader } from '../appeals/appeal-reader';
import { AppealWriter, Change } from '../appeals/appeal-writer';
import { AttachmentRefs } from '../appeals/attachment-refs';
import { Assignments } from '../assignments/assignments';
import { Department } from '../departments/department.entity';
import { StagedReply } from './entities/staged-reply.entity';
import { stagedReplyNotice } from './follow-up-notices';
import { StagedReplyDto } from './follow-up.dto';
import { stagedReplyView, StagedReplyView } from './follow-up.view';

/**
 * 阶段性答复 (SPEC §9.2): the lead department tells the enterprise where its case stands while it is in
 * progress. The reply clock does not stop. The first staged reply (or the reply, if it comes first)
 * answers the lead's staged-reply deadline, recorded once with its on-time verdict.
 */
@Injectable()
export class StagedReplies {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly writer: AppealWriter,
    private readonly reader: AppealReader,
    private readonly assignments: Assignments,
    private readonly attachments: AttachmentRefs,
  ) {}

  async post(id: string, dto: StagedReplyDto, actor: Actor): Promise<StagedReplyView> {
    const { returns } = await this.writer.actFor(id, actor, dto.expectedVersion, async (step) => {
      const { m, appeal, now } = step;
      const own = await this.assignments.held(step, 'staged_reply', {
        role: 'lead',
        acknowledged: true,
        forbidden: 'only the lead department gives staged replies',
      });
      const next = dto.nextFeedbackAt === undefined ? null : new Date(dto.nextFeedbackAt);
      if (next !== null && next.getTime() <= now.getTime())
        throw DomainError.validation('the next feedback must be after now', [
          { field: 'nextFeedbackAt', message: 'must be after now' },
        ]);
      const files = await this.attachments.claim(m, appeal.id, dto.attachmentIds, 'reply');
      const row = m.getRepository(StagedReply).create({
        id: randomUUID(),
        appealId: appeal.id,
        assignmentId: own.id,
        departmentId: own.departmentId,
        content: dto.content,
        nextFeedbackAt: next,
        createdBy: actor.id,
        createdAt: now,
      });
      await m.getRepository(StagedReply).insert(row);
      // the staged-reply deadline is answered once: by the first staged reply or the reply
      const onTime = own.stagedDueAt === null ? null : now.getTime() <= own.stagedDueAt.getTime();
      if (own.stagedDueAt !== null && own.stagedRepliedAt === null)
        await this.assignments.update(m, own.id, { stagedRepliedAt: now, stagedOnTime: onTime });
      const department = await m.getRepository(Department).findOne({
        where: { id: In([own.departmentId]) },
        select: { id: true, name: true },
      });
      const change: Change<StagedReplyView> & { returns: StagedReplyView } = {
        action: 'staged_reply',
        data: {
          stagedReplyId: row.id,
          assignmentId: own.id,
          departmentId: own.departmentId,
          content: dto.content,
          nextFeedbackAt: next?.toISOString() ?? null,
          ...(own.stagedDueAt !== null && own.stagedRepliedAt === null ? { onTime } : {}),
          ...(files.length ? { attachments: files } : {}),
        },
        notify: [stagedReplyNotice(appeal, dto.content, next)],
        returns: stagedReplyView(row, actor, department?.name ?? null),
      };
      return change;
    });
    return returns;
  }

  /** The staged replies of an appeal, oldest first (the appeal view carries them too). */
  async list(id: string, actor: Actor): Promise<{ items: StagedReplyView[] }> {
    const m = this.db.manager;
    await this.reader.getVisible(m, id, actor);
    const rows = await m
      .getRepository(StagedReply)
      .find({ where: { appealId: id }, order: { createdAt: 'ASC', id: 'ASC' } });
    const ids = [...new Set(rows.map((r) => r.departmentId))];
    const names = new Map(
      (ids.length === 0
        ? []
        : await m.getRepository(Department).find({ where: { id: In(ids) }, select: { id: true, name: true } })
      ).map((d) => [d.id, d.name]),
    );
    return { items: rows.map((r) => stagedReplyView(r, actor, names.get(r.departmentId) ?? null)) };
  }
}
