import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import { decodeCursor, Page, toReferencePage } from '../../common/pagination';
import { DepartmentsService } from '../departments/departments.service';
import { CategoryNode, CategoryView, CreateCategoryDto, ListCategoriesQuery } from './categories.dto';
import { Category } from './category.entity';
import { buildTree } from './category-tree';

@Injectable()
export class CategoriesService {
  constructor(
    @InjectRepository(Category) private readonly categories: Repository<Category>,
    private readonly departments: DepartmentsService,
  ) {}

  async create(dto: CreateCategoryDto): Promise<CategoryView> {
    const parent = dto.parentCode ? await this.categories.findOneBy({ code: dto.parentCode }) : null;
    if (dto.parentCode && !parent) {
      throw DomainError.validation('parentCode does not name a category', [
        { field: 'parentCode', message: 'no such category' },
      ]);
    }
    const department = dto.defaultDepartmentId
      ? await this.departments.get(dto.defaultDepartmentId, 'defaultDepartmentId')
      : null;
    if (await this.categories.existsBy({ code: dto.code })) {
      throw DomainError.conflict(`category code ${dto.code} is taken`, { field: 'code' });
    }
    const saved = await this.categories.save(
      this.categories.create({
        code: dto.code,
        name: dto.name,
        parentCode: dto.parentCode ?? null,
        defaultDepartmentId: dto.defaultDepartmentId ?? null,
      }),
    );
    return toCategoryView(saved, parent?.name ?? null, department?.name ?? null);
  }

  /** The names of these categories by code (names beside codes, SPEC §5.1); an unknown code has none. */
  async names(codes: (string | null)[], m?: EntityManager): Promise<Map<string, string>> {
    const wanted = [...new Set(codes.filter((c): c is string => c !== null))];
    if (wanted.length === 0) return new Map();
    const rows = await (m ?? this.categories.manager).query<{ code: string; name: string }[]>(
      `SELECT code, name FROM categories WHERE code = ANY($1)`,
      [wanted],
    );
    return new Map(rows.map((c) => [c.code, c.name]));
  }

  /** Inside a transaction pass its manager: a second pooled connection per transaction can starve the pool. */
  async getByCode(code: string, field = 'categoryCode', m?: EntityManager): Promise<Category> {
    const found = await (m ? m.getRepository(Category) : this.categories).findOneBy({ code });
    if (!found)
      throw DomainError.validation(`${field} does not name a category`, [
        { field, message: 'no such category' },
      ]);
    return found;
  }

  /**
   * Every category in code order (SPEC §5.1: reference lists are whole), or a page when `limit` asks;
   * `tree=true` answers the whole tree (under `parentCode` when given) in one answer.
   */
  async list(query: ListCategoriesQuery): Promise<Page<CategoryView> | Page<CategoryNode>> {
    if (query.tree) {
      if (query.limit !== undefined || query.cursor !== undefined)
        throw DomainError.validation('the tree comes whole: limit and cursor do not apply to it', [
          { field: query.limit !== undefined ? 'limit' : 'cursor', message: 'not with tree=true' },
        ]);
      const all = await this.views(this.categories.createQueryBuilder('c'));
      return { items: buildTree(all, query.parentCode ?? null) as CategoryNode[], nextCursor: null };
    }
    const after = decodeCursor(query.cursor, ['code']);
    const qb = this.categories.createQueryBuilder('c').orderBy('c.code', 'ASC');
    if (query.parentCode) qb.andWhere('c.parent_code = :p', { p: query.parentCode });
    if (after) qb.andWhere('c.code > :code', { code: after.code });
    if (query.limit !== undefined) qb.limit(query.limit + 1);
    return toReferencePage(await this.views(qb), query.limit, (c) => ({ code: c.code }));
  }

  /** The categories a query selects, with the parent's and the default department's names joined. */
  private async views(qb: SelectQueryBuilder<Category>): Promise<CategoryView[]> {
    // many-to-one joins: rows are not multiplied, so limit() pages them exactly
    const rows = await qb
      .leftJoin('c.parent', 'p')
      .addSelect(['p.id', 'p.name'])
      .leftJoin('c.defaultDepartment', 'dd')
      .addSelect(['dd.id', 'dd.name'])
      .getMany();
    return rows.map((c) => toCategoryView(c, c.parent?.name ?? null, c.defaultDepartment?.name ?? null));
  }
}

export function toCategoryView(
  c: Category,
  parentName: string | null,
  defaultDepartmentName: string | null,
): CategoryView {
  return {
    id: c.id,
    code: c.code,
    name: c.name,
    parentCode: c.parentCode,
    parentName,
    defaultDepartmentId: c.defaultDepartmentId,
    defaultDepartmentName,
    createdAt: c.createdAt,
  };
}
