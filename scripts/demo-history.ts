/**
 * A year of a Huzhou-like 12345-1 line, played through the application's own services with an injected
 * clock: weekly 亲清直通车·政企恳谈会 on Wednesdays whose issues are handed out the next day (a few solved
 * at the meeting), phone and web appeals between them, dispatched, acknowledged, sometimes returned and
 * re-dispatched (or kept when the centre denies the return), extended, replied, rated (a few unsatisfied
 * and reopened), supervised (answered and closed off), and the hardest meeting issues led by a city
 * leader with instructions. Appeals are routed as they are filed (the district governments lead the
 * local matters their routing rules name) and dispatched as routing suggests. People act on the working
 * days of the service's own calendar; the system's timers fire inside the history at their own instants
 * (warnings, overdue with their automatic 督办, unrated replies closed when the survey window lapses,
 * unanswered 督办 escalated, contacts anonymised CONTACT_RETENTION_DAYS after their appeal ended), up to the instant the service starts — so its first start finds nothing
 * due. Recent cases are still open when the history ends; replies not yet rated wait in their window.
 *
 * Deterministic: the history's choices come from a seeded PRNG (mulberry32), each appeal's from a PRNG of
 * its own, and every instant from the plan, so the same seed and end instant give the same history. Every
 * change goes through the same code path as a real request (AppealsService.file, BatchFiling, the
 * centre's, departments', enterprises' and supervisors' actions, all through the appeal writer), each
 * appeal's steps in time order; steps of different appeals run side by side, each at its own instant.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource } from 'typeorm';
import { Clock } from '../src/common/clock';
import { DEMO_DEFAULTS, DEMO_MEETING_PREFIX, DemoHistoryOptions } from './demo-story';
import { planWhistles } from './demo-whistles';
import { DomainError } from '../src/common/domain-error';
import { AppealsService } from '../src/modules/appeals/appeals.service';
import { DeadlineAlarms, PENDING_ESCALATION } from '../src/modules/appeals/deadlines/deadline-alarms';
import { TIMERS } from '../src/modules/appeals/deadlines/deadline-timers';
import { SurveyWindow } from '../src/modules/assessment/survey-window';
import { DeadlinesService } from '../src/modules/deadlines/deadlines.service';
import { SupervisionEscalation } from '../src/modules/supervision/supervision-escalation';
import { PlanActions } from '../src/modules/plans/plan.actions';
import { PlanDeadlines, PlanTimerKind } from '../src/modules/plans/plan-deadlines';
import { BatchFiling, BatchItem } from '../src/modules/appeals/batch-filing';
import type { AppealType, Channel } from '../src/modules/appeals/entities/appeal.entity';
import { AppealActions } from '../src/modules/appeals/appeal.actions';
import { AppealWriter } from '../src/modules/appeals/appeal-writer';
import { Surveys } from '../src/modules/assessment/surveys';
import { AssignmentActions } from '../src/modules/assignments/assignment.actions';
import { Contacts } from '../src/modules/follow-up/contacts';
import { StagedReplies } from '../src/modules/follow-up/staged-replies';
import { Extensions } from '../src/modules/assignments/extensions';
import { Returns } from '../src/modules/assignments/returns';
import { SupervisionActions } from '../src/modules/supervision/supervision.actions';
import type { Actor } from '../src/modules/auth/auth.decorators';
import { CalendarService } from '../src/modules/calendar/calendar.service';
import type { WorkingCalendar } from '../src/modules/calendar/working-calendar';
import type { DeadlineKind } from '../src/infra/queue/job-types';
import { MeetingsService } from '../src/modules/meetings/meetings.service';
import { ContactsService } from '../src/modules/privacy/contacts.service';
import { APP_CONFIG, type AppConfig } from '../src/config/app-config';
import { RoutingService } from '../src/modules/routing/routing.service';

/** Small, seeded PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const H = 3600_000;
const DAY = 24 * H;
/** Asia/Shanghai has no daylight saving: local time is UTC + 8 h. */
const LOCAL = 8 * H;

/** The instant of a local date-time (Asia/Shanghai). */
const localInstant = (y: number, mo: number, d: number, h: number, mi = 0) =>
  new Date(Date.UTC(y, mo, d, h, mi) - LOCAL);

/** The local date (YYYY-MM-DD, Asia/Shanghai) of an instant. */
const localDate = (t: Date) => new Date(t.getTime() + LOCAL).toISOString().slice(0, 10);

/**
 * `t` moved into working time — a working day of `calendar` (holidays off, make-up days on),
 * 09:00–12:00 or 13:30–17:30 local: `t` itself when it is, otherwise just after the next opening.
 */
export function workingTime(t: Date, calendar: Pick<WorkingCalendar, 'isWorkingDay'>): Date {
  let x = new Date(t.getTime());
  // the longest run of days off (春节 with its weekends) is far shorter
  for (let i = 0; i < 60; i++) {
    const local = new Date(x.getTime() + LOCAL);
    const minutes = local.getUTCHours() * 60 + local.getUTCMinutes();
    const day = (h: number, mi = 0) =>
      localInstant(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), h, mi);
    if (!calendar.isWorkingDay(localDate(x)) || minutes >= 17 * 60 + 30) {
      x = new Date(day(0).getTime() + DAY);
      continue;
    }
    if (minutes < 9 * 60) return day(9, 5);
    if (minutes >= 12 * 60 && minutes < 13 * 60 + 30) return day(13, 35);
    return x;
  }
  return x;
}

export interface DemoDepartment {
  id: string;
  code: string;
  /** a district's or county's government: the district it governs */
  district?: string;
  handler: Actor;
}
export interface DemoEnterprise {
  id: string;
  district: string;
  actor: Actor;
}
export interface DemoCategory {
  code: string;
  /** the department a dispatcher sends it to */
  departmentId: string;
  /** its published knowledge entries, that an answer on the spot cites (SPEC §10) */
  knowledge?: { id: string; publishedAt: Date }[];
}

export interface DemoCast {
  dispatcher: Actor;
  supervisor: Actor;
  departments: DemoDepartment[];
  categories: DemoCategory[];
  enterprises: DemoEnterprise[];
}

export type { DemoHistoryOptions };
export { DEMO_DEFAULTS, DEMO_MEETING_PREFIX };

const DISTRICTS = ['吴兴区', '南浔区', '德清县', '长兴县', '安吉县'];
const LEADERS = ['王建华副市长', '李卫东副市长', '赵明常务副市长', '孙立群副市长'];

/** What enterprises raise, by category: a title and what it is about. */
const ISSUES: Record<string, [string, string][]> = {
  'FIN.LOAN': [
    [
      '技改项目贷款审批超过三个月未有结果',
      '企业技改项目向银行申请贷款，审批已超过三个月仍无结果，影响设备采购。',
    ],
  ],
  'FIN.GUAR': [['申请融资担保门槛过高', '小微企业申请政策性融资担保，被要求追加不动产抵押，希望协调。']],
  'FIN.SUBSIDY': [['贷款贴息资金未按期拨付', '去年申报的贷款贴息已公示，资金至今未拨付到位。']],
  'LAB.RECRUIT': [
    ['一线技术工人招聘困难', '企业扩产急需数控操作工三十名，招聘两个月仍有缺口，希望对接技工院校。'],
    ['外地员工子女入学咨询', '新引进的技术骨干子女入学政策不清楚，希望明确办理流程。'],
  ],
  'LAB.SOCIAL': [['社保缴费基数调整咨询', '企业对今年社保缴费基数调整口径有疑问，希望得到解释。']],
  'LAB.DISPUTE': [
    ['离职员工经济补偿争议', '企业与离职员工就经济补偿金额产生争议，希望劳动仲裁部门提前调解。'],
  ],
  'LAND.QUOTA': [['厂房扩建用地指标迟迟未落实', '扩建项目已立项半年，新增用地指标仍未落实，影响开工。']],
  'LAND.PLAN': [['规划许可变更办理时间长', '厂区内部道路调整需变更规划许可，材料提交后一个多月无进展。']],
  'POL.SUBSIDY': [
    ['技改补贴迟迟未兑现', '去年完成的智能化技改项目已验收，补贴资金至今未兑现。'],
    ['高新技术企业奖励未到账', '企业去年认定为高新技术企业，承诺的奖励资金至今未到账。'],
  ],
  'POL.TAX': [['研发费用加计扣除政策咨询', '企业对研发费用加计扣除的归集口径有疑问，希望税务部门上门辅导。']],
  'APPR.PROJECT': [['项目环评与能评审批衔接不畅', '新建项目环评已批，能评仍在排队，希望并联审批。']],
  'APPR.LICENSE': [['食品生产许可证延续办理', '许可证即将到期，延续申请材料要求不明确。']],
  'INSP.MULTI': [
    ['同一月内多个部门重复检查', '本月消防、安监、环保先后三次上门检查，内容多有重复，影响生产。'],
  ],
  'INSP.PENALTY': [['对行政处罚决定有异议', '企业对一项环保处罚的事实认定有异议，希望复核。']],
  'IP.INFRINGE': [['产品外观设计被仿冒', '企业新品上市两个月即被外地企业仿冒，希望协助维权。']],
  'IP.PATENT': [['专利快速预审通道咨询', '希望了解专利快速预审的申请条件和流程。']],
  'ARR.GOV': [['政府工程款拖欠一年未付', '企业承建的乡镇道路工程已竣工验收一年，尾款仍未支付。']],
  'ARR.SOE': [['国企采购货款逾期', '某市属国企采购设备货款逾期四个月未付，企业资金周转困难。']],
  'UTIL.POWER': [['园区频繁计划外停电', '本月园区已三次计划外停电，造成生产线停机损失。']],
  'UTIL.WATER': [['新厂区供水接入进度慢', '新厂区供水管网接入申请已两个月，施工尚未开始。']],
  'UTIL.GAS': [['天然气价格调整咨询', '企业对工业用气价格调整有疑问，希望得到说明。']],
  OTHER: [['营商环境意见建议', '建议优化企业开办和注销流程，减少重复提交材料。']],
};

const TYPES_BY_WEIGHT: [AppealType, number][] = [
  ['help', 0.42],
  ['consultation', 0.25],
  ['complaint', 0.14],
  ['suggestion', 0.14],
  ['praise', 0.05],
];

interface Plan {
  key: string;
  id?: string;
  /** this appeal's own choices: the same whatever order appeals' steps interleave in */
  rnd: () => number;
  enterprise: DemoEnterprise;
  category: DemoCategory;
  type: AppealType;
  title: string;
  content: string;
  urgent: boolean;
  meeting: boolean;
  /** how hard: decides lateness, returns, leaders */
  hard: boolean;
  /** answered by the centre on the spot: nothing to reopen */
  onSpot: boolean;
  /** its department let it lie: no reply, and no answer to the 督办 its lateness brings */
  stalled: boolean;
  /** how many of its assignments went overdue so far */
  overdue: number;
  lead?: DemoDepartment;
  rounds: number;
}

/** A seed for one appeal's PRNG from the history's seed and the appeal's key (FNV-1a). */
function seedOf(seed: number, key: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * The history's clock: each step runs with its own instant (AsyncLocalStorage), so steps of different
 * appeals can run at once and every service still reads the instant of its own step.
 */
export class StepClock extends Clock {
  private readonly store = new AsyncLocalStorage<Date>();
  constructor(private fallback: Date) {
    super();
  }
  now(): Date {
    return new Date((this.store.getStore() ?? this.fallback).getTime());
  }
  run<T>(at: Date, work: () => Promise<T>): Promise<T> {
    return this.store.run(at, work);
  }
  set(at: Date): void {
    this.fallback = at;
  }
}

interface AgendaItem {
  at: number;
  seq: number;
  key: string;
  run: () => Promise<void>;
}

/** Steps ordered by instant, then by the order they were scheduled. */
class Agenda {
  private readonly items: AgendaItem[] = [];
  private seq = 0;
  get size(): number {
    return this.items.length;
  }
  add(at: Date, key: string, run: () => Promise<void>): AgendaItem {
    const item = { at: at.getTime(), seq: this.seq++, key, run };
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const x = this.items[mid];
      if (x.at < item.at || (x.at === item.at && x.seq < item.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, item);
    return item;
  }
  /** Takes a step off the agenda before it runs. */
  cancel(item: AgendaItem): void {
    const i = this.items.indexOf(item);
    if (i >= 0) this.items.splice(i, 1);
  }
  /**
   * The next steps that may run at once: the earliest first, then later ones within `windowMs` of it,
   * none after `until`, at most one per appeal (the key up to its first ':' — an appeal's steps, its
   * co-handlers', its leader's and its timers' included, run one after another, in order), at most `max`.
   */
  wave(max: number, windowMs: number, until: number) {
    const taken: typeof this.items = [];
    const keys = new Set<string>();
    const first = this.items[0]?.at ?? 0;
    for (let i = 0; i < this.items.length && taken.length < max;) {
      const x = this.items[i];
      if (x.at - first > windowMs || x.at > until) break;
      const appeal = x.key.split(':')[0];
      if (keys.has(appeal)) {
        i++;
        continue;
      }
      keys.add(appeal);
      taken.push(x);
      this.items.splice(i, 1);
    }
    return taken;
  }
}

export interface DemoTally {
  meetings: number;
  appeals: number;
  actions: number;
  skipped: number;
  /** the system's timers that fired inside the history: warnings, overdue, surveys closed, escalations */
  timers: number;
}

/** Steps run at once (each in its own transaction); the application's pool has more connections. */
const PARALLEL = 6;
/** Steps of different appeals within this span of the earliest pending one may run together. */
const WAVE_MS = 12 * H;

/** A timer the service would wake up for (DeadlineAlarms): an assignment's, a survey window, a 督办's answer due. */
type TimerJob = DeadlineKind | 'survey_close' | 'escalate' | PlanTimerKind | 'anonymise';

/** Plays the history into the application `app` (booted with `clock`); resolves with what it did. */
export async function playDemoHistory(
  app: INestApplicationContext,
  clock: StepClock,
  cast: DemoCast,
  opts: DemoHistoryOptions,
): Promise<DemoTally> {
  // the history's own choices (meetings, who attends, what is raised) are made here, in order
  const rnd = prng(opts.seed);
  const chance = (x: number) => rnd() < x;
  const pick = <T>(xs: T[], r = rnd): T => xs[Math.floor(r() * xs.length)];
  const int = (a: number, b: number) => a + Math.floor(rnd() * (b - a + 1));
  // an appeal's choices from its own PRNG, in the order of its own steps
  const yes = (p: Plan, x: number) => p.rnd() < x;
  const appeals = app.get(AppealsService);
  const filing = app.get(BatchFiling);
  const meetings = app.get(MeetingsService);
  const appealActions = app.get(AppealActions);
  const assignments = app.get(AssignmentActions);
  const returns = app.get(Returns);
  const extensions = app.get(Extensions);
  const surveys = app.get(Surveys);
  const contacts = app.get(Contacts);
  const stagedReplies = app.get(StagedReplies);
  const supervisions = app.get(SupervisionActions);
  const deadlines = app.get(DeadlinesService);
  const surveyWindow = app.get(SurveyWindow);
  const escalation = app.get(SupervisionEscalation);
  const plans = app.get(PlanActions);
  const planTimers = app.get(PlanDeadlines);
  const contactRetention = app.get(ContactsService);
  const retentionDays = app.get<AppConfig>(APP_CONFIG).contacts.retentionDays;
  const routing = app.get(RoutingService);
  const db = app.get(DataSource);
  // the service's own working calendar (holidays, make-up days): people work on its working days
  const calendar = await app.get(CalendarService).calendar();
  // nobody reads the answers of the history's actions: the writer changes the appeal and skips reading
  // the caller's view back (the change itself is the same write path as a request's)
  const writer = app.get(AppealWriter);
  writer.act = async (id, actor, expectedVersion, work, options) => {
    await writer.change(id, actor, expectedVersion, work, options);
    return undefined as never;
  };
  const agenda = new Agenda();
  const tally: DemoTally = { meetings: 0, appeals: 0, actions: 0, skipped: 0, timers: 0 };
  const until = opts.until.getTime();
  const start = until - opts.weeks * 7 * DAY;
  const serviceStart = () => {
    const s = opts.serviceStart ?? opts.until;
    return Math.max(until, (typeof s === 'function' ? s() : s).getTime());
  };
  const byDepartment = new Map(cast.departments.map((d) => [d.id, d]));
  const planOf = new Map<string, Plan>();

  // Routing (智能分拨) runs as the appeal is filed, at the filing's instant, instead of in a job the
  // service would run when it starts. A routing batch takes every unrouted appeal: filings run one at
  // a time, each routed before the next, so none is routed before its own instant.
  appeals.enqueueRouting = async (...ids: string[]) => {
    for (const id of ids) await routing.route(id);
  };
  let filingTurn: Promise<unknown> = Promise.resolve();
  const oneFilingAtATime = <T>(work: () => Promise<T>): Promise<T> => {
    const turn = filingTurn.then(work);
    filingTurn = turn.catch(() => undefined);
    return turn;
  };

  // The timers' wake-ups. A step's changes arm the wake-ups of their appeals after commit; here they
  // become steps of the history at the timers' own instants (the service's sweeper would otherwise
  // fire them all, late, when it starts). Each runs the service's own firing for that one timer. A
  // wake-up whose timer a later change ended (the step done, the instant moved) leaves the agenda.
  const armedBy = new AsyncLocalStorage<Set<string>>();
  app.get(DeadlineAlarms).arm = async (appealIds?: string[]) => {
    const armed = armedBy.getStore();
    for (const id of appealIds ?? []) armed?.add(id);
    return 0;
  };
  /** Each appeal's pending wake-ups on the agenda, by timer and instant. */
  const wakeUps = new Map<string, Map<string, AgendaItem>>();
  // timers at the same instant in a fixed order (ids differ from run to run): the lead's before a co's
  const timerSql = [
    ...TIMERS.map(
      (s) =>
        `SELECT '${s.kind}' AS job, id::text AS ref, appeal_id, ${s.atColumn} AS at, role AS holder FROM assignments
         WHERE appeal_id = ANY($1) AND ${s.open} AND ${s.firedColumn} IS NULL AND ${s.atColumn} IS NOT NULL`,
    ),
    `SELECT 'survey_close', id::text, id, survey_due_at, '' FROM appeals
     WHERE id = ANY($1) AND status = 'replied' AND survey_due_at IS NOT NULL`,
    `SELECT 'escalate', id::text, appeal_id, answer_due_at,
            coalesce((SELECT role FROM assignments WHERE id = supervisions.assignment_id), supervisions.source)
       FROM supervisions WHERE appeal_id = ANY($1) AND ${PENDING_ESCALATION}`,
    // SPEC §9.3: a plan's next feedback and its promise, while it is open
    `SELECT 'plan_feedback', id::text, appeal_id, next_feedback_at, 'plan' FROM plans
     WHERE appeal_id = ANY($1) AND status = 'open' AND feedback_fired_at IS NULL`,
    `SELECT 'plan_overdue', id::text, appeal_id, promised_by, 'plan' FROM plans
     WHERE appeal_id = ANY($1) AND status = 'open' AND overdue_fired_at IS NULL`,
    // SPEC §11 retention: an ended appeal's contact is anonymised CONTACT_RETENTION_DAYS after it ended
    `SELECT 'anonymise', id::text, id, coalesce(closed_at, updated_at) + make_interval(days => ${retentionDays}), ''
       FROM appeals WHERE id = ANY($1) AND status IN ('closed', 'rejected', 'withdrawn', 'merged')
        AND contact_anonymised_at IS NULL AND (contact_name IS NOT NULL OR contact_phone IS NOT NULL)`,
  ].join(' UNION ALL ');
  const armTimers = async (appealIds: string[]) => {
    if (appealIds.length === 0) return;
    const rows: { job: TimerJob; ref: string; appeal_id: string; at: Date }[] = await db.query(
      `SELECT * FROM (${timerSql}) t ORDER BY at, job, holder DESC`,
      [appealIds],
    );
    const now = clock.now().getTime();
    const pending = new Map(appealIds.map((id) => [id, new Set<string>()]));
    for (const r of rows) {
      const due = new Date(r.at).getTime();
      const id = `${r.job}.${r.ref}.${due}`;
      pending.get(r.appeal_id)?.add(id);
      const mine = wakeUps.get(r.appeal_id) ?? new Map<string, AgendaItem>();
      wakeUps.set(r.appeal_id, mine);
      if (mine.has(id)) continue;
      const at = new Date(Math.max(due, now));
      const item = agenda.add(at, planOf.get(r.appeal_id)?.key ?? r.appeal_id, () => {
        mine.delete(id);
        return step(at, () => fireTimer(r.job, r.ref, r.appeal_id));
      });
      mine.set(id, item);
    }
    for (const [appealId, ids] of pending)
      for (const [id, item] of wakeUps.get(appealId) ?? [])
        if (!ids.has(id)) {
          agenda.cancel(item);
          wakeUps.get(appealId)!.delete(id);
        }
  };
  /** A step at instant `at`: its work, then the wake-ups its changes armed. */
  const step = (at: Date, work: () => Promise<void>) =>
    clock.run(at, () => {
      const armed = new Set<string>();
      return armedBy.run(armed, async () => {
        await work();
        await armTimers([...armed]);
      });
    });

  /** Runs `work` for `key` at `when` (moved into working hours); nothing at or after the end of the history. */
  const at = (key: string, when: Date, work: () => Promise<unknown>, working = true) => {
    const t = working ? workingTime(when, calendar) : when;
    if (t.getTime() >= until) return;
    agenda.add(t, key, () =>
      step(t, async () => {
        try {
          await work();
          tally.actions++;
        } catch (err) {
          // a step the state no longer allows (a case closed meanwhile) is skipped, as a person would
          if (!(err instanceof DomainError)) throw err;
          tally.skipped++;
        }
      }),
    );
  };
  /** A step of plan `p`, `hours` after the current step. */
  const after = (p: Plan, hours: [number, number], work: () => Promise<unknown>) =>
    at(p.key, new Date(clock.now().getTime() + (hours[0] + p.rnd() * (hours[1] - hours[0])) * H), work);
  /** Plan `p` under another key of the same appeal, with a PRNG of its own (steps beside the main line). */
  const beside = (p: Plan, name: string): Plan => ({
    ...p,
    key: `${p.key}:${name}`,
    rnd: prng(seedOf(opts.seed, `${p.key}:${name}`)),
  });

  /** The service's firing of one timer, at its instant (the step's): what a wake-up job would do. */
  const fireTimer = async (job: TimerJob, ref: string, appealId: string) => {
    let fired: boolean;
    if (job === 'anonymise') fired = (await contactRetention.anonymiseDue()) > 0;
    else if (job === 'survey_close') fired = await surveyWindow.close(ref);
    else if (job === 'escalate') fired = await escalation.wake(ref);
    else if (job === 'plan_feedback' || job === 'plan_overdue') {
      fired = await planTimers.wake(ref, job);
      // a plan's promise passed: the 督办 it brings is answered by the department (SPEC §9.3, §7.3)
      const p = planOf.get(appealId);
      if (fired && job === 'plan_overdue' && p) {
        const late = beside(p, `plan-overdue${++p.overdue}`);
        after(late, [2, 20], async () => {
          const [row] = await db.query(
            `SELECT id, department_id FROM supervisions
             WHERE appeal_id = $1 AND source = 'plan_overdue' AND status = 'open' ORDER BY created_at DESC LIMIT 1`,
            [appealId],
          );
          if (row) await answerSupervision(late, row, '计划逾期原因已说明，已调整计划并加快推进。');
        });
      }
    } else {
      fired = await deadlines.fire(ref, job);
      // 超期 brings an automatic 督办: the department answers it, unless it let the case lie
      const p = planOf.get(appealId);
      // (a missed contact or staged reply brings a 催办, which needs no answer)
      if (fired && (job === 'ack_overdue' || job === 'reply_overdue') && p && !p.stalled) {
        const late = beside(p, `overdue${++p.overdue}`);
        after(late, [2, 20], async () => {
          const [row] = await db.query(
            `SELECT id, department_id FROM supervisions
             WHERE assignment_id = $1 AND source = 'overdue' AND status = 'open' ORDER BY created_at DESC LIMIT 1`,
            [ref],
          );
          if (row) await answerSupervision(late, row, '已说明超期原因，正在加快办理并尽快答复企业。');
        });
      }
    }
    if (fired) tally.timers++;
  };

  /** The supervised department answers a 督办 and the supervisor closes it off (销号). */
  const answerSupervision = async (p: Plan, row: { id: string; department_id: string }, answer: string) => {
    const d = byDepartment.get(row.department_id);
    if (!d) return;
    await supervisions.answer(row.id, { content: answer }, d.handler);
    after(p, [10, 40], () => supervisions.close(row.id, { note: '已答复，销号。' }, cast.supervisor));
  };

  const typeOf = (): AppealType => {
    let r = rnd();
    for (const [t, w] of TYPES_BY_WEIGHT) if ((r -= w) < 0) return t;
    return 'help';
  };
  const otherDepartment = (p: Plan, not: string) =>
    pick(
      cast.departments.filter((d) => d.id !== not),
      p.rnd,
    );

  // ---- one appeal's life after filing ---------------------------------------------------------------

  /** The lead the routing suggested when the appeal was filed (a rule, else the category's default). */
  const suggestedLead = async (p: Plan): Promise<DemoDepartment | undefined> => {
    const [row] = await db.query(
      `SELECT suggested_routing ->> 'leadDepartmentId' AS lead FROM appeals WHERE id = $1`,
      [p.id],
    );
    return row?.lead ? byDepartment.get(row.lead) : undefined;
  };

  const dispatch = (p: Plan, redispatch = false) =>
    after(p, redispatch ? [1, 6] : [0.3, 3], async () => {
      // the centre follows the routing's suggestion
      if (!redispatch) p.lead = (await suggestedLead(p)) ?? p.lead;
      const lead = p.lead!;
      const co = !redispatch && yes(p, p.meeting ? 0.25 : 0.12) ? [otherDepartment(p, lead.id)] : [];
      await assignments.dispatch(
        p.id!,
        { leadDepartmentId: lead.id, coDepartmentIds: co.map((d) => d.id) },
        cast.dispatcher,
      );
      contactFirst(p, lead);
      acknowledge(p, lead);
      for (const d of co) coHandle(p, d);
      if (p.meeting && p.hard && !redispatch) leaderLed(p);
    });

  /**
   * 首次联系 (SPEC §9.1): the lead calls the enterprise, mostly within the hour; now and then nobody answers
   * and it tries again a few hours later, or the call comes late. On a confidential appeal the centre
   * places a three-way call for the lead.
   */
  const contactFirst = (p: Plan, d: DemoDepartment) => {
    const c = beside(p, 'contact');
    const attempt = async (outcome: 'reached' | 'unreachable' | 'left_message') => {
      const [{ confidential }] = await db.query(`SELECT confidential FROM appeals WHERE id = $1`, [p.id]);
      await contacts.log(
        p.id!,
        confidential
          ? { method: 'three_way_call', outcome }
          : { method: yes(c, 0.85) ? 'phone' : yes(c, 0.5) ? 'visit' : 'online', outcome },
        confidential ? cast.dispatcher : d.handler,
      );
    };
    const r = c.rnd();
    if (r < 0.8) after(c, [0.1, 0.9], () => attempt('reached'));
    else if (r < 0.9)
      after(c, [0.2, 0.6], async () => {
        await attempt('unreachable');
        after(c, [1.2, 3], () => attempt(yes(c, 0.5) ? 'left_message' : 'reached'));
      });
    else after(c, [1.2, 8], () => attempt('reached'));
  };

  const acknowledge = (p: Plan, d: DemoDepartment) =>
    after(p, yes(p, 0.9) ? [0.2, 5] : [10, 40], async () => {
      await assignments.acknowledge(p.id!, {}, d.handler);
      // 退单: outside its duty, the lead asks to hand it back; the centre mostly agrees and sends it
      // elsewhere, and now and then finds the request unfounded (不当退单) and the department keeps it
      if (!p.meeting && p.rounds === 0 && yes(p, 0.05)) {
        after(p, [1, 8], async () => {
          await returns.request(p.id!, { reason: '不属于本单位职责范围' }, d.handler);
          after(p, [1, 6], async () => {
            const [request] = await db.query(
              `SELECT id FROM return_requests WHERE appeal_id = $1 AND status = 'pending'`,
              [p.id],
            );
            if (yes(p, 0.75)) {
              await returns.decide(
                p.id!,
                request.id,
                'approve',
                { note: '同意退回，另行派单。' },
                cast.dispatcher,
              );
              p.lead = otherDepartment(p, d.id);
              dispatch(p, true);
            } else {
              await returns.decide(
                p.id!,
                request.id,
                'deny',
                { reason: '属于本单位职责，请继续办理。' },
                cast.dispatcher,
              );
              work(p, d);
            }
          });
        });
        return;
      }
      work(p, d);
    });

  /** A co-handling department acknowledges and gives its opinion (its own key: it runs beside the lead). */
  const coHandle = (p: Plan, d: DemoDepartment) => {
    const co = beside(p, 'co');
    after(co, [1, 20], async () => {
      await assignments.acknowledge(p.id!, {}, d.handler);
      after(co, [4, 40], () =>
        assignments.opinion(p.id!, { content: '我局已配合核实，意见已报主办单位。' }, d.handler),
      );
    });
  };

  /** Progress, perhaps an extension, then the reply (or, for a few, none). */
  const work = (p: Plan, d: DemoDepartment) => {
    if (yes(p, 0.3))
      after(p, [6, 30], () =>
        assignments.progress(p.id!, { note: '已与企业联系，正在协调相关科室。' }, d.handler),
      );
    // a few ordinary cases stall at their department: they go overdue and are supervised (超期, 督办),
    // the 督办 goes unanswered and becomes a 通报
    if (!p.meeting && p.rounds === 0 && yes(p, 0.02)) {
      p.stalled = true;
      return;
    }
    // 阶段性答复 (SPEC §9.2): a hard case tells the enterprise where it stands, mostly within three days
    const staged = beside(p, `staged${p.rounds}`);
    if (p.hard || yes(staged, 0.15)) {
      after(staged, yes(staged, 0.85) ? [20, 60] : [80, 120], () =>
        stagedReplies.post(p.id!, { content: '已与相关部门会商，正在核实办理，结果将及时告知。' }, d.handler),
      );
    }
    const extended = p.hard && yes(p, 0.5);
    if (extended)
      after(p, [10, 30], async () => {
        const ext = await extensions.request(
          p.id!,
          { days: 5, reason: '涉及多个部门，需协调后答复' },
          d.handler,
        );
        after(p, [1, 6], () => extensions.decide(p.id!, ext.id, 'approve', {}, cast.dispatcher));
      });
    const replyHours: [number, number] = extended
      ? [90, 150]
      : p.hard
        ? [40, 160]
        : yes(p, 0.85)
          ? [8, 70]
          : [80, 160];
    after(p, replyHours, async () => {
      // 计划解决: half the hard problems, and one in ten of the others, cannot be solved in time and are
      // answered with a plan and a date
      const plannedNow = p.rounds === 0 && yes(p, p.hard ? 0.5 : 0.1);
      if (plannedNow) {
        const now = clock.now().getTime();
        const promisedBy = now + (20 + p.rnd() * 40) * DAY;
        const nextFeedbackAt = now + (7 + p.rnd() * 7) * DAY;
        await assignments.reply(
          p.id!,
          {
            content: '该问题涉及用地、规划等审批环节，无法在办理期限内解决，现制定计划分步推进。',
            outcome: 'planned',
            plan: {
              content: '会同自然资源、住建部门分步办理：先完成用地预审，再办理规划许可，办结后书面告知企业。',
              promisedBy: new Date(promisedBy).toISOString(),
              nextFeedbackAt: new Date(nextFeedbackAt).toISOString(),
            },
          },
          d.handler,
        );
        const [row] = await db.query(`SELECT id FROM plans WHERE appeal_id = $1 AND status = 'open'`, [p.id]);
        followPlan(p, d, row.id as string, promisedBy, nextFeedbackAt);
        survey(p);
        return;
      }
      await assignments.reply(
        p.id!,
        {
          content: '经研究协调，相关问题已落实，具体情况已电话告知企业。',
          outcome: yes(p, 0.8) ? 'resolved' : yes(p, 0.5) ? 'partially_resolved' : 'explained',
        },
        d.handler,
      );
      survey(p);
    });
  };

  /** The return visit's "did anyone contact you?" (SPEC §9.1): mostly asked, mostly yes (its own PRNG). */
  const asked = (p: Plan): boolean | undefined => {
    const q = beside(p, `asked${p.rounds}`);
    return yes(q, 0.7) ? yes(q, 0.96) : undefined;
  };

  /**
   * 一跟到底 (SPEC §9.3): the department reports before each feedback falls due and fulfils the plan
   * before its promise; a plan that slips misses a feedback (a 催办) and is fulfilled after its promise
   * (a 督办, answered). The enterprise, or the centre by phone, confirms the result.
   */
  const followPlan = (
    p: Plan,
    d: DemoDepartment,
    planId: string,
    promisedBy: number,
    firstFeedback: number,
  ) => {
    const f = beside(p, 'plan');
    const slips = yes(f, 0.3);
    const fulfilAt = slips ? promisedBy + (3 + f.rnd() * 10) * DAY : promisedBy - (1 + f.rnd() * 5) * DAY;
    let feedback = firstFeedback;
    let missed = false;
    const next = () => {
      const miss = slips && !missed && yes(f, 0.6);
      if (miss) missed = true;
      const reportAt = miss ? feedback + (1 + f.rnd() * 3) * DAY : feedback - (0.5 + f.rnd() * 2) * DAY;
      const soonest = clock.now().getTime() + H;
      if (reportAt >= fulfilAt) {
        at(f.key, new Date(Math.max(fulfilAt, soonest)), async () => {
          await plans.fulfil(
            planId,
            { content: '用地预审和规划许可均已办结，相关证照已送达企业。' },
            d.handler,
          );
          after(f, [24, 120], () =>
            plans.confirm(
              planId,
              yes(f, 0.9) ? { resolved: true } : { resolved: false, comment: '证照已领，但配套问题仍未落实' },
              yes(f, 0.5) ? cast.dispatcher : p.enterprise.actor,
            ),
          );
        });
        return;
      }
      at(f.key, new Date(Math.max(reportAt, soonest)), async () => {
        const nextFeedback = clock.now().getTime() + (7 + f.rnd() * 7) * DAY;
        await plans.update(
          planId,
          {
            content: '本阶段审批材料已报送，正在等待审查意见。',
            nextFeedbackAt: new Date(nextFeedback).toISOString(),
          },
          d.handler,
        );
        feedback = nextFeedback;
        next();
      });
    };
    next();
  };

  /** 回访: most are rated within a few days; some never are (the survey window closes them). */
  const survey = (p: Plan) => {
    if (!yes(p, p.meeting ? 0.9 : 0.78)) return;
    after(p, [3, 50], async () => {
      const unhappy = !p.onSpot && p.rounds === 0 && yes(p, p.meeting ? 0.02 : p.hard ? 0.25 : 0.06);
      const satisfaction = unhappy
        ? 'unsatisfied'
        : p.onSpot || yes(p, p.meeting ? 0.985 : 0.93)
          ? yes(p, 0.8)
            ? 'satisfied'
            : 'basically_satisfied'
          : 'unsatisfied';
      const byPhone = yes(p, 0.4);
      const resolved = satisfaction !== 'unsatisfied' && yes(p, 0.95);
      await surveys.survey(
        p.id!,
        {
          satisfaction,
          resolved,
          // SPEC §5.1: an unsatisfied or unresolved rating says why
          comment: satisfaction === 'unsatisfied' || !resolved ? '问题没有实质解决' : undefined,
          // SPEC §9.1: most return visits ask whether anyone contacted the enterprise
          contacted: asked(p),
        },
        byPhone ? cast.dispatcher : p.enterprise.actor,
      );
      if (satisfaction === 'unsatisfied' && p.rounds < 2) {
        // 重办: the same department answers again
        p.rounds++;
        work(p, p.lead!);
      }
    });
  };

  /** 领导领衔: a city leader takes the hardest meeting issues, with a follow-up instruction. */
  const leaderLed = (p: Plan) => {
    const leader = pick(LEADERS, p.rnd);
    const led = beside(p, 'leader');
    after(led, [4, 30], async () => {
      await appealActions.leader(
        p.id!,
        { leaderName: leader, instruction: '请主办单位牵头，会同相关部门专题研究，限期解决并报结果。' },
        cast.supervisor,
      );
      after(led, [40, 100], () =>
        appealActions.leader(
          p.id!,
          { leaderName: leader, instruction: '进展情况每周报我，确保一抓到底。' },
          cast.supervisor,
        ),
      );
    });
  };

  /** 督办: a supervisor flags some slow ordinary cases. */
  const maybeSupervise = (p: Plan) => {
    if (!p.hard || p.meeting || !yes(p, 0.5)) return;
    const sup = beside(p, 'supervise');
    after(sup, [60, 120], async () => {
      await supervisions.supervise(p.id!, { note: '企业反映强烈，请加快办理。' }, cast.supervisor);
      // the department answers the 督办 and the supervisor closes it off (销号)
      after(sup, [4, 30], async () => {
        const [row] = await db.query(
          `SELECT id, department_id FROM supervisions
           WHERE appeal_id = $1 AND source <> 'overdue' AND status = 'open' ORDER BY created_at DESC LIMIT 1`,
          [p.id],
        );
        if (row) await answerSupervision(sup, row, '已专题研究，正在加快办理，预计本周内答复企业。');
      });
    });
  };

  const afterFiled = (p: Plan) => {
    if (!p.meeting) {
      const r = p.rnd();
      if (r < 0.03) {
        after(p, [0.5, 4], () =>
          appealActions.reject(p.id!, { reason: '不属于政企通受理范围' }, cast.dispatcher),
        );
        return;
      }
      if (r < 0.05) {
        after(p, [1, 20], () =>
          appealActions.withdraw(p.id!, { reason: '问题已自行解决' }, p.enterprise.actor),
        );
        return;
      }
      if (p.type === 'consultation' && r < 0.3) {
        after(p, [0.1, 1], async () => {
          // two answers in three rest on an entry of the category published by then (SPEC §10); chosen
          // from the appeal's key, so the history's own random choices stay as they were
          const hash = [...p.key].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
          const usable = (p.category.knowledge ?? []).filter((e) => e.publishedAt <= clock.now());
          const cited = usable.length > 0 && hash % 3 !== 0 ? [usable[hash % usable.length].id] : [];
          await appealActions.resolveOnSpot(
            p.id!,
            { content: '已按政策口径当场答复企业。', knowledgeEntryIds: cited },
            cast.dispatcher,
          );
          p.onSpot = true;
          survey(p);
        });
        return;
      }
    }
    dispatch(p);
    maybeSupervise(p);
  };

  const plan = (key: string, e: DemoEnterprise, meeting: boolean): Plan => {
    const category = pick(cast.categories);
    const [title, content] = pick(ISSUES[category.code] ?? ISSUES.OTHER);
    return {
      key,
      rnd: prng(seedOf(opts.seed, key)),
      enterprise: e,
      category,
      type: typeOf(),
      title,
      content,
      urgent: category.code.startsWith('UTIL') && chance(0.3),
      meeting,
      hard: chance(meeting ? 0.06 : 0.08),
      onSpot: false,
      stalled: false,
      overdue: 0,
      lead: byDepartment.get(category.departmentId),
      rounds: 0,
    };
  };
  const filed = (p: Plan, id: string) => {
    p.id = id;
    planOf.set(id, p);
  };

  // ---- meetings: 14:30 on the week's Wednesday (or the nearest working weekday), the issues handed
  // out the next working morning ------------------------------------------------------------------------

  /** The week's meeting day: its Wednesday when that is a working day, else Thu, Fri, Tue or Mon; or none. */
  const meetingDay = (wednesday: Date): Date | null => {
    for (const shift of [0, 1, 2, -1, -2]) {
      const day = new Date(wednesday.getTime() + shift * DAY);
      const weekday = new Date(day.getTime() + LOCAL).getUTCDay();
      // a make-up Saturday (调休) is a working day, but no day for a meeting with entrepreneurs
      if (weekday === 0 || weekday === 6 || day.getTime() >= until) continue;
      if (calendar.isWorkingDay(localDate(day))) return day;
    }
    return null;
  };

  let n = 0;
  for (let week = 0; week < opts.weeks; week++) {
    const monday = new Date(start + week * 7 * DAY);
    const local = new Date(monday.getTime() + LOCAL);
    const wed = localInstant(
      local.getUTCFullYear(),
      local.getUTCMonth(),
      local.getUTCDate() + ((3 - local.getUTCDay() + 7) % 7),
      14,
      30,
    );
    // a few weeks have no meeting, nor has a week without a working weekday (春节, 国庆); some have two,
    // city and county at once — in two districts, each with its own leader: a leader is in one place
    // (the last week always has one if it can: its issues are still being worked on when the history ends)
    const held = meetingDay(wed);
    const wanted = chance(0.12) && week < opts.weeks - 1 ? 0 : chance(0.2) ? 2 : 1;
    const count = held ? wanted : 0;
    const districts: string[] = [];
    const leaders: string[] = [];
    for (let k = 0; k < count; k++) {
      n++;
      const key = `meeting${n}`;
      const district = pick(DISTRICTS.filter((d) => !districts.includes(d)));
      const leaderName = pick(LEADERS.filter((l) => !leaders.includes(l)));
      districts.push(district);
      leaders.push(leaderName);
      const host = cast.departments.find((d) => d.district === district) ?? cast.departments[0];
      const locals = cast.enterprises.filter((e) => e.district === district);
      const pool = locals.length >= 4 ? locals : cast.enterprises;
      const attending = [...new Set(Array.from({ length: int(6, 10) }, () => pick(pool)))];
      const attendeeCount = attending.length + int(1, 4);
      const issues = Array.from({ length: int(...opts.issuesPerMeeting) }, (_, i) =>
        plan(`m${n}.${i}`, pick(attending), true),
      );
      const onSite = issues.map(() => chance(0.12));
      const title = `${DEMO_MEETING_PREFIX}（第${n}期·${district}）`;
      at(
        key,
        held!,
        async () => {
          const meeting = await meetings.create(
            {
              title,
              heldAt: clock.now().toISOString(),
              district,
              hostDepartmentId: host.id,
              leaderName,
              enterpriseIds: attending.map((e) => e.id),
              attendeeCount,
            },
            cast.supervisor,
          );
          tally.meetings++;
          // 任务交办: the issue list goes out the next working morning, all in one call
          at(key, new Date(clock.now().getTime() + 19 * H), async () => {
            const items: BatchItem[] = issues.map((p, i) => ({
              enterpriseId: p.enterprise.id,
              type: p.type,
              categoryCode: p.category.code,
              title: p.title,
              content: p.content,
              resolvedOnSpot: onSite[i] ? '已在恳谈会上现场答复并解决。' : undefined,
            }));
            const appealsFiled = await oneFilingAtATime(() =>
              filing.file(cast.dispatcher, async () => ({
                items,
                channel: 'meeting',
                meetingId: meeting.id,
                district,
              })),
            );
            tally.appeals += appealsFiled.length;
            appealsFiled.forEach((a, i) => {
              const p = issues[i];
              filed(p, a.id);
              p.onSpot = onSite[i];
              if (onSite[i]) survey(p);
              else afterFiled(p);
            });
          });
        },
        false,
      );
    }
    // between meetings: phone, web and app appeals at any working hour of the week
    for (let i = 0; i < opts.appealsPerWeek; i++) {
      const e = pick(cast.enterprises);
      const p = plan(`w${week}.${i}`, e, false);
      const channel: Channel = chance(0.45) ? 'hotline' : chance(0.6) ? 'web' : 'app';
      at(p.key, new Date(monday.getTime() + rnd() * 5 * DAY), async () => {
        const byCentre = channel === 'hotline';
        const { appeal } = await oneFilingAtATime(() =>
          appeals.file(
            {
              type: p.type,
              categoryCode: p.category.code,
              title: p.title,
              content: p.content,
              channel,
              urgency: p.urgent ? 'urgent' : 'normal',
              ...(byCentre ? { enterpriseId: e.id } : {}),
            },
            byCentre ? cast.dispatcher : e.actor,
          ),
        );
        filed(p, appeal.id);
        tally.appeals++;
        afterFiled(p);
      });
    }
  }

  // 企业吹哨 (SPEC §12): a handful of whistles, the last still open with a commitment due
  planWhistles(app, cast, calendar, { start, until }, at, (key, when, e, body, onFiled) =>
    at(key, when, async () => {
      const { appeal } = await oneFilingAtATime(() => appeals.file(body as never, e.actor));
      onFiled(appeal.id);
      tally.appeals++;
    }),
  );

  // the people's steps end at `until`; the timers keep firing, each at its instant, up to the service's
  // start (asked again each round: with the real clock, the catch-up itself takes time)
  let logged = 0;
  for (;;) {
    const wave = agenda.wave(PARALLEL, WAVE_MS, serviceStart());
    if (wave.length === 0) break;
    await Promise.all(wave.map((s) => s.run()));
    if (opts.log && tally.actions - logged >= 500) {
      logged = tally.actions;
      opts.log(`${tally.actions} actions`);
    }
  }
  clock.set(new Date(serviceStart()));
  return tally;
}
