import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError, Repository } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import { decodeCursor, Page, toPage } from '../../common/pagination';
import { DepartmentsService } from '../departments/departments.service';
import { PasswordService } from './password.service';
import { User } from './user.entity';
import { CreateUserDto, ListUsersQuery, UpdateUserDto, UserView } from './users.dto';

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

/**
 * A username as it is compared: usernames are unique whatever their case and a login finds its account
 * by any spelling (SPEC §5.1). Only A-Z fold, the letters a username may hold (USERNAME), so the result
 * equals PostgreSQL's lower() of every stored name and the lookup uses uq_users_username_lower; a name
 * with other letters (a dotted İ, the Kelvin sign) matches no account instead of whatever a locale's
 * case mapping makes of it.
 */
export function foldUsername(name: string): string {
  return name.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

const taken = (username: string) =>
  DomainError.conflict(`username ${username} is taken (usernames are the same whatever their case)`, {
    field: 'username',
  });

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly db: DataSource,
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
    if (await this.byName(repo, u.username).getExists()) throw taken(u.username);
    const passwordHash = await this.passwords.hash(u.password);
    try {
      return await repo.save(
        repo.create({
          username: u.username,
          passwordHash,
          role: u.role,
          displayName: u.displayName,
          departmentId: u.departmentId,
          enterpriseId: u.enterpriseId,
        }),
      );
    } catch (err) {
      // the same name (in any case) written by another request since the check above
      if (err instanceof QueryFailedError && (err as QueryFailedError & { code?: string }).code === '23505')
        throw taken(u.username);
      throw err;
    }
  }

  /** The account a name names, whatever its case (uq_users_username_lower). */
  private byName(repo: Repository<User>, username: string) {
    return repo.createQueryBuilder('u').where('lower(u.username) = :name', { name: foldUsername(username) });
  }

  /**
   * PATCH /users/{id} (SPEC §5 accounts). Changing `active`, `role` or `departmentId` raises the token
   * version, so every token the user holds stops working on its next request. The last active admin can
   * be neither deactivated nor demoted (409): changes that could remove an active admin take one
   * transaction-scoped lock first, so two admins demoting each other at once cannot both succeed.
   */
  async update(id: string, dto: UpdateUserDto): Promise<UserView> {
    const sent = (k: keyof UpdateUserDto) => dto[k] !== undefined;
    if (!(['active', 'role', 'departmentId', 'displayName'] as const).some(sent))
      throw DomainError.validation('nothing to change: send active, role, departmentId or displayName');
    return this.db.transaction(async (m) => {
      const repo = m.getRepository(User);
      if (sent('active') || sent('role'))
        await m.query(`SELECT pg_advisory_xact_lock(hashtext('zqt.users.admins'))`);
      const user = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw DomainError.notFound('user');
      const next = {
        active: dto.active ?? user.active,
        role: dto.role ?? user.role,
        departmentId: dto.departmentId === undefined ? user.departmentId : dto.departmentId,
        displayName: dto.displayName === undefined ? user.displayName : dto.displayName,
      };
      if (user.role === 'enterprise' && (sent('role') || sent('departmentId'))) {
        throw DomainError.validation('an enterprise account keeps its role and has no department', [
          { field: sent('role') ? 'role' : 'departmentId', message: 'not for enterprise accounts' },
        ]);
      }
      if (next.role === 'handler' && !next.departmentId) {
        throw DomainError.validation('a handler needs a departmentId', [
          { field: 'departmentId', message: 'required for handlers' },
        ]);
      }
      if (dto.departmentId) await this.departments.get(dto.departmentId, 'departmentId');
      const removesAdmin = user.role === 'admin' && user.active && (!next.active || next.role !== 'admin');
      if (removesAdmin) {
        const activeAdmins = await repo.count({ where: { role: 'admin', active: true } });
        if (activeAdmins <= 1)
          throw DomainError.conflict('the last active admin cannot be deactivated or demoted');
      }
      const endsTokens =
        next.active !== user.active || next.role !== user.role || next.departmentId !== user.departmentId;
      Object.assign(user, next, { tokenVersion: user.tokenVersion + (endsTokens ? 1 : 0) });
      return toUserView(await repo.save(user));
    });
  }

  /** A new password hash; every token issued before it ends. */
  async setPassword(id: string, password: string): Promise<User> {
    const passwordHash = await this.passwords.hash(password);
    const { affected } = await this.users.update(
      { id },
      { passwordHash, tokenVersion: () => 'token_version + 1' },
    );
    if (!affected) throw DomainError.notFound('user');
    return (await this.users.findOneBy({ id }))!;
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  /** By any spelling of the name: login is case-insensitive (SPEC §5.1). */
  findByUsername(username: string): Promise<User | null> {
    return this.byName(this.users, username).getOne();
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
