import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/domain-error';
import { decodeCursor, Page, toPage } from '../../common/pagination';
import type { Actor } from '../auth/auth.decorators';
import { AppealReader } from '../appeals/appeal-reader';
import { hidesFiler, seesInternalNotes } from '../appeals/disclosure';
import { Appeal } from '../appeals/entities/appeal.entity';
import { DepartmentsService } from '../departments/departments.service';
import { WhistleCommitment } from './entities/whistle-commitment.entity';
import { WhistleDepartment } from './entities/whistle-department.entity';
import { Whistle } from './entities/whistle.entity';
import { toWhistleView, whistleDepartmentIds, WhistleParts, WhistleView } from './whistle.view';
import { WhistleQuery } from './whistles.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A whistle in a list: its appeal beside it, the filer only where the viewer may see it (SPEC §2). */
export type WhistleListItem = WhistleView & {
  appeal: { id: string; number: string; title: string; status: string; enterpriseName: string | null };
};

/**
 * Reading whistles (SPEC §12): one by id for whoever may see its appeal (404 otherwise, SPEC §1), and
 * the ledger `GET /whistles` — the centre and supervisors see all, a handler the whistles summoning its
 * department (on appeals it may still see).
 */
@Injectable()
export class WhistlesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly reader: AppealReader,
    private readonly departments: DepartmentsService,
  ) {}

  async get(id: string, actor: Actor): Promise<WhistleView> {
    const m = this.db.manager;
    const w = await m.getRepository(Whistle).findOne({ where: { id } });
    if (!w) throw DomainError.notFound('whistle');
    try {
      await this.reader.getVisible(m, w.appealId, actor);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'NOT_FOUND') throw DomainError.notFound('whistle');
      throw err;
    }
    const [parts] = await this.parts(m, [w]);
    const names = await this.departments.names(whistleDepartmentIds(parts), m);
    return toWhistleView(parts, names, this.clock.now(), seesInternalNotes(actor));
  }

  async list(q: WhistleQuery, actor: Actor): Promise<Page<WhistleListItem>> {
    let departmentId = q.departmentId;
    if (actor.role === 'handler') {
      if (departmentId && departmentId !== actor.departmentId)
        throw DomainError.forbidden('a handler sees the whistles summoning its own department only');
      departmentId = actor.departmentId ?? undefined;
      if (!departmentId) return { items: [], nextCursor: null };
    }
    const limit = q.limit ?? 20;
    const qb = this.db
      .getRepository(Whistle)
      .createQueryBuilder('w')
      .orderBy('w.created_at', 'DESC')
      .addOrderBy('w.id', 'DESC')
      .take(limit + 1);
    if (departmentId)
      qb.andWhere(
        `EXISTS (SELECT 1 FROM whistle_departments d WHERE d.whistle_id = w.id AND d.department_id = :dep)`,
        { dep: departmentId },
      );
    if (actor.role === 'handler')
      qb.andWhere(
        `EXISTS (SELECT 1 FROM appeals a WHERE a.id = w.appeal_id AND ${AppealReader.handlerScopeSql('a', ':dep')})`,
        { dep: departmentId },
      );
    if (q.status) qb.andWhere('w.status = :status', { status: q.status });
    const after = decodeCursor(q.cursor, ['t', 'id']);
    if (after) {
      if (Number.isNaN(Date.parse(after.t)) || !UUID.test(after.id))
        throw DomainError.validation('cursor is not valid', [
          { field: 'cursor', message: 'malformed cursor' },
        ]);
      qb.andWhere('(w.created_at, w.id) < (:t, :id)', { t: new Date(after.t), id: after.id });
    }
    const page = toPage(await qb.getMany(), limit, (w) => ({ t: w.createdAt.toISOString(), id: w.id }));
    const m = this.db.manager;
    const parts = await this.parts(m, page.items);
    const names = await this.departments.names(parts.flatMap(whistleDepartmentIds), m);
    const appeals =
      page.items.length === 0
        ? []
        : await m.getRepository(Appeal).find({
            where: { id: In([...new Set(page.items.map((w) => w.appealId))]) },
            select: {
              id: true,
              number: true,
              title: true,
              status: true,
              confidential: true,
              enterpriseId: true,
            },
          });
    const enterprises: { id: string; name: string }[] =
      appeals.length === 0
        ? []
        : await m.query(`SELECT id, name FROM enterprises WHERE id = ANY($1::uuid[])`, [
            [...new Set(appeals.map((a) => a.enterpriseId))],
          ]);
    const now = this.clock.now();
    return {
      items: parts.map((p) => {
        const a = appeals.find((x) => x.id === p.whistle.appealId)!;
        return {
          ...toWhistleView(p, names, now),
          appeal: {
            id: a.id,
            number: a.number,
            title: a.title,
            status: a.status,
            enterpriseName: hidesFiler(a, actor)
              ? null
              : (enterprises.find((e) => e.id === a.enterpriseId)?.name ?? null),
          },
        };
      }),
      nextCursor: page.nextCursor,
    };
  }

  /** The summoned departments and commitments of these whistles, two queries for the batch. */
  async parts(m: EntityManager, whistles: Whistle[]): Promise<WhistleParts[]> {
    if (whistles.length === 0) return [];
    const ids = whistles.map((w) => w.id);
    const departments = await m.getRepository(WhistleDepartment).find({ where: { whistleId: In(ids) } });
    const commitments = await m.getRepository(WhistleCommitment).find({ where: { whistleId: In(ids) } });
    return whistles.map((whistle) => ({
      whistle,
      departments: departments.filter((d) => d.whistleId === whistle.id),
      commitments: commitments.filter((c) => c.whistleId === whistle.id),
    }));
  }
}
