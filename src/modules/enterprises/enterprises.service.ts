import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import { decodeCursor, Page, toPage } from '../../common/pagination';
import type { Actor } from '../auth/auth.decorators';
import { DistrictsService } from '../districts/districts.service';
import { toUserView, UsersService } from '../users/users.service';
import type { UserView } from '../users/users.dto';
import { Enterprise } from './enterprise.entity';
import { enterpriseSearch, PHONE_DIGITS_SQL } from './enterprise-search';
import {
  CreateEnterpriseDto,
  EnterpriseView,
  ListEnterprisesQuery,
  RegisterEnterpriseDto,
} from './enterprises.dto';

@Injectable()
export class EnterprisesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(Enterprise) private readonly enterprises: Repository<Enterprise>,
    private readonly users: UsersService,
    private readonly districts: DistrictsService,
  ) {}

  /** The enterprise and its account are written together or not at all. */
  async register(dto: RegisterEnterpriseDto): Promise<{ enterprise: EnterpriseView; user: UserView }> {
    const district = await this.districts.resolveOptional(dto.district);
    return this.db.transaction(async (m) => {
      const repo = m.getRepository(Enterprise);
      if (await repo.existsBy({ uscc: dto.uscc })) {
        throw DomainError.conflict('an enterprise with this uscc is already registered', { field: 'uscc' });
      }
      const enterprise = await repo.save(repo.create(enterpriseRow(dto, district)));
      const user = await this.users.insert(m, {
        username: dto.username,
        password: dto.password,
        role: 'enterprise',
        displayName: dto.name,
        departmentId: null,
        enterpriseId: enterprise.id,
      });
      return { enterprise: (await this.views([enterprise], m))[0], user: toUserView(user) };
    });
  }

  /**
   * POST /enterprises (SPEC §5.1): a dispatcher registers a caller's enterprise without an account, to
   * file for it. A USCC already registered is 409 naming that enterprise, so the dispatcher files for it.
   */
  async create(dto: CreateEnterpriseDto): Promise<EnterpriseView> {
    const district = await this.districts.resolveOptional(dto.district);
    // ON CONFLICT DO NOTHING: two dispatchers registering one enterprise at once get one row and one 409
    const inserted = await this.enterprises
      .createQueryBuilder()
      .insert()
      .into(Enterprise)
      .values(enterpriseRow(dto, district))
      .orIgnore()
      .returning('*')
      .execute();
    const row = (inserted.raw as Record<string, unknown>[])[0];
    if (!row) {
      const existing = await this.enterprises.findOneBy({ uscc: dto.uscc });
      throw DomainError.conflict(
        existing
          ? `an enterprise with this uscc is already registered: ${existing.name}`
          : 'an enterprise with this uscc is already registered',
        { field: 'uscc', enterpriseId: existing?.id ?? null, enterpriseName: existing?.name ?? null },
      );
    }
    return this.view(row.id as string);
  }

  /** An enterprise sees only itself; the centre sees all; anyone else gets 404. */
  async get(id: string, actor: Actor): Promise<EnterpriseView> {
    if (actor.role === 'enterprise' && actor.enterpriseId !== id) throw DomainError.notFound('enterprise');
    return this.view(id);
  }

  /**
   * The centre's list, in USCC order; with `q` (SPEC §5.1 "finding things") only the enterprises whose
   * name contains it, whose USCC begins with it or whose contact phone begins with its digits. Each
   * reading has its index (trigram on the name, pattern btrees on the USCC and the phone's digits).
   */
  async list(query: ListEnterprisesQuery): Promise<Page<EnterpriseView>> {
    const limit = query.limit ?? 20;
    const after = decodeCursor(query.cursor, ['uscc']);
    const qb = this.enterprises
      .createQueryBuilder('e')
      .orderBy('e.uscc', 'ASC')
      .take(limit + 1);
    if (query.q !== undefined) {
      const s = enterpriseSearch(query.q);
      const any = [`e.name ILIKE :name`];
      if (s.usccPattern) any.push(`e.uscc LIKE :uscc`);
      if (s.phonePattern) any.push(`${PHONE_DIGITS_SQL} LIKE :phone`);
      qb.andWhere(`(${any.join(' OR ')})`, {
        name: s.namePattern,
        uscc: s.usccPattern,
        phone: s.phonePattern,
      });
    }
    if (after) qb.andWhere('e.uscc > :u', { u: after.uscc });
    const page = toPage(await qb.getMany(), limit, (e) => ({ uscc: e.uscc }));
    return { items: await this.views(page.items), nextCursor: page.nextCursor };
  }

  private async view(id: string): Promise<EnterpriseView> {
    const found = await this.enterprises.findOneBy({ id });
    if (!found) throw DomainError.notFound('enterprise');
    return (await this.views([found]))[0];
  }

  private async views(rows: Enterprise[], m?: EntityManager): Promise<EnterpriseView[]> {
    const names = await this.districts.names(
      rows.map((e) => e.district),
      m,
    );
    return rows.map((e) => toEnterpriseView(e, e.district ? (names.get(e.district) ?? null) : null));
  }
}

function enterpriseRow(dto: CreateEnterpriseDto, district: string | null) {
  return {
    name: dto.name,
    uscc: dto.uscc,
    district,
    industry: dto.industry ?? null,
    contactName: dto.contactName,
    contactPhone: dto.contactPhone,
  };
}

export function toEnterpriseView(e: Enterprise, districtName: string | null): EnterpriseView {
  return {
    id: e.id,
    name: e.name,
    uscc: e.uscc,
    district: e.district,
    districtName,
    industry: e.industry,
    contactName: e.contactName,
    contactPhone: e.contactPhone,
    createdAt: e.createdAt,
  };
}
