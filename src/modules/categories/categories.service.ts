import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import { decodeCursor, Page, toPage } from '../../common/pagination';
import { DepartmentsService } from '../departments/departments.service';
import { CreateCategoryDto, ListCategoriesQuery } from './categories.dto';
import { Category } from './category.entity';

@Injectable()
export class CategoriesService {
  constructor(
    @InjectRepository(Category) private readonly categories: Repository<Category>,
    private readonly departments: DepartmentsService,
  ) {}

  async create(dto: CreateCategoryDto): Promise<Category> {
    if (dto.parentCode && !(await this.categories.existsBy({ code: dto.parentCode }))) {
      throw DomainError.validation('parentCode does not name a category', [
        { field: 'parentCode', message: 'no such category' },
      ]);
    }
    if (dto.defaultDepartmentId) await this.departments.get(dto.defaultDepartmentId, 'defaultDepartmentId');
    if (await this.categories.existsBy({ code: dto.code })) {
      throw DomainError.conflict(`category code ${dto.code} is taken`, { field: 'code' });
    }
    return this.categories.save(
      this.categories.create({
        code: dto.code,
        name: dto.name,
        parentCode: dto.parentCode ?? null,
        defaultDepartmentId: dto.defaultDepartmentId ?? null,
      }),
    );
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

  async list(query: ListCategoriesQuery): Promise<Page<Category>> {
    const limit = query.limit ?? 20;
    const after = decodeCursor(query.cursor, ['code']);
    const qb = this.categories
      .createQueryBuilder('c')
      .orderBy('c.code', 'ASC')
      .take(limit + 1);
    if (query.parentCode) qb.andWhere('c.parent_code = :p', { p: query.parentCode });
    if (after) qb.andWhere('c.code > :code', { code: after.code });
    return toPage(await qb.getMany(), limit, (c) => ({ code: c.code }));
  }
}
