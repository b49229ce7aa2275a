import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/domain-error';
import { Lanes } from '../../common/lanes';
import { RecentSet } from '../../common/recent-set';
import { decodeCursor, Page, ReferenceListQuery, toReferencePage } from '../../common/pagination';
import { QueueService } from '../../infra/queue/queue.service';
import {
  Appeal,
  KnowledgeSuggestion,
  PossibleDuplicate,
  SuggestedRouting,
} from '../appeals/entities/appeal.entity';
import { Annotation, AppealWriter, Change, Step } from '../appeals/appeal-writer';
import { AssignmentActions } from '../assignments/assignment.actions';
import type { Actor } from '../auth/auth.decorators';
import { CategoriesService } from '../categories/categories.service';
import { DepartmentsService } from '../departments/departments.service';
import { DistrictsService } from '../districts/districts.service';
import { KnowledgeService } from '../knowledge/knowledge.service';
import { OPEN_STATUSES } from '../workflow/appeal-state-machine';
import { claimStart, nextClaimFrom } from './routing-claim';
import { decideRouting, nearestDefault, normalizeKeywords } from './routing-match';
import { RoutingRule } from './routing-rule.entity';
import { CreateRoutingRuleDto, RoutingRuleView, UpdateRoutingRuleDto } from './routing.dto';

export interface AutoRouteDecision {
  suggestion: SuggestedRouting | null;
  autoDispatch: boolean;
  duplicates: PossibleDuplicate[];
  /** SPEC §10: published entries that may answer it, for the centre */
  knowledge: KnowledgeSuggestion[];
}
export type AutoRouteOutcome =
  'dispatched' | 'suggested' | 'unrouted' | 'skipped' | 'already_routed' | 'busy' | 'missing';

/** What routing reads of an appeal: none of it changes after filing. */
export type RoutingInput = Pick<
  Appeal,
  'id' | 'number' | 'enterpriseId' | 'categoryCode' | 'title' | 'content' | 'district' | 'createdAt'
>;
/** The columns of RoutingInput, named as its fields: a claim of 200 appeals reads plain rows, no entities. */
const inputColumns = (a: string) =>
  `${a}.id, ${a}.number, ${a}.enterprise_id AS "enterpriseId", ${a}.category_code AS "categoryCode", ` +
  `${a}.title, ${a}.content, ${a}.district, ${a}.created_at AS "createdAt"`;

/** 重复件: title or content at least this similar (pg_trgm) to an open appeal of the same enterprise. */
export const DUPLICATE_SIMILARITY = 0.4;
export const DUPLICATE_WINDOW_DAYS = 30;
const MAX_DUPLICATES = 10;
/**
 * Only the enterprise's latest open appeals in the window are compared: the cost of a routing job stays
 * bounded however many an enterprise files (a real one has a handful open; a bulk filer has thousands).
 */
export const DUPLICATE_CANDIDATES = 50;
/** The sweeper leaves a new appeal this long to its own routing job before routing it itself. */
const SWEEP_GRACE_MS = 10_000;
const SWEEP_BATCH = 500;
/** Appeals routed per transaction: a job routes its own appeal and the oldest other unrouted ones. */
const ROUTE_BATCH = 200;
/**
 * Routing batches one process runs at once. The jobs beyond wait for a lane and mostly find their
 * appeal routed by then (one primary-key read); a burst is routed in fewer, fuller batches, and a claim
 * skips at most the appeals of the other lanes' batches (in flight) before reaching unclaimed ones.
 */
const ROUTE_LANES = 3;
/** Appeals this process's committed batches routed lately, so their own jobs need not ask the database. */
const ROUTED_MEMO = 50_000;

/**
 * The duplicate candidates of appeal `x` (SQL over `x`; $2 now, $3 the window in days, $4 the open
 * statuses): the enterprise's latest DUPLICATE_CANDIDATES open appeals filed before it within the window.
 */
const CANDIDATES = `
  SELECT id, number, title, content, created_at FROM appeals
  WHERE enterprise_id = x.enterprise_id AND id <> x.id
    AND created_at >= $2::timestamptz - make_interval(days => $3)
    AND created_at <= x.created_at AND (created_at, number) < (x.created_at, x.number)
    AND status = ANY($4)
  ORDER BY created_at DESC
  LIMIT ${DUPLICATE_CANDIDATES}`;

/**
 * Automatic routing (SPEC §2): rules, the category default as fallback, duplicate detection.
 * A new appeal is routed by a `routing.route` job after its filing commits; the sweeper finds appeals
 * whose job was lost. Routing decides read-only, then writes once through the appeal writer, which
 * checks `routed_at` under the row lock: a job that runs twice (retry, sweep, two workers) does nothing
 * the second time.
 */
@Injectable()
export class RoutingService {
  private readonly logger = new Logger(RoutingService.name);
  /** Appeals a handler of this process is routing now: concurrent handlers take different batches. */
  private readonly inFlight = new Set<string>();
  private claiming: Promise<void> = Promise.resolve();
  /**
   * Where this process's next claim starts scanning: the created_at of the oldest appeal the last claim
   * took besides its own (it and everything older was unrouted-and-free no more, or in flight), or of
   * the last claim's own appeal when it found no other. Null until the first claim, which scans from the
   * index's start. An appeal older than it that is still unrouted (its transaction committed late, or
   * its batch failed) is routed by its own job, whose claim starts at it, or by the sweeper's.
   */
  private claimFrom: Date | null = null;
  private readonly lanes = new Lanes(ROUTE_LANES);
  private readonly routedHere = new RecentSet<string>(ROUTED_MEMO);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly queue: QueueService,
    private readonly writer: AppealWriter,
    private readonly assignments: AssignmentActions,
    private readonly departments: DepartmentsService,
    private readonly categories: CategoriesService,
    private readonly districts: DistrictsService,
    private readonly knowledge: KnowledgeService,
  ) {}

  // ---- rules (admin) ----------------------------------------------------------------------------

  async createRule(dto: CreateRoutingRuleDto, actor: Actor): Promise<RoutingRuleView> {
    const co = [...new Set(dto.coDepartmentIds ?? [])];
    if (co.includes(dto.leadDepartmentId)) {
      throw DomainError.validation('the lead department cannot also co-handle', [
        { field: 'coDepartmentIds', message: 'must not contain the lead' },
      ]);
    }
    const keywords = normalizeKeywords(dto.keywords ?? []);
    if ((dto.keywords?.length ?? 0) > 0 && keywords.length === 0) {
      throw DomainError.validation('keywords must not be blank', [{ field: 'keywords', message: 'blank' }]);
    }
    return this.db.transaction(async (m) => {
      const district = dto.district?.trim()
        ? await this.districts.resolve(dto.district, 'district', m)
        : null;
      if (dto.categoryCode) await this.categories.getByCode(dto.categoryCode, 'categoryCode', m);
      await this.departments.requireAll([dto.leadDepartmentId], 'leadDepartmentId', m);
      await this.departments.requireAll(co, 'coDepartmentIds', m);
      const repo = m.getRepository(RoutingRule);
      const rule = repo.create({
        priority: dto.priority,
        categoryCode: dto.categoryCode ?? null,
        keywords,
        district,
        leadDepartmentId: dto.leadDepartmentId,
        coDepartmentIds: co,
        autoDispatch: dto.autoDispatch,
        enabled: true,
        createdBy: actor.id,
        createdAt: this.clock.now(),
      });
      await repo.insert(rule);
      return (await this.ruleViews(m, [rule]))[0];
    });
  }

  /**
   * Every rule, highest priority first — the order in which they are tried (SPEC §5.1: reference lists
   * are whole) — or a page when `limit` asks.
   */
  async listRules(query: ReferenceListQuery = {}): Promise<Page<RoutingRuleView>> {
    const after = decodeCursor(query.cursor, ['p', 't', 'id']);
    const qb = this.db
      .getRepository(RoutingRule)
      .createQueryBuilder('r')
      .orderBy('r.priority', 'DESC')
      .addOrderBy('r.created_at', 'ASC')
      .addOrderBy('r.id', 'ASC');
    if (after)
      qb.where('(r.priority < :p OR (r.priority = :p AND (r.created_at, r.id) > (:t, :id)))', {
        p: Number(after.p),
        t: new Date(after.t),
        id: after.id,
      });
    if (query.limit !== undefined) qb.take(query.limit + 1);
    const views = await this.ruleViews(this.db.manager, await qb.getMany());
    return toReferencePage(views, query.limit, (r) => ({
      p: r.priority,
      t: r.createdAt.toISOString(),
      id: r.id,
    }));
  }

  async updateRule(id: string, dto: UpdateRoutingRuleDto): Promise<RoutingRuleView> {
    const repo = this.db.getRepository(RoutingRule);
    const rule = await repo.findOneBy({ id });
    if (!rule) throw DomainError.notFound('routing rule');
    Object.assign(rule, Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)));
    await repo.save(rule);
    return (await this.ruleViews(this.db.manager, [rule]))[0];
  }

  /** Rules with the names beside their ids and codes: departments, category, district (SPEC §5.1). */
  private async ruleViews(m: EntityManager, rules: RoutingRule[]): Promise<RoutingRuleView[]> {
    const departments = await this.departments.names(
      rules.flatMap((r) => [r.leadDepartmentId, ...r.coDepartmentIds]),
      m,
    );
    const categories = await this.categories.names(
      rules.map((r) => r.categoryCode),
      m,
    );
    const districts = await this.districts.names(
      rules.map((r) => r.district),
      m,
    );
    return rules.map((r) => ({
      id: r.id,
      priority: r.priority,
      categoryCode: r.categoryCode,
      categoryName: r.categoryCode ? (categories.get(r.categoryCode) ?? null) : null,
      keywords: r.keywords,
      district: r.district,
      districtName: r.district ? (districts.get(r.district) ?? null) : null,
      leadDepartmentId: r.leadDepartmentId,
      leadDepartmentName: departments.get(r.leadDepartmentId) ?? null,
      coDepartmentIds: r.coDepartmentIds,
      coDepartments: r.coDepartmentIds.map((id) => ({ id, name: departments.get(id) ?? null })),
      autoDispatch: r.autoDispatch,
      enabled: r.enabled,
      createdBy: r.createdBy,
      createdAt: r.createdAt,
    }));
  }

  async deleteRule(id: string): Promise<void> {
    const result = await this.db.getRepository(RoutingRule).delete({ id });
    if (!result.affected) throw DomainError.notFound('routing rule');
  }

  // ---- routing ----------------------------------------------------------------------------------

  /**
   * Automatic routing (智能分拨) of a newly filed appeal, as the system, at most once — and, in the same
   * go, of other unrouted appeals (up to ROUTE_BATCH), so a burst of filings is routed in a few
   * transactions instead of one each; their own jobs then find them routed. Resolves with what
   * happened to this appeal. With `recheck` (the sweeper's jobs), whether it is routed is asked of the
   * database even when a batch of this process routed it.
   */
  async route(appealId: string, opts: { recheck?: boolean } = {}): Promise<AutoRouteOutcome> {
    const remembered = () => !opts.recheck && this.routedHere.has(appealId);
    // another handler of this process has it in its batch, or a committed batch of this process routed it
    if (this.inFlight.has(appealId)) return 'busy';
    if (remembered()) return 'already_routed';
    return this.lanes.run(async () => {
      // a batch that ran while this job waited for its lane may have taken it
      if (this.inFlight.has(appealId)) return 'busy';
      if (remembered()) return 'already_routed';
      // most jobs of a burst find their appeal routed by another's batch: routed_at answers before the rest
      const [row]: (RoutingInput & { routedAt: Date | null })[] = await this.db.query(
        `SELECT a.routed_at AS "routedAt", ${inputColumns('a')} FROM appeals a WHERE a.id = $1`,
        [appealId],
      );
      if (!row) return 'missing';
      const { routedAt, ...own } = row;
      if (routedAt) return 'already_routed';
      // busy with another process's batch: that one routes it, or, if it fails, the sweeper does
      return (await this.routeMany(own)).get(appealId) ?? 'busy';
    });
  }

  /**
   * Decides read-only, from the appeals as filed (what routing reads — category, title, content,
   * district — does not change after filing), then writes once through the writer, which locks the
   * appeals and checks `routed_at` under the lock: a job that runs twice (retry, sweep, two workers)
   * does nothing the second time. A dispatch goes through the dispatcher's own code path.
   */
  private async routeMany(own: RoutingInput): Promise<Map<string, AutoRouteOutcome>> {
    const appeals = await this.claim(own);
    const ids = appeals.map((a) => a.id);
    try {
      const decisions = await this.decideMany(appeals, this.clock.now());
      const outcomes = new Map<string, AutoRouteOutcome>();
      await this.writer.changeMany(
        async () => ids,
        async (steps) => {
          const results = new Map<string, Change | Annotation | null>();
          for (const step of steps) {
            const [outcome, result] = await this.routeOne(step, decisions.get(step.appeal.id)!);
            outcomes.set(step.appeal.id, outcome);
            results.set(step.appeal.id, result);
          }
          return results;
        },
        { skipLocked: true },
      );
      // committed: routed by this batch, or found routed under its lock
      for (const [id, outcome] of outcomes) if (outcome !== 'busy') this.routedHere.add(id);
      return outcomes;
    } finally {
      ids.forEach((id) => this.inFlight.delete(id));
    }
  }

  private async routeOne(
    step: Step,
    d: AutoRouteDecision,
  ): Promise<[AutoRouteOutcome, Change | Annotation | null]> {
    const { appeal, now } = step;
    if (appeal.routedAt) return ['already_routed', null];
    const annotate = {
      routedAt: now,
      suggestedRouting: d.suggestion,
      possibleDuplicates: d.duplicates,
      knowledgeSuggestions: d.knowledge,
    };
    if (d.suggestion && d.autoDispatch && appeal.status === 'submitted') {
      try {
        const dispatch = await this.assignments.dispatchChange(step, {
          leadDepartmentId: d.suggestion.leadDepartmentId,
          coDepartmentIds: d.suggestion.coDepartmentIds,
          note: null,
          extra: { routingRuleId: d.suggestion.ruleId, source: d.suggestion.source },
        });
        return ['dispatched', { ...dispatch, patch: { ...dispatch.patch, ...annotate } }];
      } catch (err) {
        // a rule naming a department that no longer exists: the dispatcher gets the suggestion instead
        if (!(err instanceof DomainError)) throw err;
        this.logger.warn(`automatic dispatch of ${appeal.id} left to the dispatcher: ${err.message}`);
      }
    }
    const outcome = appeal.status !== 'submitted' ? 'skipped' : d.suggestion ? 'suggested' : 'unrouted';
    // routing notes only: not a change of the appeal's state, so no new version for the dispatcher to trip on
    return [outcome, { annotate }];
  }

  /**
   * This appeal and the oldest other unrouted ones no handler of this process is routing already
   * (routing_pending), marked in flight, with what routing reads of them. One claim at a time per process,
   * so concurrent handlers take disjoint batches instead of racing for the same rows.
   *
   * The scan starts where the last claim found its oldest (see claimFrom), or at this appeal if it is
   * older: until vacuum, every routed appeal leaves a dead entry in routing_pending's index, and a claim
   * from the index's start would read each of them (from the partial index of appeals that routing_pending
   * replaced, about 20,000 entries and 4,500 heap pages after a minute of filing: 55–67 ms a claim).
   */
  private claim(own: RoutingInput): Promise<RoutingInput[]> {
    const claimed = this.claiming.then(async () => {
      const from = claimStart(this.claimFrom, own.createdAt);
      const others: RoutingInput[] = await this.db.query(
        `SELECT ${inputColumns('a')} FROM routing_pending p JOIN appeals a ON a.id = p.appeal_id
         WHERE p.appeal_id <> ALL($1::uuid[]) AND ($2::timestamptz IS NULL OR p.created_at >= $2)
         ORDER BY p.created_at LIMIT ${ROUTE_BATCH - 1}`,
        [[own.id, ...this.inFlight], from],
      );
      this.claimFrom = nextClaimFrom(from, own.createdAt, others[0]?.createdAt ?? null);
      const appeals = [own, ...others];
      appeals.forEach((a) => this.inFlight.add(a.id));
      return appeals;
    });
    this.claiming = claimed.then(
      () => undefined,
      () => undefined,
    );
    return claimed;
  }

  /**
   * Rules, then the category default; and the duplicates and the knowledge suggestions (SPEC §10),
   * whatever the routing says.
   */
  private async decideMany(appeals: RoutingInput[], now: Date): Promise<Map<string, AutoRouteDecision>> {
    const m = this.db.manager;
    const rules = await m.getRepository(RoutingRule).find({ where: { enabled: true } });
    const paths = await this.categoryPaths(m, [...new Set(appeals.map((a) => a.categoryCode))]);
    const duplicates = await this.findDuplicates(m, appeals, now);
    const knowledge = await this.knowledge.suggestFor(appeals, now);
    return new Map(
      appeals.map((appeal): [string, AutoRouteDecision] => {
        const path = paths.get(appeal.categoryCode) ?? [];
        const decision = decideRouting(
          rules,
          {
            categoryPath: path.map((c) => c.code),
            title: appeal.title,
            content: appeal.content,
            district: appeal.district,
          },
          nearestDefault(path),
        );
        const dups = duplicates.get(appeal.id) ?? [];
        const entries = knowledge.get(appeal.id) ?? [];
        if (decision.source === 'none')
          return [appeal.id, { suggestion: null, autoDispatch: false, duplicates: dups, knowledge: entries }];
        const suggestion: SuggestedRouting = {
          leadDepartmentId: decision.leadDepartmentId,
          coDepartmentIds: decision.coDepartmentIds,
          source: decision.source,
          ruleId: decision.source === 'rule' ? decision.rule.id : null,
        };
        return [
          appeal.id,
          { suggestion, autoDispatch: decision.autoDispatch, duplicates: dups, knowledge: entries },
        ];
      }),
    );
  }

  /** Each category and its ancestors, nearest first (the tree is shallow; the cycle guard is cheap). */
  private async categoryPaths(
    m: EntityManager,
    codes: string[],
  ): Promise<Map<string, { code: string; defaultDepartmentId: string | null }[]>> {
    const rows: { start: string; code: string; default_department_id: string | null }[] = await m.query(
      `WITH RECURSIVE up(start, code, parent_code, default_department_id, depth) AS (
         SELECT code, code, parent_code, default_department_id, 0 FROM categories WHERE code = ANY($1)
         UNION ALL
         SELECT up.start, c.code, c.parent_code, c.default_department_id, up.depth + 1
         FROM categories c JOIN up ON c.code = up.parent_code WHERE up.depth < 20)
       SELECT start, code, default_department_id FROM up ORDER BY start, depth`,
      [codes],
    );
    const paths = new Map<string, { code: string; defaultDepartmentId: string | null }[]>();
    for (const r of rows)
      paths.set(r.start, [
        ...(paths.get(r.start) ?? []),
        { code: r.code, defaultDepartmentId: r.default_department_id },
      ]);
    return paths;
  }

  /**
   * 重复件: for each appeal, earlier open appeals of the same enterprise within 30 days whose title or
   * content is similar by trigram similarity — computed in PostgreSQL, one statement for the batch, over
   * each enterprise's latest 50 such appeals, found through ix_appeals_enterprise_created. Each appeal's
   * trigram sets are extracted once, when it is routed (appeal_signatures, the first statement), and
   * compared as stored sets: pg_trgm's similarity over pg_trgm's trigrams without extracting them again for
   * every pair, identical sets at once, and sets whose sizes alone rule out the threshold not at all.
   */
  private async findDuplicates(
    m: EntityManager,
    appeals: RoutingInput[],
    now: Date,
  ): Promise<Map<string, PossibleDuplicate[]>> {
    const ids = appeals.map((a) => a.id);
    // the signatures of these appeals, each extracted once (its own statement, so the rows are there for
    // the next one and for later batches). A candidate has its own from when it was routed; one not routed
    // yet (its batch in flight, or filed before signatures existed) is compared with similarity().
    await m.query(
      `INSERT INTO appeal_signatures (appeal_id, title_trgm, content_trgm)
       SELECT a.id, trgm_signature(a.title), trgm_signature(a.content) FROM appeals a
       WHERE a.id = ANY($1::uuid[])
         AND NOT EXISTS (SELECT 1 FROM appeal_signatures s WHERE s.appeal_id = a.id)
       ORDER BY a.id -- concurrent batches insert overlapping keys in one order: no deadlock
       ON CONFLICT (appeal_id) DO NOTHING`,
      [ids],
    );
    const rows: { for_id: string; id: string; number: string; title: string; sim: number }[] = await m.query(
      `SELECT x.id AS for_id, d.id, d.number, d.title, d.sim
       FROM appeals x JOIN appeal_signatures xs ON xs.appeal_id = x.id CROSS JOIN LATERAL (
         SELECT id, number, title, sim FROM (
           SELECT r.id, r.number, r.title, r.created_at,
                  CASE WHEN s.appeal_id IS NULL
                       THEN GREATEST(similarity(r.title, x.title), similarity(r.content, x.content))
                       ELSE GREATEST(trgm_signature_similarity(s.title_trgm, xs.title_trgm, $5),
                                     trgm_signature_similarity(s.content_trgm, xs.content_trgm, $5)) END AS sim
           FROM (${CANDIDATES}) AS r
           LEFT JOIN appeal_signatures s ON s.appeal_id = r.id
           OFFSET 0 -- keeps the subquery: each similarity is computed once, not again for the sort
         ) AS scored
         WHERE sim >= $5
         ORDER BY sim DESC, created_at DESC
         LIMIT ${MAX_DUPLICATES}) AS d
       WHERE x.id = ANY($1)`,
      [ids, now, DUPLICATE_WINDOW_DAYS, OPEN_STATUSES, DUPLICATE_SIMILARITY],
    );
    const found = new Map<string, PossibleDuplicate[]>();
    for (const r of rows) {
      const dup = {
        appealId: r.id,
        number: r.number,
        title: r.title,
        similarity: Math.round(Number(r.sim) * 1000) / 1000,
      };
      found.set(r.for_id, [...(found.get(r.for_id) ?? []), dup]);
    }
    return found;
  }

  /** Appeals no routing job has handled 10 s after filing: their job was lost; route them now. */
  async sweep(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - SWEEP_GRACE_MS);
    const rows: { id: string }[] = await this.db.query(
      `SELECT appeal_id AS id FROM routing_pending WHERE created_at <= $1 ORDER BY created_at LIMIT ${SWEEP_BATCH}`,
      [cutoff],
    );
    if (rows.length === 0) return 0;
    // a fresh job id per sweep: the lost job's id may still be held by a failed job
    const stamp = Math.floor(this.clock.now().getTime() / 1000);
    await this.queue.addBulk(
      'routing.route',
      rows.map((r) => ({ data: { appealId: r.id, recheck: true }, opts: { key: [r.id, 'sweep', stamp] } })),
    );
    return rows.length;
  }
}
