import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import { decodeCursor, Page, toReferencePage } from '../../common/pagination';
import { TransactionMemo } from '../../infra/database/transaction-memo';
import { Department } from './department.entity';
import { CreateDepartmentDto, DepartmentView, ListDepartmentsQuery } from './departments.dto';

@Injectable()
export class DepartmentsService {
  private readonly memo = new TransactionMemo();

  constructor(@InjectRepository(Department) private readonly departments: Repository<Department>) {}

  async create(dto: CreateDepartmentDto): Promise<DepartmentView> {
    const parent = dto.parentId ? await this.get(dto.parentId, 'parentId') : null;
    if (await this.departments.existsBy({ code: dto.code })) {
      throw DomainError.conflict(`department code ${dto.code} is taken`, { field: 'code' });
    }
    // the unique index still decides under a race; the filter turns 23505 into 409 CONFLICT
    const saved = await this.departments.save(
      this.departments.create({
        code: dto.code,
        name: dto.name,
        kind: dto.kind ?? 'department',
        parentId: dto.parentId ?? null,
      }),
    );
    return toDepartmentView(saved, parent?.name ?? null);
  }

  /** GET /departments/{id}: the department with its parent's name. */
  async view(id: string): Promise<DepartmentView> {
    const [row] = await this.views().andWhere('d.id = :id', { id }).getMany();
    if (!row) throw DomainError.notFound('department');
    return toDepartmentView(row, row.parent?.name ?? null);
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

  /** The names of these departments by id (names beside ids, SPEC §5.1); an unknown id has none. */
  async names(ids: (string | null)[], m?: EntityManager): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
    if (wanted.length === 0) return new Map();
    const rows = await (m ?? this.departments.manager).query<{ id: string; name: string }[]>(
      `SELECT id, name FROM departments WHERE id = ANY($1::uuid[])`,
      [wanted],
    );
    return new Map(rows.map((d) => [d.id, d.name]));
  }

  /** Every department in code order (SPEC §5.1: reference lists are whole), or a page when `limit` asks. */
  async list(query: ListDepartmentsQuery): Promise<Page<DepartmentView>> {
    const after = decodeCursor(query.cursor, ['code']);
    const qb = this.views().orderBy('d.code', 'ASC');
    if (query.kind) qb.andWhere('d.kind = :kind', { kind: query.kind });
    if (after) qb.andWhere('d.code > :code', { code: after.code });
    // limit, not take: the parent join is many-to-one, so rows are not multiplied
    if (query.limit !== undefined) qb.limit(query.limit + 1);
    const rows = (await qb.getMany()).map((d) => toDepartmentView(d, d.parent?.name ?? null));
    return toReferencePage(rows, query.limit, (d) => ({ code: d.code }));
  }

  /** Departments with their parent's id and name joined. */
  private views() {
    return this.departments
      .createQueryBuilder('d')
      .leftJoin('d.parent', 'p')
      .addSelect(['p.id', 'p.name'])
      .where('true');
  }
}

export function toDepartmentView(d: Department, parentName: string | null): DepartmentView {
  return {
    id: d.id,
    code: d.code,
    name: d.name,
    kind: d.kind,
    parentId: d.parentId,
    parentName,
    createdAt: d.createdAt,
  };
}
