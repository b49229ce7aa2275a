/**
 * Demo data for a real prefecture-level city (湖州市): its departments and districts, a two-level
 * category tree of typical enterprise appeals, forty enterprises, one account for every role — and a
 * year of history played through the application's own services (scripts/demo-history.ts): weekly
 * 政企恳谈会 with their issues handed out, answered and rated, appeals between them, some returned,
 * reopened, supervised and leader-led, so the reports show real-looking figures at once.
 *
 * Run with `npm run seed:demo` (ts-node --transpile-only); `npm start` runs it on every start unless
 * `--no-demo` / SEED_DEMO=false. Idempotent: rows are matched by department code, category code,
 * USCC and username, created when missing and brought back to these values when changed, never
 * duplicated; the history is played once, when the database has no demo meeting yet (it ends at the
 * start of the current day in Asia/Shanghai, or at DEMO_UNTIL; DEMO_HISTORY=false skips it). Demo accounts get the shared demo password back when it was changed, so the logins that
 * `npm start` prints always work — which is why this must not run against a production database.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DataSource, EntityManager, In } from 'typeorm';
import type { Actor } from '../src/modules/auth/auth.decorators';
import { SlaPolicy } from '../src/modules/sla/sla-policy.entity';
import type { DemoCast, DemoTally } from './demo-history';
import { DEMO_DEFAULTS, DEMO_MEETING_PREFIX, DemoHistoryOptions } from './demo-story';
import { demoEntries, seedDemoKnowledge } from './demo-knowledge';
import { AppConfig, ConfigError, loadConfig, loadDatabaseUrlFromProcess } from '../src/config/app-config';
import { dataSourceOptions, migrate } from '../src/infra/database/data-source-options';
import { Category } from '../src/modules/categories/category.entity';
import { Department, DepartmentKind } from '../src/modules/departments/department.entity';
import { Enterprise } from '../src/modules/enterprises/enterprise.entity';
import { isValidUscc, usccCheckCharacter } from '../src/modules/enterprises/uscc';
import { PasswordService } from '../src/modules/users/password.service';
import { RoutingRule } from '../src/modules/routing/routing-rule.entity';
import { Role, User } from '../src/modules/users/user.entity';
import demoLogins from './demo-logins.json';

interface DepartmentSeed {
  code: string;
  name: string;
  kind: DepartmentKind;
  /** a district's or county's government: the district it governs */
  district?: string;
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
  { code: 'HZ-WX', name: '吴兴区人民政府', kind: 'district', district: '吴兴区' },
  { code: 'HZ-NX', name: '南浔区人民政府', kind: 'district', district: '南浔区' },
  { code: 'HZ-DQ', name: '德清县人民政府', kind: 'district', district: '德清县' },
  { code: 'HZ-CX', name: '长兴县人民政府', kind: 'district', district: '长兴县' },
  { code: 'HZ-AJ', name: '安吉县人民政府', kind: 'district', district: '安吉县' },
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

const BRANDS = [
  '宏达',
  '恒丰',
  '天成',
  '新源',
  '华越',
  '金帆',
  '瑞祥',
  '永盛',
  '博远',
  '卓信',
  '嘉禾',
  '正兴',
];
const INDUSTRIES: [string, string][] = [
  ['机械', '装备制造'],
  ['纺织', '纺织服装'],
  ['新材料', '新材料'],
  ['电子', '电子信息'],
  ['家居', '绿色家居'],
  ['食品', '食品加工'],
];
const DIVISIONS: [string, string][] = [
  ['吴兴区', '330502'],
  ['南浔区', '330503'],
  ['德清县', '330521'],
  ['长兴县', '330522'],
  ['安吉县', '330523'],
];
/** The GB/T 2260 code of one of the city's districts, by name (the districts migration seeds them). */
function districtCode(name: string): string {
  const found = DIVISIONS.find(([n]) => n === name);
  if (!found) throw new Error(`no district named ${name} among the demo city's`);
  return found[1];
}
const SURNAMES = ['张', '王', '李', '赵', '陈', '杨', '周', '徐', '孙', '马', '朱', '胡'];

/** 36 more fictional companies, the same every run, spread over the five districts. */
export const MORE_ENTERPRISES: EnterpriseSeed[] = Array.from({ length: 36 }, (_, i) => {
  const [district, division] = DIVISIONS[i % DIVISIONS.length];
  const [product, industry] = INDUSTRIES[i % INDUSTRIES.length];
  const brand = BRANDS[Math.floor(i / 3) % BRANDS.length];
  return {
    key: `demo${String(i + 1).padStart(2, '0')}`,
    name: `湖州${brand}${product}${['科技', '实业', '制造'][i % 3]}有限公司`,
    usccBody: `91${division}MAD${String(i + 1).padStart(6, '0')}`,
    district,
    industry,
    contactName: `${SURNAMES[i % SURNAMES.length]}经理`,
    contactPhone: `1390572${String(2000 + i).padStart(4, '0')}`,
  };
});

/**
 * 属地管理: these matters go to the government of the enterprise's district or county — arrears of
 * township projects (清欠), repeated inspections (综合行政执法 is local), land quotas and planning
 * permits (allotted and granted by the county), recruitment (local job fairs and technical schools) and
 * licences such as food production (issued by the county). A routing rule per district and category
 * suggests the district's government to the dispatcher; everything else goes to the category's default.
 */
export const LOCAL_CATEGORIES = [
  'ARR.GOV',
  'INSP.MULTI',
  'LAND.QUOTA',
  'LAND.PLAN',
  'LAB.RECRUIT',
  'APPR.LICENSE',
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

/** One rule per district and local category (LOCAL_CATEGORIES), matched by its district and category. */
async function seedRoutingRules(
  m: EntityManager,
  departments: Map<string, Department>,
  t: Tally,
): Promise<void> {
  const repo = m.getRepository(RoutingRule);
  for (const d of DEPARTMENTS) {
    if (!d.district) continue;
    const lead = departments.get(d.code)!;
    const district = districtCode(d.district);
    for (const categoryCode of LOCAL_CATEGORIES) {
      const values = { priority: 10, leadDepartmentId: lead.id, autoDispatch: false, enabled: true };
      const row = (await repo.findBy({ district, categoryCode })).find((r) => r.keywords.length === 0);
      if (!row) {
        await repo.insert({
          ...values,
          district,
          categoryCode,
          keywords: [],
          coDepartmentIds: [],
          createdBy: null,
          createdAt: new Date(),
        });
        t.created++;
      } else if (assign(row, values) || row.coDepartmentIds.length > 0) {
        row.coDepartmentIds = [];
        await repo.save(row);
        t.updated++;
      } else {
        t.unchanged++;
      }
    }
  }
}

async function seedEnterprises(m: EntityManager, t: Tally): Promise<Map<string, Enterprise>> {
  const repo = m.getRepository(Enterprise);
  const byKey = new Map<string, Enterprise>();
  for (const e of [...ENTERPRISES, ...MORE_ENTERPRISES]) {
    const code = uscc(e);
    if (!isValidUscc(code)) throw new Error(`enterprise ${e.name}: ${code} is not a valid USCC`);
    const values = {
      name: e.name,
      // stored as its GB/T 2260 code, as the API stores it (SPEC §5.1)
      district: districtCode(e.district),
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
      const result = {
        departments: tally(),
        categories: tally(),
        routingRules: tally(),
        enterprises: tally(),
        users: tally(),
        knowledge: tally(),
      };
      const departments = await seedDepartments(m, result.departments);
      await seedCategories(m, departments, result.categories);
      await seedRoutingRules(m, departments, result.routingRules);
      const enterprises = await seedEnterprises(m, result.enterprises);
      await seedUsers(m, config, departments, enterprises, result.users);
      // SPEC §10: the knowledge base the centre answers from, published by the centre for the departments
      const dispatcher = await m.getRepository(User).findOneByOrFail({ username: 'dispatcher1' });
      result.knowledge.created = await seedDemoKnowledge(m, {
        now: new Date(),
        dispatcherId: dispatcher.id,
        departments: new Map([...departments].map(([code, d]) => [code, d.id])),
      });
      result.knowledge.unchanged = demoEntries().length - result.knowledge.created;
      return result;
    });
  } finally {
    await ds.destroy();
  }
}

/** A password hash nothing verifies against: accounts that act in the history but cannot log in. */
const NO_LOGIN = '!demo-history-no-login';

/** The history's people: the demo logins where there is one, otherwise an account that cannot log in. */
async function historyCast(m: EntityManager): Promise<DemoCast> {
  const users = m.getRepository(User);
  const asActor = (u: User): Actor => ({
    id: u.id,
    username: u.username,
    role: u.role,
    departmentId: u.departmentId,
    enterpriseId: u.enterpriseId,
  });
  const account = async (username: string, values: Partial<User>): Promise<User> =>
    (await users.findOneBy({ username })) ??
    (await users.save(users.create({ username, passwordHash: NO_LOGIN, active: false, ...values })));
  const dispatcher = await users.findOneByOrFail({ username: 'dispatcher1' });
  const supervisor = await users.findOneByOrFail({ username: 'supervisor1' });
  const departments = await m.getRepository(Department).find({
    where: { code: In(DEPARTMENTS.map((d) => d.code)) },
    order: { code: 'ASC' },
  });
  const districtOf = new Map(DEPARTMENTS.map((d) => [d.code, d.district]));
  const cast: DemoCast = {
    dispatcher: asActor(dispatcher),
    supervisor: asActor(supervisor),
    departments: [],
    categories: [],
    enterprises: [],
  };
  for (const d of departments) {
    const login = (demoLogins.accounts as AccountSeed[]).find((a) => a.department === d.code);
    const handler = login
      ? await users.findOneByOrFail({ username: login.username })
      : await account(`demo_h_${d.code.toLowerCase().replace(/[^a-z0-9]/g, '_')}`, {
          role: 'handler',
          departmentId: d.id,
          displayName: `${d.name} 承办员`,
        });
    cast.departments.push({
      id: d.id,
      code: d.code,
      district: districtOf.get(d.code),
      handler: asActor(handler),
    });
  }
  const leaves = CATEGORIES.flatMap((c) => c.children ?? [c]);
  const categories = await m.getRepository(Category).findBy({ code: In(leaves.map((c) => c.code)) });
  // the published entries of each category, that answers on the spot cite (SPEC §10)
  const entries: { category_code: string; id: string; published_at: Date }[] = await m.query(
    `SELECT category_code, id, published_at FROM knowledge_entries
      WHERE status = 'published' AND expires_at IS NULL ORDER BY category_code, title`,
  );
  cast.categories = categories
    .filter((c) => c.defaultDepartmentId)
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((c) => ({
      code: c.code,
      departmentId: c.defaultDepartmentId!,
      knowledge: entries
        .filter((e) => e.category_code === c.code)
        .map((e) => ({ id: e.id, publishedAt: new Date(e.published_at) })),
    }));
  for (const e of [...ENTERPRISES, ...MORE_ENTERPRISES]) {
    const row = await m.getRepository(Enterprise).findOneByOrFail({ uscc: uscc(e) });
    const login = (demoLogins.accounts as AccountSeed[]).find((a) => a.enterprise === e.key);
    const user = login
      ? await users.findOneByOrFail({ username: login.username })
      : await account(`demo_e_${e.key}`, {
          role: 'enterprise',
          enterpriseId: row.id,
          displayName: e.contactName,
        });
    cast.enterprises.push({ id: row.id, district: e.district, actor: asActor(user) });
  }
  return cast;
}

/** The meetings' own clock (SPEC §8.1): contact the enterprise within 3 working days, answer within 7. */
async function seedMeetingPolicy(m: EntityManager): Promise<void> {
  const repo = m.getRepository(SlaPolicy);
  const name = '恳谈会问题: 3个工作日内联系企业, 7个工作日内反馈';
  if (await repo.existsBy({ name })) return;
  await repo.insert({
    name,
    categoryCode: null,
    channel: 'meeting',
    type: null,
    urgency: null,
    clock: 'working',
    ackWithin: 'P3D',
    replyWithin: 'P7D',
    warnAt: 0.8,
    surveyWithin: 'P3D',
  });
}

/** The start of the current day in Asia/Shanghai: where the demo history ends unless DEMO_UNTIL says. */
function defaultUntil(now = new Date()): Date {
  const local = new Date(now.getTime() + 8 * 3600_000);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - 8 * 3600_000);
}

/**
 * Plays the demo history once: when a demo meeting exists already, nothing happens. The application
 * runs in this process (ROLE=api: no queue workers) with a clock the history moves. People act up to
 * `until`; the system's timers (overdue and its 督办, unrated replies closed, escalations) fire inside
 * the history at their own instants up to the service's start — by default the moment the history is
 * done, on the real clock — so the service's first start finds nothing due that the history left.
 */
export async function seedDemoHistory(
  databaseUrl: string,
  env: Record<string, string | undefined>,
  options: Partial<DemoHistoryOptions> = {},
): Promise<DemoTally | null> {
  const config = loadConfig({
    JWT_SECRET: 'unused-by-the-demo-seed',
    ...env,
    DATABASE_URL: databaseUrl,
    ROLE: 'api',
    LOG_LEVEL: 'silent',
  });
  const until = options.until ?? (env.DEMO_UNTIL ? new Date(env.DEMO_UNTIL) : defaultUntil());
  if (Number.isNaN(until.getTime())) throw new Error('DEMO_UNTIL must be an ISO 8601 instant');
  // the common case, a database that has its history: answered without loading the application
  const probe = new Client({ connectionString: databaseUrl });
  await probe.connect();
  try {
    const { rows } = await probe.query(
      `SELECT EXISTS (SELECT 1 FROM meetings WHERE title LIKE $1) AS there`,
      [`${DEMO_MEETING_PREFIX}%`],
    );
    if (rows[0].there) return null;
  } finally {
    await probe.end();
  }
  const [{ NestFactory }, { AppModule }, { ReportsService }, { playDemoHistory, StepClock }] =
    await Promise.all([
      import('@nestjs/core'),
      import('../src/app.module'),
      import('../src/modules/reports/reports.service'),
      import('./demo-history'),
    ]);
  const clock = new StepClock(until);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ config, clock }), {
    logger: false,
  });
  try {
    const db = app.get(DataSource);
    const runner = db.createQueryRunner();
    await runner.connect();
    try {
      // one history at a time, across processes: the check again, under the lock
      await runner.query('SELECT pg_advisory_lock($1)', [SEED_LOCK + 1]);
      const [{ n }] = await runner.query(`SELECT count(*)::int AS n FROM meetings WHERE title LIKE $1`, [
        `${DEMO_MEETING_PREFIX}%`,
      ]);
      if (n > 0) return null;
      const cast = await db.transaction(async (m) => {
        await seedMeetingPolicy(m);
        return historyCast(m);
      });
      const tally = await playDemoHistory(app, clock, cast, {
        ...DEMO_DEFAULTS,
        ...options,
        until,
        serviceStart: options.serviceStart ?? (() => new Date()),
      });
      await app.get(ReportsService).fold();
      return tally;
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [SEED_LOCK + 1]).catch(() => undefined);
      await runner.release();
    }
  } finally {
    await app.close();
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
  if (String(process.env.DEMO_HISTORY ?? 'true').toLowerCase() === 'false') return;
  const t0 = performance.now();
  const history = await seedDemoHistory(databaseUrl, process.env);
  console.log(
    history
      ? `[seed] demo history: ${history.meetings} meetings, ${history.appeals} appeals, ${history.actions} actions, ` +
          `${history.timers} timers fired ` +
          `in ${((performance.now() - t0) / 1000).toFixed(1)} s`
      : '[seed] demo history: already there',
  );
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error('[seed] failed:', err instanceof ConfigError ? err.message : err);
    process.exit(1);
  });
}
