import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/domain-error';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import type { Actor } from '../auth/auth.decorators';
import { ReadDatabase } from '../../infra/database/read-replica';
import { DistrictsService } from '../districts/districts.service';
import { ReportTargetsRow } from './entities/report-targets.entity';
import {
  addCounters,
  bucketOf,
  bucketsBetween,
  checkTargets,
  Counters,
  Interval,
  LocalDays,
  Metrics,
  metMap,
  metricsOf,
  raggedRange,
  rank,
  TARGET_METRIC_NAMES,
  TargetCheck,
  TargetMetric,
  whistleMetricsOf,
  zeroCounters,
} from './report-formulas';
import { meetingsReport } from './meeting-report';
import {
  meetingsCursorKey,
  MeetingsPaging,
  notThisPaging,
  readMeetingsCursor,
  writeMeetingsCursor,
} from './meeting-cursor';
import { whistlesReport } from './whistle-report';
import {
  DistrictReportQuery,
  FilterQuery,
  MeetingsReportQuery,
  PutTargetsDto,
  RangeQuery,
  SummaryQuery,
  TrendQuery,
} from './reports.dto';
import { NIL_DEPARTMENT } from './report-counters.sql';
import {
  CountersSpec,
  GroupBy,
  Grouped,
  KnowledgeCounts,
  ReportFilter,
  ReportsRepository,
  Slice,
  WhistleCounters,
} from './reports.repository';

const DAY_MS = 86_400_000;
/** SPEC §5 lists: a page is 20 rows unless `limit` says otherwise. */
const DEFAULT_PAGE = 20;

const NO_WHISTLES: WhistleCounters = {
  summons: 0,
  checkIns: 0,
  checkInsDue: 0,
  commitmentsOnTime: 0,
  commitmentsDue: 0,
};
const NO_KNOWLEDGE: KnowledgeCounts = { knowledgeEntriesPublished: 0, knowledgeEntriesStale: 0 };
function sumKnowledge(byDepartment: Map<string, KnowledgeCounts>): KnowledgeCounts {
  const total = { ...NO_KNOWLEDGE };
  for (const c of byDepartment.values()) {
    total.knowledgeEntriesPublished += c.knowledgeEntriesPublished;
    total.knowledgeEntriesStale += c.knowledgeEntriesStale;
  }
  return total;
}
/** Default period: the 30 days before `to`. */
const DEFAULT_DAYS = 30;
/** Longest period a report accepts. */
const MAX_RANGE_DAYS = 3660;

export interface Range {
  from: Date;
  to: Date;
}

export interface Targets {
  thresholds: Partial<Record<TargetMetric, number>>;
  scoreWeights: ReportTargetsRow['scoreWeights'];
  minSample: number;
}

/**
 * SPEC §4 reports. Whole local days come from the rollups (+ unfolded deltas), ragged edges of
 * [from, to) from the raw rows, and the "now"-dependent parts from the open assignments — all read
 * in one REPEATABLE READ snapshot, so every figure is exact at every moment.
 */
@Injectable()
export class ReportsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReportsService.name);
  readonly days: LocalDays;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly repo: ReportsRepository,
    private readonly districts: DistrictsService,
    private readonly reads: ReadDatabase,
  ) {
    this.days = new LocalDays(config.calendarTimeZone);
  }

  /**
   * The rollups' days are local days of report_time_zone(), which the migration runner sets to
   * TZ_CALENDAR (main.ts migrates before the application starts). A process whose TZ_CALENDAR differs
   * would report wrong days, so it does not start. Read-only: nothing is created or rebuilt here.
   */
  async onApplicationBootstrap(): Promise<void> {
    let tz: string;
    try {
      [{ tz }] = await this.db.query(`SELECT report_time_zone() AS tz`);
    } catch (err) {
      this.logger.error(`checking the report time zone failed: ${(err as Error).message}`);
      return;
    }
    if (tz !== this.days.timeZone)
      throw new Error(
        `the report rollups count local days of ${tz} but TZ_CALENDAR is ${this.days.timeZone}: ` +
          `run the migrations with this TZ_CALENDAR (npm start or node dist/src/main.js do) to rebuild them`,
      );
  }

  // ---- the engine -------------------------------------------------------------------------------

  /** One consistent snapshot of the primary (the consistency test, the bench). */
  private snapshot<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction('REPEATABLE READ', async (m) => {
      await m.query('SET TRANSACTION READ ONLY');
      return work(m);
    });
  }

  /**
   * One consistent snapshot for everything a report route reads: on the read replica when one is
   * configured and close enough behind the primary (DATABASE_READ_URL, READ_MAX_LAG_SECONDS), on the
   * primary otherwise. The answer says which, and how old its figures are (`freshness`).
   */
  private async routeSnapshot<T extends object>(work: (m: EntityManager) => Promise<T>) {
    const { value, freshness } = await this.reads.snapshot(work);
    return {
      ...value,
      freshness: {
        source: freshness.source,
        asOf: this.days.format(freshness.asOf),
        ageSeconds: freshness.ageSeconds,
      },
    };
  }

  /**
   * Rollup-backed counters for appeals created in [from, to): what the routes serve, in one statement
   * (ReportsRepository.counters) — one snapshot by itself.
   *
   * The leaderLed filter (SPEC §8.2) is not a key of the rollups: leader-led appeals are the few hardest
   * cases, so their counters are recomputed from the raw rows (through the partial index of leader-led
   * appeals), and the others' are the whole minus them — counters are sums, and both parts are read in
   * the same statement, so either answer is exact.
   */
  counters(m: EntityManager, r: Range, f: ReportFilter, groupBy: GroupBy): Promise<Grouped> {
    return this.repo.counters(m, this.spec(r, f, groupBy));
  }

  private spec(r: Range, f: ReportFilter, groupBy: GroupBy): CountersSpec {
    return {
      slice: this.slice(r, f, groupBy),
      now: this.clock.now(),
      ...raggedRange(r.from, r.to, this.days),
    };
  }

  /** The same figures recomputed from the raw rows only (consistency test, bench baseline). */
  async rawCounters(m: EntityManager, r: Range, f: ReportFilter, groupBy: GroupBy): Promise<Grouped> {
    return merge([
      await this.repo.raw(m, this.slice(r, f, groupBy)),
      await this.repo.liveRaw(m, this.slice(r, f, groupBy), this.clock.now()),
    ]);
  }

  private slice(r: Range, filter: ReportFilter, groupBy: GroupBy): Slice {
    return { from: r.from, to: r.to, filter, groupBy, timeZone: this.days.timeZone };
  }

  /** Either source, in its own snapshot (for tests and the bench). */
  read(r: Range, f: ReportFilter, groupBy: GroupBy, source: 'rollup' | 'raw' = 'rollup'): Promise<Grouped> {
    return this.snapshot((m) =>
      source === 'rollup' ? this.counters(m, r, f, groupBy) : this.rawCounters(m, r, f, groupBy),
    );
  }

  /**
   * SPEC §12: the whistle counters of the same slice, read from the whistle rows in this snapshot. The
   * leaderLed filter is a plain condition there (no rollup to derive it from).
   */
  private whistleCounters(m: EntityManager, r: Range, f: ReportFilter, groupBy: GroupBy) {
    return this.repo.whistles(m, this.slice(r, f, groupBy), this.clock.now());
  }

  fold(): Promise<number> {
    return this.repo.fold(this.db.manager);
  }

  rebuild(): Promise<number> {
    return this.db.transaction((m) => this.repo.rebuild(m));
  }

  // ---- the routes -------------------------------------------------------------------------------

  range(q: RangeQuery): Range {
    // SPEC §5.1: a date without a time is a local calendar day, `to` included whole
    const to = q.to ? this.days.queryInstant(q.to, 'end') : this.clock.now();
    const from = q.from
      ? this.days.queryInstant(q.from, 'start')
      : new Date(to.getTime() - DEFAULT_DAYS * DAY_MS);
    if (from.getTime() >= to.getTime())
      throw DomainError.validation('from must be before to', [
        { field: 'from', message: 'must be before to' },
      ]);
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS)
      throw DomainError.validation(`a report covers at most ${MAX_RANGE_DAYS} days`, [
        { field: 'from', message: `at most ${MAX_RANGE_DAYS} days before to` },
      ]);
    return { from, to };
  }

  /**
   * The filters of SPEC §4 and §8.2 as the repository takes them: a category expanded to its descendants,
   * a district given by code or exact name resolved to its code (400 for neither, SPEC §5.1).
   */
  private async filter(m: EntityManager, q: FilterQuery & { departmentId?: string }): Promise<ReportFilter> {
    return {
      departmentId: q.departmentId,
      categoryCodes: q.categoryCode ? await this.repo.categoryWithChildren(m, q.categoryCode) : undefined,
      district:
        q.district === undefined ? undefined : await this.districts.resolve(q.district, 'district', m),
      channel: q.channel,
      leaderLed: q.leaderLed,
    };
  }

  /** The filters a report answered for, the district as its code with its name beside it. */
  private async filtersView(
    m: EntityManager,
    q: FilterQuery,
    f: ReportFilter,
  ): Promise<{
    departmentId: string | null;
    categoryCode: string | null;
    district: string | null;
    districtName: string | null;
    channel: string | null;
    leaderLed: boolean | null;
  }> {
    return {
      departmentId: f.departmentId ?? null,
      categoryCode: q.categoryCode ?? null,
      district: f.district ?? null,
      districtName: await this.districts.nameOf(f.district ?? null, m),
      channel: q.channel ?? null,
      leaderLed: q.leaderLed ?? null,
    };
  }

  private period(r: Range) {
    return { from: this.days.format(r.from), to: this.days.format(r.to) };
  }

  async summary(q: SummaryQuery, actor: Actor, source: 'rollup' | 'raw' = 'rollup') {
    let departmentId = q.departmentId;
    if (actor.role === 'handler') {
      // a handler reads its own department's summary only
      if (!actor.departmentId || (departmentId && departmentId !== actor.departmentId))
        throw DomainError.forbidden('a handler may read only its own department');
      departmentId = actor.departmentId;
    }
    const r = this.range(q);
    return this.routeSnapshot(async (m) => {
      const targets = await this.targets(m);
      const f = await this.filter(m, { ...q, departmentId });
      const grouped =
        source === 'rollup' ? await this.counters(m, r, f, 'none') : await this.rawCounters(m, r, f, 'none');
      const metrics = metricsOf(grouped.get('') ?? zeroCounters(), targets.scoreWeights);
      const knowledge = await this.repo.knowledgeCounts(m, this.clock.now());
      const whistles = await this.whistleCounters(m, r, f, 'none');
      return {
        ...this.period(r),
        filters: await this.filtersView(m, q, f),
        ...metrics,
        ...(departmentId ? (knowledge.get(departmentId) ?? NO_KNOWLEDGE) : sumKnowledge(knowledge)),
        ...whistleMetricsOf(whistles.get('')),
        targets: checkTargets(metrics, targets.thresholds),
      };
    });
  }

  /**
   * The department ranking (SPEC §4). From the rollups: ONE statement (ReportsRepository.ranking) gives
   * every department with its counters, knowledge and whistle figures in one snapshot; the filters are
   * resolved before it (reference data). `raw` recomputes the same figures from the raw rows in a
   * snapshot (consistency test, bench baseline).
   */
  async departments(q: FilterQuery, source: 'rollup' | 'raw' = 'rollup') {
    const r = this.range(q);
    const { targets, departments, filters, freshness } = await this.routeSnapshot(async (m) => ({
      targets: await this.targets(m),
      ...(source === 'rollup' ? await this.rankingFromRollups(m, q, r) : await this.rankingFromRaw(m, q, r)),
    }));
    const rows = departments.map((d) => {
      const metrics = metricsOf(d.counters, targets.scoreWeights);
      return {
        departmentId: d.id,
        code: d.code,
        name: d.name,
        ...metrics,
        ...d.knowledge,
        ...whistleMetricsOf(d.whistles),
        met: met(metrics, targets),
      };
    });
    return {
      ...this.period(r),
      freshness,
      filters,
      minSample: targets.minSample,
      targets: targets.thresholds,
      items: rank(rows, targets.minSample).map(
        ({ departmentId, code, name, rank, insufficientSample, ...rest }) => ({
          departmentId,
          code,
          name,
          rank,
          insufficientSample,
          ...rest,
        }),
      ),
    };
  }

  private async rankingFromRollups(m: EntityManager, q: FilterQuery, r: Range) {
    const f = await this.filter(m, { ...q, departmentId: undefined });
    const departments = await this.repo.ranking(m, this.spec(r, f, 'department'));
    return { departments, filters: await this.filtersView(m, q, f) };
  }

  private async rankingFromRaw(m: EntityManager, q: FilterQuery, r: Range) {
    const list: { id: string; code: string; name: string }[] = await m.query(
      `SELECT id, code, name FROM departments ORDER BY code`,
    );
    const f = await this.filter(m, { ...q, departmentId: undefined });
    const grouped = await this.rawCounters(m, r, f, 'department');
    const knowledge = await this.repo.knowledgeCounts(m, this.clock.now());
    const whistles = await this.whistleCounters(m, r, f, 'department');
    const departments = list.map((d) => ({
      ...d,
      counters: grouped.get(d.id) ?? zeroCounters(),
      knowledge: knowledge.get(d.id) ?? NO_KNOWLEDGE,
      whistles: whistles.get(d.id) ?? NO_WHISTLES,
    }));
    return { departments, filters: await this.filtersView(m, q, f) };
  }

  async trend(q: TrendQuery, source: 'rollup' | 'raw' = 'rollup') {
    const r = this.range(q);
    const interval: Interval = q.interval ?? 'day';
    // bucketed in SQL: one row per period, not per day
    const { grouped, filters, whistles, targets, freshness } = await this.routeSnapshot(async (m) => {
      const f = await this.filter(m, q);
      return {
        targets: await this.targets(m),
        grouped:
          source === 'rollup'
            ? await this.counters(m, r, f, interval)
            : await this.rawCounters(m, r, f, interval),
        filters: await this.filtersView(m, q, f),
        whistles: await this.whistleCounters(m, r, f, interval),
      };
    });
    const buckets = new Map(
      bucketsBetween(r.from, r.to, interval, this.days).map((b) => [b, zeroCounters()]),
    );
    for (const [day, c] of grouped) {
      const b = buckets.get(bucketOf(day, interval));
      if (b) addCounters(b, c);
    }
    return {
      ...this.period(r),
      filters,
      interval,
      targets: targets.thresholds,
      freshness,
      items: [...buckets].map(([start, c]) => {
        const metrics = metricsOf(c, targets.scoreWeights);
        return {
          periodStart: this.days.format(this.days.startOf(start)),
          ...metrics,
          ...whistleMetricsOf(whistles.get(start)),
          met: met(metrics, targets),
        };
      }),
    };
  }

  async categories(q: SummaryQuery, source: 'rollup' | 'raw' = 'rollup') {
    const r = this.range(q);
    return this.routeSnapshot(async (m) => {
      const targets = await this.targets(m);
      const categories: { code: string; name: string; parentCode: string | null }[] = await m.query(
        `SELECT code, name, parent_code AS "parentCode" FROM categories ORDER BY code`,
      );
      const f = await this.filter(m, q);
      const grouped =
        source === 'rollup'
          ? await this.counters(m, r, f, 'category')
          : await this.rawCounters(m, r, f, 'category');
      const whistles = await this.whistleCounters(m, r, f, 'category');
      let total = 0;
      for (const c of grouped.values()) total += c.received;
      const items = categories.map((cat) => {
        const metrics = metricsOf(grouped.get(cat.code) ?? zeroCounters(), targets.scoreWeights);
        return {
          categoryCode: cat.code,
          name: cat.name,
          parentCode: cat.parentCode,
          share: total === 0 ? null : metrics.received / total,
          ...metrics,
          ...whistleMetricsOf(whistles.get(cat.code)),
          met: met(metrics, targets),
        };
      });
      items.sort((a, b) => b.received - a.received || a.categoryCode.localeCompare(b.categoryCode));
      return {
        ...this.period(r),
        filters: await this.filtersView(m, q, f),
        targets: targets.thresholds,
        totalReceived: total,
        items,
      };
    });
  }

  /**
   * SPEC §8.1: the meetings held in the period (by heldAt) with their issues' figures, read straight from
   * the meetings and their appeals (through the covering index on meeting_id) in one snapshot. Without
   * `limit` or `cursor` every meeting is a row (`nextCursor: null`); with them, a keyset page of meetings
   * in (heldAt, id) order (SPEC §5 lists).
   *
   * The totals are the whole period's, never the page's, and are computed once per paging: the first page
   * sums them in SQL (one statement) and its `nextCursor` carries them, with the period, signed
   * (meeting-cursor.ts), so a later page reads only its own rows and answers the same totals and period as
   * the first — the figures as that first page's snapshot saw them. `raw` recomputes everything from the
   * surveys table and the event log on every page, a carried cursor's totals included (tests, bench).
   */
  async meetings(q: MeetingsReportQuery, source: 'indexed' | 'raw' = 'indexed') {
    const paged = q.limit !== undefined || q.cursor !== undefined;
    const scope = { district: q.district, leaderLed: q.leaderLed };
    const carried =
      q.cursor === undefined ? null : readMeetingsCursor(this.meetingsCursorKey, scope, q.cursor);
    const r = carried ? this.pagingRange(q, carried) : this.range(q);
    return this.routeSnapshot(async (m) => {
      const district =
        q.district === undefined ? undefined : await this.districts.resolve(q.district, 'district', m);
      const slice = { ...r, district, leaderLed: q.leaderLed };
      const limit = q.limit ?? DEFAULT_PAGE;
      const rows = await this.repo.meetingRows(
        m,
        slice,
        source,
        paged ? { limit: limit + 1, after: carried?.after ?? null } : undefined,
      );
      const totals =
        carried && source === 'indexed' ? carried.totals : await this.repo.meetingTotals(m, slice, source);
      const items = paged && rows.length > limit ? rows.slice(0, limit) : rows;
      const last = items[items.length - 1];
      const nextCursor =
        items.length < rows.length
          ? writeMeetingsCursor(this.meetingsCursorKey, scope, {
              after: { heldAt: last.heldAtKey, id: last.meetingId },
              from: r.from,
              to: r.to,
              totals,
            })
          : null;
      return {
        ...this.period(r),
        filters: {
          district: district ?? null,
          districtName: await this.districts.nameOf(district ?? null, m),
          leaderLed: q.leaderLed ?? null,
        },
        ...meetingsReport(totals, items),
        nextCursor,
      };
    });
  }

  /** The cursor's HMAC key, derived from the server's secret. */
  private get meetingsCursorKey(): Buffer {
    return (this.cursorKey ??= meetingsCursorKey(this.config.jwtSecret));
  }
  private cursorKey?: Buffer;

  /**
   * A later page's period is its paging's, as the first page resolved it (a `to` left to "now" does not
   * move between pages); a `from` or `to` the query gives must name that same period, or the cursor
   * belongs to another paging (400).
   */
  private pagingRange(q: MeetingsReportQuery, carried: MeetingsPaging): Range {
    const same = (given: string | undefined, edge: 'start' | 'end', at: Date) =>
      given === undefined || this.days.queryInstant(given, edge).getTime() === at.getTime();
    if (!same(q.from, 'start', carried.from) || !same(q.to, 'end', carried.to)) throw notThisPaging();
    return { from: carried.from, to: carried.to };
  }

  /**
   * SPEC §12: the whistles requested in the period (by their request time), as Heze publishes them, in
   * total and by convening department, read from the rows in one snapshot: exact at every moment.
   */
  async whistles(q: DistrictReportQuery) {
    const r = this.range(q);
    return this.routeSnapshot(async (m) => {
      const district =
        q.district === undefined ? undefined : await this.districts.resolve(q.district, 'district', m);
      const rows = await this.repo.whistleRows(m, { ...r, district });
      const departments: { id: string; code: string; name: string }[] = await m.query(
        `SELECT id, code, name FROM departments`,
      );
      return {
        ...this.period(r),
        filters: {
          district: district ?? null,
          districtName: await this.districts.nameOf(district ?? null, m),
        },
        ...whistlesReport(rows, new Map(departments.map((d) => [d.id, d]))),
      };
    });
  }

  // ---- targets ----------------------------------------------------------------------------------

  async targets(m: EntityManager = this.db.manager): Promise<Targets> {
    const row = await m.getRepository(ReportTargetsRow).findOneByOrFail({ id: 1 });
    return { thresholds: row.thresholds, scoreWeights: row.scoreWeights, minSample: row.minSample };
  }

  async targetsView() {
    const row = await this.db.getRepository(ReportTargetsRow).findOneByOrFail({ id: 1 });
    return targetsView(row);
  }

  async putTargets(dto: PutTargetsDto, actor: Actor) {
    if (dto.scoreWeights) {
      const w = dto.scoreWeights;
      const sum = w.responseRate + w.resolutionRate + w.satisfactionRate;
      if (Math.abs(sum - 1) > 1e-9)
        throw DomainError.validation('scoreWeights must sum to 1', [
          { field: 'scoreWeights', message: `the weights sum to ${sum}, not 1` },
        ]);
    }
    return this.db.transaction(async (m) => {
      const repo = m.getRepository(ReportTargetsRow);
      const row = await repo.findOneOrFail({ where: { id: 1 }, lock: { mode: 'pessimistic_write' } });
      const thresholds = { ...row.thresholds };
      for (const k of TARGET_METRIC_NAMES) {
        const v = dto[k];
        if (v === null) delete thresholds[k];
        else if (v !== undefined) thresholds[k] = v;
      }
      const next = {
        thresholds,
        scoreWeights: dto.scoreWeights
          ? {
              responseRate: dto.scoreWeights.responseRate,
              resolutionRate: dto.scoreWeights.resolutionRate,
              satisfactionRate: dto.scoreWeights.satisfactionRate,
            }
          : row.scoreWeights,
        minSample: dto.minSample ?? row.minSample,
        updatedAt: this.clock.now(),
        updatedBy: actor.id,
      };
      await repo.update({ id: 1 }, next);
      return targetsView({ ...row, ...next });
    });
  }
}

function targetsView(row: ReportTargetsRow) {
  return {
    ...Object.fromEntries(TARGET_METRIC_NAMES.map((k) => [k, row.thresholds[k] ?? null])),
    scoreWeights: row.scoreWeights,
    minSample: row.minSample,
    updatedAt: row.updatedAt,
  };
}

function met(metrics: Metrics, targets: Targets): Record<string, boolean | null> {
  return metMap(checkTargets(metrics, targets.thresholds));
}

function merge(parts: Grouped[]): Grouped {
  const out: Grouped = new Map();
  for (const part of parts)
    for (const [g, c] of part) out.set(g, addCounters(out.get(g) ?? zeroCounters(), c));
  return out;
}

export type { TargetCheck, Counters };
export { NIL_DEPARTMENT };
