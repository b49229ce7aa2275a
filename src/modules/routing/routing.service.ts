import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/domain-error';
import { QueueService } from '../../infra/queue/queue.service';
import { Appeal, PossibleDuplicate, SuggestedRouting } from '../appeals/entities/appeal.entity';
import { AppealWriter, SYSTEM_ACTOR } from '../appeals/write/appeal-writer';
import { CentreActions } from '../appeals/write/centre.actions';
import type { Actor } from '../auth/auth.decorators';
import { CategoriesService } from '../categories/categories.service';
import { DepartmentsService } from '../departments/departments.service';
import { OPEN_STATUSES } from '../workflow/appeal-state-machine';
import { decideRouting, nearestDefault, normalizeKeywords } from './routing-match';
import { RoutingRule } from './routing-rule.entity';
import { CreateRoutingRuleDto, UpdateRoutingRuleDto } from './routing.dto';

export interface AutoRouteDecision {
  suggestion: SuggestedRouting | null;
  autoDispatch: boolean;
  duplicates: PossibleDuplicate[];
}
export type AutoRouteOutcome =
  'dispatched' | 'suggested' | 'unrouted' | 'skipped' | 'already_routed' | 'missing';

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

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly queue: QueueService,
    private readonly writer: AppealWriter,
    private readonly centre: CentreActions,
    private readonly departments: DepartmentsService,
    private readonly categories: CategoriesService,
  ) {}

  // ---- rules (admin) ----------------------------------------------------------------------------

  async createRule(dto: CreateRoutingRuleDto, actor: Actor): Promise<RoutingRule> {
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
      if (dto.categoryCode) await this.categories.getByCode(dto.categoryCode, 'categoryCode', m);
      await this.departments.requireAll([dto.leadDepartmentId], 'leadDepartmentId', m);
      await this.departments.requireAll(co, 'coDepartmentIds', m);
      const repo = m.getRepository(RoutingRule);
      const rule = repo.create({
        priority: dto.priority,
        categoryCode: dto.categoryCode ?? null,
        keywords,
        district: dto.district?.trim() || null,
        leadDepartmentId: dto.leadDepartmentId,
        coDepartmentIds: co,
        autoDispatch: dto.autoDispatch,
        enabled: true,
        createdBy: actor.id,
        createdAt: this.clock.now(),
      });
      await repo.insert(rule);
      return rule;
    });
  }

  listRules(): Promise<RoutingRule[]> {
    return this.db
      .getRepository(RoutingRule)
      .find({ order: { priority: 'DESC', createdAt: 'ASC', id: 'ASC' } });
  }

  async updateRule(id: string, dto: UpdateRoutingRuleDto): Promise<RoutingRule> {
    const repo = this.db.getRepository(RoutingRule);
    const rule = await repo.findOneBy({ id });
    if (!rule) throw DomainError.notFound('routing rule');
    Object.assign(rule, Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)));
    await repo.save(rule);
    return rule;
  }

  async deleteRule(id: string): Promise<void> {
    const result = await this.db.getRepository(RoutingRule).delete({ id });
    if (!result.affected) throw DomainError.notFound('routing rule');
  }

  // ---- routing ----------------------------------------------------------------------------------

  /**
   * Automatic routing (智能分拨) of a newly filed appeal, as the system, at most once. The decision is
   * made before the lock, from the appeal as filed (what routing reads — category, title, content,
   * district — does not change after filing); a dispatch goes through the dispatcher's own code path.
   */
  async route(appealId: string): Promise<AutoRouteOutcome> {
    const filed = await this.db.getRepository(Appeal).findOneBy({ id: appealId });
    if (!filed) return 'missing';
    if (filed.routedAt) return 'already_routed';
    const d = await this.decide(this.db.manager, filed, this.clock.now());
    let outcome: AutoRouteOutcome = 'already_routed';
    await this.writer.change(appealId, SYSTEM_ACTOR, undefined, async (step) => {
      const { appeal, now } = step;
      if (appeal.routedAt) return null;
      const annotate = { routedAt: now, suggestedRouting: d.suggestion, possibleDuplicates: d.duplicates };
      if (d.suggestion && d.autoDispatch && appeal.status === 'submitted') {
        outcome = 'dispatched';
        const dispatch = await this.centre.dispatchChange(step, {
          leadDepartmentId: d.suggestion.leadDepartmentId,
          coDepartmentIds: d.suggestion.coDepartmentIds,
          note: null,
          extra: { routingRuleId: d.suggestion.ruleId, source: d.suggestion.source },
        });
        return { ...dispatch, patch: { ...dispatch.patch, ...annotate } };
      }
      outcome = appeal.status !== 'submitted' ? 'skipped' : d.suggestion ? 'suggested' : 'unrouted';
      // routing notes only: not a change of the appeal's state, so no new version for the dispatcher to trip on
      return { annotate };
    });
    return outcome;
  }

  /** Rules, then the category default; and the duplicates, whatever the routing says. */
  async decide(m: EntityManager, appeal: Appeal, now: Date): Promise<AutoRouteDecision> {
    // one after another: one transaction, one connection
    const rules = await m.getRepository(RoutingRule).find({ where: { enabled: true } });
    const path = await this.categoryPath(m, appeal.categoryCode);
    const duplicates = await this.findDuplicates(m, appeal, now);
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
    if (decision.source === 'none') return { suggestion: null, autoDispatch: false, duplicates };
    const suggestion: SuggestedRouting = {
      leadDepartmentId: decision.leadDepartmentId,
      coDepartmentIds: decision.coDepartmentIds,
      source: decision.source,
      ruleId: decision.source === 'rule' ? decision.rule.id : null,
    };
    return { suggestion, autoDispatch: decision.autoDispatch, duplicates };
  }

  /** The category and its ancestors, nearest first (the tree is shallow; the cycle guard is cheap). */
  private async categoryPath(
    m: EntityManager,
    code: string,
  ): Promise<{ code: string; defaultDepartmentId: string | null }[]> {
    const rows: { code: string; default_department_id: string | null }[] = await m.query(
      `WITH RECURSIVE up(code, parent_code, default_department_id, depth) AS (
         SELECT code, parent_code, default_department_id, 0 FROM categories WHERE code = $1
         UNION ALL
         SELECT c.code, c.parent_code, c.default_department_id, up.depth + 1
         FROM categories c JOIN up ON c.code = up.parent_code WHERE up.depth < 20)
       SELECT code, default_department_id FROM up ORDER BY depth`,
      [code],
    );
    return rows.map((r) => ({ code: r.code, defaultDepartmentId: r.default_department_id }));
  }

  /**
   * 重复件: earlier open appeals of the same enterprise within 30 days whose title or content is similar
   * by trigram similarity — computed in PostgreSQL over that enterprise's latest 50 such appeals, found
   * through ix_appeals_enterprise_created.
   */
  findDuplicates(m: EntityManager, appeal: Appeal, now: Date): Promise<PossibleDuplicate[]> {
    return m
      .query(
        `SELECT id, number, title, sim FROM (
           SELECT id, number, title, created_at,
                  GREATEST(similarity(title, $2), similarity(content, $3)) AS sim
           FROM (SELECT id, number, title, content, created_at FROM appeals
                 WHERE enterprise_id = $1 AND id <> $4
                   AND created_at >= $5::timestamptz - make_interval(days => $6)
                   AND (created_at, number) < ($7::timestamptz, $8)
                   AND status = ANY($9)
                 ORDER BY created_at DESC
                 LIMIT ${DUPLICATE_CANDIDATES}) AS recent
         ) AS scored
         WHERE sim >= $10
         ORDER BY sim DESC, created_at DESC
         LIMIT ${MAX_DUPLICATES}`,
        [
          appeal.enterpriseId,
          appeal.title,
          appeal.content,
          appeal.id,
          now,
          DUPLICATE_WINDOW_DAYS,
          appeal.createdAt,
          appeal.number,
          OPEN_STATUSES,
          DUPLICATE_SIMILARITY,
        ],
      )
      .then((rows: { id: string; number: string; title: string; sim: number }[]) =>
        rows.map((r) => ({
          appealId: r.id,
          number: r.number,
          title: r.title,
          similarity: Math.round(Number(r.sim) * 1000) / 1000,
        })),
      );
  }

  /** Appeals no routing job has handled 10 s after filing: their job was lost; route them now. */
  async sweep(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - SWEEP_GRACE_MS);
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM appeals WHERE routed_at IS NULL AND created_at <= $1 ORDER BY created_at LIMIT ${SWEEP_BATCH}`,
      [cutoff],
    );
    if (rows.length === 0) return 0;
    // a fresh job id per sweep: the lost job's id may still be held by a failed job
    const stamp = Math.floor(this.clock.now().getTime() / 1000);
    await this.queue.addBulk(
      'routing.route',
      rows.map((r) => ({ data: { appealId: r.id }, opts: { key: [r.id, 'sweep', stamp] } })),
    );
    return rows.length;
  }
}
