import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Category } from '../../src/modules/categories/category.entity';
import { Department, DepartmentKind } from '../../src/modules/departments/department.entity';
import { Enterprise } from '../../src/modules/enterprises/enterprise.entity';
import { usccCheckCharacter, USCC_ALPHABET } from '../../src/modules/enterprises/uscc';
import { Role, User } from '../../src/modules/users/user.entity';
import type { TestApp } from './test-app';

export const PASSWORD = 'password-123';
let passwordHash: Promise<string> | undefined;
/** argon2 is slow on purpose; factories hash the shared test password once per file. */
const hashOnce = () => (passwordHash ??= argon2.hash(PASSWORD, { type: argon2.argon2id }));

export const uid = (n = 6) => randomBytes(n).toString('hex').slice(0, n);

/** A syntactically valid 统一社会信用代码 with a correct check character. */
export function makeUscc(): string {
  const digits = () => String(Math.floor(Math.random() * 10));
  const any = () => USCC_ALPHABET[Math.floor(Math.random() * USCC_ALPHABET.length)];
  const body = '91' + Array.from({ length: 6 }, digits).join('') + Array.from({ length: 9 }, any).join('');
  return body + usccCheckCharacter(body);
}

export class Factory {
  constructor(private readonly db: DataSource) {}

  department(
    p: Partial<{ code: string; name: string; kind: DepartmentKind; parentId: string | null }> = {},
  ): Promise<Department> {
    const repo = this.db.getRepository(Department);
    const code = p.code ?? `D${uid()}`;
    return repo.save(
      repo.create({
        code,
        name: p.name ?? `部门${code}`,
        kind: p.kind ?? 'department',
        parentId: p.parentId ?? null,
      }),
    );
  }

  category(
    p: Partial<{
      code: string;
      name: string;
      parentCode: string | null;
      defaultDepartmentId: string | null;
    }> = {},
  ): Promise<Category> {
    const repo = this.db.getRepository(Category);
    const code = p.code ?? `C${uid()}`;
    return repo.save(
      repo.create({
        code,
        name: p.name ?? `类别${code}`,
        parentCode: p.parentCode ?? null,
        defaultDepartmentId: p.defaultDepartmentId ?? null,
      }),
    );
  }

  enterprise(p: Partial<Pick<Enterprise, 'name' | 'uscc' | 'district'>> = {}): Promise<Enterprise> {
    const repo = this.db.getRepository(Enterprise);
    return repo.save(
      repo.create({
        name: p.name ?? `测试企业${uid()}有限公司`,
        uscc: p.uscc ?? makeUscc(),
        district: p.district ?? null,
        industry: null,
        contactName: '张经理',
        contactPhone: '13800000000',
      }),
    );
  }

  async user(
    role: Role,
    p: Partial<Pick<User, 'username' | 'departmentId' | 'enterpriseId' | 'displayName'>> = {},
  ): Promise<User> {
    const repo = this.db.getRepository(User);
    let departmentId = p.departmentId ?? null;
    let enterpriseId = p.enterpriseId ?? null;
    if (role === 'handler' && !departmentId) departmentId = (await this.department()).id;
    if (role === 'enterprise' && !enterpriseId) enterpriseId = (await this.enterprise()).id;
    return repo.save(
      repo.create({
        username: p.username ?? `${role}_${uid()}`,
        passwordHash: await hashOnce(),
        role,
        displayName: p.displayName ?? null,
        departmentId,
        enterpriseId,
      }),
    );
  }
}

/** Logs a user in over HTTP and returns the Authorization header value. */
export async function login(t: TestApp, username: string, password = PASSWORD): Promise<string> {
  const res = await t.http().post('/api/v1/auth/login').send({ username, password });
  if (res.status !== 200)
    throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return `Bearer ${res.body.accessToken}`;
}

/** A user of the role plus a ready Authorization header. */
export async function actor(t: TestApp, f: Factory, role: Role, p: Parameters<Factory['user']>[1] = {}) {
  const user = await f.user(role, p);
  return { user, auth: await login(t, user.username) };
}

export type Http = ReturnType<typeof request>;
