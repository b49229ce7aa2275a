import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import { decodeCursor, Page, toPage } from '../../common/pagination';
import { DepartmentsService } from '../departments/departments.service';
import { PasswordService } from './password.service';
import { User } from './user.entity';
import { CreateUserDto, ListUsersQuery, UserView } from './users.dto';

export function toUserView(u: User): UserView {
  return {
    id: u.id,
    username: u.username,
    role: u.role,
    displayName: u.displayName,
    departmentId: u.departmentId,
    enterpriseId: u.enterpriseId,
    active: u.active,
    createdAt: u.createdAt,
  };
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly departments: DepartmentsService,
    private readonly passwords: PasswordService,
  ) {}

  async create(dto: CreateUserDto): Promise<UserView> {
    if (dto.role === 'handler' && !dto.departmentId) {
      throw DomainError.validation('a handler needs a departmentId', [
        { field: 'departmentId', message: 'required for handlers' },
      ]);
    }
    if (dto.departmentId) await this.departments.get(dto.departmentId, 'departmentId');
    const user = await this.insert(this.users.manager, {
      username: dto.username,
      password: dto.password,
      role: dto.role,
      displayName: dto.displayName ?? null,
      departmentId: dto.departmentId ?? null,
      enterpriseId: null,
    });
    return toUserView(user);
  }

  /** Used by registration too, inside its transaction. */
  async insert(
    manager: EntityManager,
    u: Pick<User, 'username' | 'role' | 'displayName' | 'departmentId' | 'enterpriseId'> & {
      password: string;
    },
  ): Promise<User> {
    const repo = manager.getRepository(User);
    if (await repo.existsBy({ username: u.username })) {
      throw DomainError.conflict(`username ${u.username} is taken`, { field: 'username' });
    }
    const passwordHash = await this.passwords.hash(u.password);
    return repo.save(
      repo.create({
        username: u.username,
        passwordHash,
        role: u.role,
        displayName: u.displayName,
        departmentId: u.departmentId,
        enterpriseId: u.enterpriseId,
      }),
    );
  }

  findByUsername(username: string): Promise<User | null> {
    return this.users.findOneBy({ username });
  }

  async get(id: string): Promise<UserView> {
    const u = await this.users.findOneBy({ id });
    if (!u) throw DomainError.notFound('user');
    return toUserView(u);
  }

  async list(query: ListUsersQuery): Promise<Page<UserView>> {
    const limit = query.limit ?? 20;
    const after = decodeCursor(query.cursor, ['username']);
    const qb = this.users
      .createQueryBuilder('u')
      .orderBy('u.username', 'ASC')
      .take(limit + 1);
    if (query.role) qb.andWhere('u.role = :role', { role: query.role });
    if (query.departmentId) qb.andWhere('u.department_id = :d', { d: query.departmentId });
    if (after) qb.andWhere('u.username > :un', { un: after.username });
    const page = toPage(await qb.getMany(), limit, (u) => ({ username: u.username }));
    return { items: page.items.map(toUserView), nextCursor: page.nextCursor };
  }

  countByRole(role: User['role']): Promise<number> {
    return this.users.countBy({ role });
  }
}
