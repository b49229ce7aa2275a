import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import { decodeCursor, Page, toPage } from '../../common/pagination';
import type { Actor } from '../auth/auth.decorators';
import { toUserView, UsersService } from '../users/users.service';
import type { UserView } from '../users/users.dto';
import { Enterprise } from './enterprise.entity';
import { ListEnterprisesQuery, RegisterEnterpriseDto } from './enterprises.dto';

@Injectable()
export class EnterprisesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(Enterprise) private readonly enterprises: Repository<Enterprise>,
    private readonly users: UsersService,
  ) {}

  /** The enterprise and its account are written together or not at all. */
  async register(dto: RegisterEnterpriseDto): Promise<{ enterprise: Enterprise; user: UserView }> {
    return this.db.transaction(async (m) => {
      const repo = m.getRepository(Enterprise);
      if (await repo.existsBy({ uscc: dto.uscc })) {
        throw DomainError.conflict('an enterprise with this uscc is already registered', { field: 'uscc' });
      }
      const enterprise = await repo.save(
        repo.create({
          name: dto.name,
          uscc: dto.uscc,
          district: dto.district ?? null,
          industry: dto.industry ?? null,
          contactName: dto.contactName,
          contactPhone: dto.contactPhone,
        }),
      );
      const user = await this.users.insert(m, {
        username: dto.username,
        password: dto.password,
        role: 'enterprise',
        displayName: dto.name,
        departmentId: null,
        enterpriseId: enterprise.id,
      });
      return { enterprise, user: toUserView(user) };
    });
  }

  /** An enterprise sees only itself; the centre sees all; anyone else gets 404. */
  async get(id: string, actor: Actor): Promise<Enterprise> {
    if (actor.role === 'enterprise' && actor.enterpriseId !== id) throw DomainError.notFound('enterprise');
    const found = await this.enterprises.findOneBy({ id });
    if (!found) throw DomainError.notFound('enterprise');
    return found;
  }

  async list(query: ListEnterprisesQuery): Promise<Page<Enterprise>> {
    const limit = query.limit ?? 20;
    const after = decodeCursor(query.cursor, ['uscc']);
    const qb = this.enterprises
      .createQueryBuilder('e')
      .orderBy('e.uscc', 'ASC')
      .take(limit + 1);
    if (after) qb.andWhere('e.uscc > :u', { u: after.uscc });
    return toPage(await qb.getMany(), limit, (e) => ({ uscc: e.uscc }));
  }
}
