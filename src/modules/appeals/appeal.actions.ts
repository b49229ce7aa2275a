import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/domain-error';
import type { Actor } from '../auth/auth.decorators';
import { leaderAction, TERMINAL_STATUSES } from '../workflow/appeal-state-machine';
import { AssignmentRelease } from './assignment-release';
import { AttachmentRefs } from './attachment-refs';
import { AppealWriter, Change, Step } from './appeal-writer';
import { LeaderDto, MergeDto, ReasonDto, ResolveDto, SupplementDto } from './appeals.dto';
import { KnowledgeCitations } from './knowledge-citations';
import { SlaService } from '../sla/sla.service';
import { Supplement } from './entities/supplement.entity';

/**
 * Actions on the appeal itself rather than on a department's assignment: the centre's reject, answer on
 * the spot (即时办结) and merge; the enterprise's withdrawal and supplements; a supervisor naming the
 * case's leader (领导领衔, SPEC §8.2).
 */
@Injectable()
export class AppealActions {
  constructor(
    private readonly writer: AppealWriter,
    private readonly release: AssignmentRelease,
    private readonly sla: SlaService,
    private readonly citations: KnowledgeCitations,
    private readonly attachments: AttachmentRefs,
  ) {}

  reject(id: string, dto: ReasonDto, actor: Actor) {
    return this.writer.act(id, actor, dto.expectedVersion, async () => ({
      action: 'reject',
      patch: { statusReason: dto.reason },
      data: { reason: dto.reason },
    }));
  }

  /**
   * 即时办结: the centre answers on the call; the appeal waits for its return visit like any reply. The
   * knowledge entries the answer rests on (SPEC §10) are checked under the appeal's lock and recorded.
   */
  resolveOnSpot(id: string, dto: ResolveDto, actor: Actor) {
    return this.writer.act(id, actor, dto.expectedVersion, (step) =>
      this.resolveChange(step, dto.content, dto.knowledgeEntryIds ?? []),
    );
  }

  /** The change of an answer on the spot (a call, or a meeting's 现场解决): replied, the survey window open. */
  async resolveChange(
    { m, appeal, now, allow }: Step,
    content: string,
    entryIds: string[] = [],
  ): Promise<Change> {
    allow('resolve_on_spot');
    const cited = entryIds.length > 0 ? await this.citations.check(m, entryIds, now) : [];
    return {
      action: 'resolve_on_spot',
      patch: {
        replyContent: content,
        replyOutcome: 'resolved',
        repliedAt: now,
        resolvedOnSpot: true,
        // only when there are some: a batch's writes that set the same fields share one unnest UPDATE,
        // which cannot carry an array column
        ...(cited.length > 0 ? { knowledgeEntryIds: cited.map((e) => e.id) } : {}),
        surveyDueAt: await this.sla.surveyDueAt(m, appeal, now),
      },
      data: cited.length > 0 ? { content, knowledgeEntries: cited } : { content },
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
        // SPEC §5.1: a merge links the two appeals, so a confidential one never meets a non-confidential one
        if (appeal.confidential !== target.confidential)
          throw new DomainError(
            'CONFLICT',
            'a confidential appeal cannot be merged into or with a non-confidential one (保密诉求不能与非保密诉求合并)',
          );
        await this.release.endOpen(m, appeal.id, now, 'appeal merged');
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

  withdraw(id: string, dto: ReasonDto, actor: Actor) {
    return this.writer.act(id, actor, dto.expectedVersion, async ({ m, appeal, now, allow }) => {
      allow('withdraw');
      await this.release.endOpen(m, appeal.id, now, 'appeal withdrawn');
      return { action: 'withdraw', patch: { statusReason: dto.reason }, data: { reason: dto.reason } };
    });
  }

  supplement(id: string, dto: SupplementDto, actor: Actor) {
    return this.writer.act(id, actor, dto.expectedVersion, async ({ m, appeal, now, allow }) => {
      allow('supplement');
      const files = await this.attachments.claim(m, appeal.id, dto.attachmentIds, 'supplement');
      const row = m
        .getRepository(Supplement)
        .create({ appealId: appeal.id, content: dto.content, createdBy: actor.id, createdAt: now });
      await m.getRepository(Supplement).insert(row);
      return {
        action: 'supplement',
        data: {
          supplementId: row.id,
          content: dto.content,
          ...(files.length ? { attachments: files } : {}),
        },
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
