import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/domain-error';
import { decodeCursor, Page, toPage } from '../../common/pagination';
import type { Actor } from '../auth/auth.decorators';
import { Plan } from './entities/plan.entity';
import { PlanActions } from './plan.actions';
import { PlanView, toPlanView } from './plan.view';
import { PlanConfirmDto, PlanFulfilDto, PlanQuery, PlanUpdateDto } from './plans.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The ledger of planned resolutions (计划解决台账, SPEC §9.3): the centre and supervisors see every plan, a
 * handler its department's, an enterprise those of its own appeals; newest first.
 */
@Injectable()
export class PlansService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly actions: PlanActions,
  ) {}

  async list(q: PlanQuery, actor: Actor): Promise<Page<PlanView>> {
    let departmentId = q.departmentId;
    if (actor.role === 'handler') {
      if (departmentId && departmentId !== actor.departmentId)
        throw DomainError.forbidden('a handler sees its own department’s plans only');
      departmentId = actor.departmentId ?? undefined;
      if (!departmentId) return { items: [], nextCursor: null };
    }
    const now = this.clock.now();
    const limit = q.limit ?? 20;
    const qb = this.query(this.db.manager)
      .orderBy('p.created_at', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .take(limit + 1);
    if (departmentId) qb.andWhere('p.department_id = :dep', { dep: departmentId });
    if (actor.role === 'enterprise') qb.andWhere('a.enterprise_id = :ent', { ent: actor.enterpriseId });
    if (q.status) qb.andWhere('p.status = :status', { status: q.status });
    if (q.overdue !== undefined)
      qb.andWhere(`${q.overdue ? '' : 'NOT '}(p.status = 'open' AND p.promised_by <= :now)`, { now });
    const after = decodeCursor(q.cursor, ['t', 'id']);
    if (after) {
      if (Number.isNaN(Date.parse(after.t)) || !UUID.test(after.id))
        throw DomainError.validation('cursor is not valid', [
          { field: 'cursor', message: 'malformed cursor' },
        ]);
      qb.andWhere('(p.created_at, p.id) < (:t, :id)', { t: new Date(after.t), id: after.id });
    }
    const page = toPage(await qb.getMany(), limit, (p) => ({ t: p.createdAt.toISOString(), id: p.id }));
    return { items: page.items.map((p) => this.view(p, actor, now)), nextCursor: page.nextCursor };
  }

  /** 进展反馈, then the plan as the caller now sees it. */
  async update(id: string, dto: PlanUpdateDto, actor: Actor): Promise<PlanView> {
    await this.actions.update(id, dto, actor);
    return this.get(id, actor);
  }

  async fulfil(id: string, dto: PlanFulfilDto, actor: Actor): Promise<PlanView> {
    await this.actions.fulfil(id, dto, actor);
    return this.get(id, actor);
  }

  async confirm(id: string, dto: PlanConfirmDto, actor: Actor): Promise<PlanView> {
    await this.actions.confirm(id, dto, actor);
    return this.get(id, actor);
  }

  /** One plan as the caller sees it (404 outside its scope). */
  async get(id: string, actor: Actor): Promise<PlanView> {
    await this.actions.find(this.db.manager, id, actor);
    const plan = await this.query(this.db.manager).where('p.id = :id', { id }).getOneOrFail();
    return this.view(plan, actor, this.clock.now());
  }

  private query(m: EntityManager) {
    return m
      .getRepository(Plan)
      .createQueryBuilder('p')
      .leftJoin('p.appeal', 'a')
      .addSelect(['a.id', 'a.number', 'a.title', 'a.enterpriseId'])
      .leftJoin('p.department', 'd')
      .addSelect(['d.id', 'd.name']);
  }

  private view(p: Plan, actor: Actor, now: Date): PlanView {
    return toPlanView(p, actor, now, {
      departmentName: p.department?.name ?? null,
      appealNumber: p.appeal?.number ?? null,
      appealTitle: p.appeal?.title ?? null,
    });
  }
}
