import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import { decodeCursor, Page, toPage } from '../../common/pagination';
import type { Actor } from '../auth/auth.decorators';
import { Supervision } from './entities/supervision.entity';
import { SupervisionQuery } from './supervision.dto';
import { SupervisionView, toSupervisionView } from './supervision.view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The supervision ledger (SPEC §7.3): the centre and supervisors see all of it, a handler its department's. */
@Injectable()
export class SupervisionsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(q: SupervisionQuery, actor: Actor): Promise<Page<SupervisionView>> {
    let departmentId = q.departmentId;
    if (actor.role === 'handler') {
      if (departmentId && departmentId !== actor.departmentId)
        throw DomainError.forbidden('a handler sees its own department’s supervisions only');
      departmentId = actor.departmentId ?? undefined;
      if (!departmentId) return { items: [], nextCursor: null };
    }
    const limit = q.limit ?? 20;
    const qb = this.db
      .getRepository(Supervision)
      .createQueryBuilder('v')
      .orderBy('v.created_at', 'DESC')
      .addOrderBy('v.id', 'DESC')
      .take(limit + 1);
    if (departmentId) qb.andWhere('v.department_id = :dep', { dep: departmentId });
    if (q.status) qb.andWhere('v.status = :status', { status: q.status });
    if (q.level) qb.andWhere('v.level = :level', { level: q.level });
    const after = decodeCursor(q.cursor, ['t', 'id']);
    if (after) {
      if (Number.isNaN(Date.parse(after.t)) || !UUID.test(after.id))
        throw DomainError.validation('cursor is not valid', [
          { field: 'cursor', message: 'malformed cursor' },
        ]);
      qb.andWhere('(v.created_at, v.id) < (:t, :id)', { t: new Date(after.t), id: after.id });
    }
    const page = toPage(await qb.getMany(), limit, (v) => ({ t: v.createdAt.toISOString(), id: v.id }));
    return { items: page.items.map(toSupervisionView), nextCursor: page.nextCursor };
  }
}
