import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeCursor, PageQuery, toPage } from '../../common/pagination';
import { Actor, CurrentActor, Roles } from '../auth/auth.decorators';
import { Notification } from './notification.entity';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The caller's own: its enterprise's, or its department's. Newest first. */
  @Get()
  @Roles('enterprise', 'handler')
  async list(@Query() q: PageQuery, @CurrentActor() actor: Actor) {
    const limit = q.limit ?? 20;
    const recipient =
      actor.role === 'enterprise'
        ? { type: 'enterprise', id: actor.enterpriseId }
        : { type: 'department', id: actor.departmentId };
    const qb = this.db
      .getRepository(Notification)
      .createQueryBuilder('n')
      .where('n.recipient_type = :type AND n.recipient_id = :id', recipient)
      .orderBy('n.created_at', 'DESC')
      .addOrderBy('n.id', 'DESC')
      .take(limit + 1);
    const after = decodeCursor(q.cursor, ['t', 'id']);
    if (after) qb.andWhere('(n.created_at, n.id) < (:t, :nid)', { t: new Date(after.t), nid: after.id });
    return toPage(await qb.getMany(), limit, (n) => ({ t: n.createdAt.toISOString(), id: n.id }));
  }
}
