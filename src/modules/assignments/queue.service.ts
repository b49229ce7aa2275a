import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { decodeCursor, toPage } from '../../common/pagination';
import type { Actor } from '../auth/auth.decorators';
import { currentDueAt, isOverdue } from './assignment.view';
import { QueueQuery } from './assignments.dto';
import { Assignment, OPEN_ASSIGNMENT_SQL } from './entities/assignment.entity';

/** A department's working queue (SPEC §5): what waits on the caller's department. */
@Injectable()
export class QueueService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** GET /queue: the caller's department's open assignments, soonest deadline first (SPEC §5). */
  async list(q: QueueQuery, actor: Actor) {
    const limit = q.limit ?? 20;
    const now = this.clock.now();
    const due = `CASE WHEN s.status = 'dispatched' THEN s.ack_due_at ELSE s.reply_due_at END`;
    const qb = this.db
      .getRepository(Assignment)
      .createQueryBuilder('s')
      .innerJoinAndSelect('s.appeal', 'a')
      .where('s.department_id = :dep', { dep: actor.departmentId })
      .andWhere(`s.status IN ${OPEN_ASSIGNMENT_SQL}`)
      .addSelect(due, 'due_at')
      .orderBy('due_at', 'ASC')
      .addOrderBy('s.id', 'ASC')
      // many-to-one join: no row multiplication, so a plain LIMIT is right (take() would wrap a DISTINCT query)
      .limit(limit + 1);
    if (q.status) qb.andWhere('s.status = :st', { st: q.status });
    if (q.overdue !== undefined)
      qb.andWhere(q.overdue ? `(s.overdue OR ${due} < :now)` : `NOT (s.overdue OR ${due} < :now)`, { now });
    const after = decodeCursor(q.cursor, ['t', 'id']);
    if (after) qb.andWhere(`(${due}, s.id) > (:t, :id)`, { t: new Date(after.t), id: after.id });
    const page = toPage(await qb.getMany(), limit, (s) => ({ t: currentDueAt(s).toISOString(), id: s.id }));
    return {
      items: page.items.map((s) => ({
        assignmentId: s.id,
        appealId: s.appealId,
        number: s.appeal!.number,
        title: s.appeal!.title,
        type: s.appeal!.type,
        categoryCode: s.appeal!.categoryCode,
        urgency: s.appeal!.urgency,
        appealStatus: s.appeal!.status,
        role: s.role,
        status: s.status,
        round: s.round,
        ackDueAt: s.ackDueAt,
        replyDueAt: s.replyDueAt,
        dueAt: currentDueAt(s),
        overdue: isOverdue(s, now),
        warning: s.warning,
        supervised: s.appeal!.supervised,
        leaderLed: s.appeal!.leaderName !== null,
        leaderName: s.appeal!.leaderName,
        reopenCount: s.appeal!.reopenCount,
      })),
      nextCursor: page.nextCursor,
    };
  }
}
