import { Injectable } from '@nestjs/common';
import type { Actor } from '../../auth/auth.decorators';
import { NoteDto } from '../appeals.dto';
import { Supervision } from '../entities/side-records.entity';
import { AppealWriter } from './appeal-writer';

/** Supervisors' actions (营商办 / 工商联): 督办 a case. */
@Injectable()
export class SupervisorActions {
  constructor(private readonly writer: AppealWriter) {}

  supervise(id: string, dto: NoteDto, actor: Actor) {
    return this.writer.act(id, actor, dto.expectedVersion, async ({ m, appeal, now, allow }) => {
      allow('supervise');
      const repo = m.getRepository(Supervision);
      const row = repo.create({
        appealId: appeal.id,
        assignmentId: null,
        source: 'manual',
        note: dto.note,
        createdBy: actor.id,
        createdAt: now,
      });
      await repo.insert(row);
      return {
        action: 'supervise',
        patch: { supervised: true },
        data: { supervisionId: row.id, source: 'manual', note: dto.note },
      };
    });
  }
}
