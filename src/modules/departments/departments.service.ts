import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import { decodeCursor, Page, toPage } from '../../common/pagination';
import { TransactionMemo } from '../../infra/database/transaction-memo';
import { Department } from './department.entity';
import { CreateDepartmentDto, ListDepartmentsQuery } from './departments.dto';

@Injectable()
export class DepartmentsService {
  private readonly memo = new TransactionMemo();

  constructor(@InjectRepository(Department) private readonly departments: Repository<Department>) {}

  async create(dto: CreateDepartmentDto): Promise<Department> {
    if (dto.parentId) await this.get(dto.parentId, 'parentId');
    if (await this.departments.existsBy({ code: dto.code })) {
      throw DomainError.conflict(`department code ${dto.code} is taken`, { field: 'code' });
    }
    // the unique index still decides under a race; the filter turns 23505 into 409 CONFLICT
    return this.departments.save(
      this.departments.create({
        code: dto.code,
        name: dto.name,
        kind: dto.kind ?? 'department',
        parentId: dto.parentId ?? null,
      }),
    );
  }

  async get(id: string, field = 'id'): Promise<Department> {
    const found = await this.departments.findOneBy({ id });
    if (!found) {
      if (field === 'id') throw DomainError.notFound('department');
      throw DomainError.validation(`${field} does not name a department`, [
        { field, message: 'no such department' },
      ]);
    }
    return found;
  }

  /** All of ids must exist; answers 400 naming the field otherwise. */
  /** Inside a transaction pass its manager: a second pooled connection per transaction can starve the pool. */
  async requireAll(ids: string[], field: string, m?: EntityManager): Promise<Department[]> {
    if (ids.length === 0) return [];
    const repo = m ? m.getRepository(Department) : this.departments;
    const load = () => repo.createQueryBuilder('d').where('d.id IN (:...ids)', { ids }).getMany();
    const found = m ? await this.memo.get(m, `departments:${[...ids].sort().join(',')}`, load) : await load();
    const missing = ids.filter((id) => !found.some((d) => d.id === id));
    if (missing.length > 0) {
      throw DomainError.validation(
        `${field} names unknown departments`,
        missing.map((id) => ({ field, message: `no department ${id}` })),
      );
    }
    return ids.map((id) => found.find((d) => d.id === id)!);
  }

  async list(query: ListDepartmentsQuery): Promise<Page<Department>> {
    const limit = query.limit ?? 20;
    const after = decodeCursor(query.cursor, ['code']);
    const qb = this.departments
      .createQueryBuilder('d')
      .orderBy('d.code', 'ASC')
      .take(limit + 1);
    if (query.kind) qb.andWhere('d.kind = :kind', { kind: query.kind });
    if (after) qb.andWhere('d.code > :code', { code: after.code });
    return toPage(await qb.getMany(), limit, (d) => ({ code: d.code }));
  }
}
