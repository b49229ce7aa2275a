/**
 * Demo data for a real prefecture-level city (湖州市): its departments and districts, a two-level
 * category tree of typical enterprise appeals, a few enterprises, and one account for every role.
 *
 * Run with `npm run seed:demo` (ts-node --transpile-only); `npm start` runs it on every start unless
 * `--no-demo` / SEED_DEMO=false. Idempotent: rows are matched by department code, category code,
 * USCC and username, created when missing and brought back to these values when changed, never
 * duplicated. Demo accounts get the shared demo password back when it was changed, so the logins that
 * `npm start` prints always work — which is why this must not run against a production database.
 */
import 'reflect-metadata';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig, ConfigError, loadConfig, loadDatabaseUrlFromProcess } from '../src/config/app-config';
import { dataSourceOptions, migrate } from '../src/infra/database/data-source-options';
import { Category } from '../src/modules/categories/category.entity';
import { Department, DepartmentKind } from '../src/modules/departments/department.entity';
import { Enterprise } from '../src/modules/enterprises/enterprise.entity';
import { isValidUscc, usccCheckCharacter } from '../src/modules/enterprises/uscc';
import { PasswordService } from '../src/modules/users/password.service';
import { Role, User } from '../src/modules/users/user.entity';
import demoLogins from './demo-logins.json';

interface DepartmentSeed {
  code: string;
  name: string;
  kind: DepartmentKind;
}

/** 湖州市 functional departments, public utilities and the five districts/counties (kind `district`). */
export const DEPARTMENTS: DepartmentSeed[] = [
  { code: 'HZ-FGW', name: '湖州市发展和改革委员会', kind: 'department' },
  { code: 'HZ-JXJ', name: '湖州市经济和信息化局', kind: 'department' },
  { code: 'HZ-CZJ', name: '湖州市财政局', kind: 'department' },
  { code: 'HZ-RSJ', name: '湖州市人力资源和社会保障局', kind: 'department' },
  { code: 'HZ-ZRZY', name: '湖州市自然资源和规划局', kind: 'department' },
  { code: 'HZ-ZJJ', name: '湖州市住房和城乡建设局', kind: 'department' },
  { code: 'HZ-SCJG', name: '湖州市市场监督管理局', kind: 'department' },
  { code: 'HZ-SWJ', name: '湖州市商务局', kind: 'department' },
  { code: 'HZ-TAX', name: '国家税务总局湖州市税务局', kind: 'department' },
  { code: 'HZ-JRB', name: '湖州市地方金融管理局（市金融办）', kind: 'department' },
  { code: 'HZ-STHJ', name: '湖州市生态环境局', kind: 'department' },
  { code: 'HZ-JTJ', name: '湖州市交通运输局', kind: 'department' },
  { code: 'HZ-SPJ', name: '湖州市行政审批服务局（市数据局）', kind: 'department' },
  { code: 'HZ-KJJ', name: '湖州市科学技术局', kind: 'department' },
  { code: 'HZ-SFJ', name: '湖州市司法局', kind: 'department' },
  { code: 'HZ-GSL', name: '湖州市工商业联合会', kind: 'department' },
  { code: 'HZ-POWER', name: '国网湖州供电公司', kind: 'department' },
  { code: 'HZ-WATER', name: '湖州市水务集团', kind: 'department' },
  { code: 'HZ-GAS', name: '湖州市燃气公司', kind: 'department' },
  { code: 'HZ-WX', name: '吴兴区人民政府', kind: 'district' },
  { code: 'HZ-NX', name: '南浔区人民政府', kind: 'district' },
  { code: 'HZ-DQ', name: '德清县人民政府', kind: 'district' },
  { code: 'HZ-CX', name: '长兴县人民政府', kind: 'district' },
  { code: 'HZ-AJ', name: '安吉县人民政府', kind: 'district' },
];

interface CategorySeed {
  code: string;
  name: string;
  department: string;
  children?: CategorySeed[];
}

/** Typical enterprise appeals, each with the department a dispatcher would send it to first. */
export const CATEGORIES: CategorySeed[] = [
  {
    code: 'FIN',
    name: '融资',
    department: 'HZ-JRB',
    children: [
      { code: 'FIN.LOAN', name: '贷款审批', department: 'HZ-JRB' },
      { code: 'FIN.GUAR', name: '融资担保', department: 'HZ-JRB' },
      { code: 'FIN.SUBSIDY', name: '贴息', department: 'HZ-CZJ' },
    ],
  },
  {
    code: 'LAB',
    name: '用工',
    department: 'HZ-RSJ',
    children: [
      { code: 'LAB.RECRUIT', name: '招工用工', department: 'HZ-RSJ' },
      { code: 'LAB.SOCIAL', name: '社保', department: 'HZ-RSJ' },
      { code: 'LAB.DISPUTE', name: '劳动纠纷', department: 'HZ-RSJ' },
    ],
  },
  {
    code: 'LAND',
    name: '用地',
    department: 'HZ-ZRZY',
    children: [
      { code: 'LAND.QUOTA', name: '用地指标', department: 'HZ-ZRZY' },
      { code: 'LAND.PLAN', name: '规划许可', department: 'HZ-ZRZY' },
    ],
  },
  {
    code: 'POL',
    name: '政策兑现',
    department: 'HZ-JXJ',
    children: [
      { code: 'POL.SUBSIDY', name: '补贴未兑现', department: 'HZ-JXJ' },
      { code: 'POL.TAX', name: '税费减免', department: 'HZ-TAX' },
    ],
  },
  {
    code: 'APPR',
    name: '审批',
    department: 'HZ-SPJ',
    children: [
      { code: 'APPR.PROJECT', name: '项目审批', department: 'HZ-FGW' },
      { code: 'APPR.LICENSE', name: '证照办理', department: 'HZ-SPJ' },
    ],
  },
  {
    code: 'INSP',
    name: '执法检查',
    department: 'HZ-SFJ',
    children: [
      { code: 'INSP.MULTI', name: '多头检查', department: 'HZ-SFJ' },
      { code: 'INSP.PENALTY', name: '处罚争议', department: 'HZ-SFJ' },
    ],
  },
  {
    code: 'IP',
    name: '知识产权',
    department: 'HZ-SCJG',
    children: [
      { code: 'IP.INFRINGE', name: '侵权', department: 'HZ-SCJG' },
      { code: 'IP.PATENT', name: '专利申请', department: 'HZ-SCJG' },
    ],
  },
  {
    code: 'ARR',
    name: '拖欠账款',
    department: 'HZ-JXJ',
    children: [
      { code: 'ARR.GOV', name: '政府机关拖欠', department: 'HZ-JXJ' },
      { code: 'ARR.SOE', name: '国企拖欠', department: 'HZ-CZJ' },
    ],
  },
  {
    code: 'UTIL',
    name: '水电气',
    department: 'HZ-FGW',
    children: [
      { code: 'UTIL.POWER', name: '停电', department: 'HZ-POWER' },
      { code: 'UTIL.WATER', name: '用水', department: 'HZ-WATER' },
      { code: 'UTIL.GAS', name: '燃气', department: 'HZ-GAS' },
    ],
  },
  // 营商环境 work in Zhejiang's cities is led from the development and reform commission
  { code: 'OTHER', name: '其他', department: 'HZ-FGW' },
];

interface EnterpriseSeed {
  key: string;
  name: string;
  /** The first 17 characters: registration authority, category, the 330xxx division code, the organisation code. */
  usccBody: string;
  district: string;
  industry: string;
  contactName: string;
  contactPhone: string;
}

/** Fictional companies in the city's districts; their 统一社会信用代码 get a correct GB 32100-2015 check character. */
export const ENTERPRISES: EnterpriseSeed[] = [
  {
    key: 'zhineng',
    name: '湖州南太湖智能装备有限公司',
    usccBody: '91330502MA2B7KQ4X',
    district: '吴兴区',
    industry: '智能装备制造',
    contactName: '沈建国',
    contactPhone: '13905721001',
  },
  {
    key: 'muye',
    name: '湖州南浔华丰木业有限公司',
    usccBody: '91330503MA29LNE60',
    district: '南浔区',
    industry: '木业家居',
    contactName: '钱慧芳',
    contactPhone: '13867221002',
  },
  {
    key: 'shengwu',
    name: '德清莫干山生物科技有限公司',
    usccBody: '91330521MA2D0G8T3',
    district: '德清县',
    industry: '生物医药',
    contactName: '姚志强',
    contactPhone: '13735121003',
  },
  {
    key: 'dianchi',
    name: '长兴恒晟新能源电池有限公司',
    usccBody: '91330522MA2CRW1Y5',
    district: '长兴县',
    industry: '新能源电池',
    contactName: '吴晓东',
    contactPhone: '13957221004',
  },
];

export const uscc = (e: EnterpriseSeed): string => e.usccBody + usccCheckCharacter(e.usccBody);

interface AccountSeed {
  username: string;
  role: Role;
  displayName: string;
  department?: string;
  enterprise?: string;
}

/** An arbitrary constant: two seeds started at once take turns. */
const SEED_LOCK = 7_345_012_346;

type Tally = Record<'created' | 'updated' | 'unchanged', number>;
const tally = (): Tally => ({ created: 0, updated: 0, unchanged: 0 });

/** Sets the given fields on the row; says whether any changed. */
function assign<T extends object>(row: T, values: Partial<T>): boolean {
  let changed = false;
  for (const [k, v] of Object.entries(values) as [keyof T, T[keyof T]][]) {
    if (row[k] !== v) {
      row[k] = v;
      changed = true;
    }
  }
  return changed;
}

async function seedDepartments(m: EntityManager, t: Tally): Promise<Map<string, Department>> {
  const repo = m.getRepository(Department);
  const byCode = new Map<string, Department>();
  for (const d of DEPARTMENTS) {
    let row = await repo.findOneBy({ code: d.code });
    if (!row) {
      row = await repo.save(repo.create({ code: d.code, name: d.name, kind: d.kind, parentId: null }));
      t.created++;
    } else if (assign(row, { name: d.name, kind: d.kind })) {
      row = await repo.save(row);
      t.updated++;
    } else {
      t.unchanged++;
    }
    byCode.set(d.code, row);
  }
  return byCode;
}

async function seedCategories(
  m: EntityManager,
  departments: Map<string, Department>,
  t: Tally,
): Promise<void> {
  const repo = m.getRepository(Category);
  const upsert = async (c: CategorySeed, parentCode: string | null) => {
    const department = departments.get(c.department);
    if (!department) throw new Error(`category ${c.code}: unknown department ${c.department}`);
    const values = { name: c.name, parentCode, defaultDepartmentId: department.id };
    const row = await repo.findOneBy({ code: c.code });
    if (!row) {
      await repo.save(repo.create({ code: c.code, ...values }));
      t.created++;
    } else if (assign(row, values)) {
      await repo.save(row);
      t.updated++;
    } else {
      t.unchanged++;
    }
  };
  // parents first: a child's parent_code is a foreign key
  for (const c of CATEGORIES) await upsert(c, null);
  for (const c of CATEGORIES) for (const child of c.children ?? []) await upsert(child, c.code);
}

async function seedEnterprises(m: EntityManager, t: Tally): Promise<Map<string, Enterprise>> {
  const repo = m.getRepository(Enterprise);
  const byKey = new Map<string, Enterprise>();
  for (const e of ENTERPRISES) {
    const code = uscc(e);
    if (!isValidUscc(code)) throw new Error(`enterprise ${e.name}: ${code} is not a valid USCC`);
    const values = {
      name: e.name,
      district: e.district,
      industry: e.industry,
      contactName: e.contactName,
      contactPhone: e.contactPhone,
    };
    let row = await repo.findOneBy({ uscc: code });
    if (!row) {
      row = await repo.save(repo.create({ uscc: code, ...values }));
      t.created++;
    } else if (assign(row, values)) {
      row = await repo.save(row);
      t.updated++;
    } else {
      t.unchanged++;
    }
    byKey.set(e.key, row);
  }
  return byKey;
}

async function seedUsers(
  m: EntityManager,
  config: AppConfig,
  departments: Map<string, Department>,
  enterprises: Map<string, Enterprise>,
  t: Tally,
): Promise<void> {
  const repo = m.getRepository(User);
  const passwords = new PasswordService();
  for (const a of demoLogins.accounts as AccountSeed[]) {
    // the admin follows ADMIN_USERNAME / ADMIN_PASSWORD, as the app's bootstrap admin does
    const isAdmin = a.role === 'admin';
    const username = isAdmin ? config.adminUsername : a.username;
    const password = isAdmin ? (config.adminPassword ?? demoLogins.password) : demoLogins.password;
    let departmentId: string | null = null;
    let enterpriseId: string | null = null;
    if (a.department) {
      const d = departments.get(a.department);
      if (!d) throw new Error(`account ${username}: unknown department ${a.department}`);
      departmentId = d.id;
    }
    if (a.enterprise) {
      const e = enterprises.get(a.enterprise);
      if (!e) throw new Error(`account ${username}: unknown enterprise ${a.enterprise}`);
      enterpriseId = e.id;
    }
    const values = { role: a.role, displayName: a.displayName, departmentId, enterpriseId, active: true };
    const row = await repo.findOneBy({ username });
    if (!row) {
      await repo.save(repo.create({ username, passwordHash: await passwords.hash(password), ...values }));
      t.created++;
      continue;
    }
    let changed = assign(row, values);
    if (!(await passwords.verify(row.passwordHash, password))) {
      row.passwordHash = await passwords.hash(password);
      changed = true;
    }
    if (changed) {
      await repo.save(row);
      t.updated++;
    } else {
      t.unchanged++;
    }
  }
}

/** The demo accounts' enterprise labels must name the seeded enterprises (start.js prints the labels). */
function checkLoginsFile(): void {
  for (const a of demoLogins.accounts as (AccountSeed & { label: string })[]) {
    if (a.role !== 'enterprise') continue;
    const e = ENTERPRISES.find((x) => x.key === a.enterprise);
    if (!e || e.name !== a.label)
      throw new Error(`demo-logins.json: ${a.username} names an enterprise the seed does not have`);
  }
}

export async function seedDemo(databaseUrl: string, config: AppConfig): Promise<Record<string, Tally>> {
  checkLoginsFile();
  const ds = new DataSource(dataSourceOptions(databaseUrl, 2));
  await ds.initialize();
  try {
    return await ds.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK]);
      const result = { departments: tally(), categories: tally(), enterprises: tally(), users: tally() };
      const departments = await seedDepartments(m, result.departments);
      await seedCategories(m, departments, result.categories);
      const enterprises = await seedEnterprises(m, result.enterprises);
      await seedUsers(m, config, departments, enterprises, result.users);
      return result;
    });
  } finally {
    await ds.destroy();
  }
}

async function main(): Promise<void> {
  const databaseUrl = loadDatabaseUrlFromProcess(); // also loads ./.env
  // the seed signs no tokens: JWT_SECRET need not be set for it
  const config = loadConfig({ JWT_SECRET: 'unused-by-the-demo-seed', ...process.env });
  const applied = await migrate(databaseUrl);
  if (applied.length > 0) console.log(`[seed] applied migrations: ${applied.join(', ')}`);
  const result = await seedDemo(databaseUrl, config);
  const line = Object.entries(result)
    .map(([what, t]) => `${what} ${t.created} created, ${t.updated} updated, ${t.unchanged} unchanged`)
    .join('; ');
  console.log(`[seed] demo data: ${line}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error('[seed] failed:', err instanceof ConfigError ? err.message : err);
    process.exit(1);
  });
}
