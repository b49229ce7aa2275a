import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/domain-error';
import { decodeCursor, Page, toPage } from '../../common/pagination';
import type { KnowledgeSuggestion } from '../appeals/entities/appeal.entity';
import { CitedEntry, KnowledgeCitations } from '../appeals/knowledge-citations';
import type { Actor } from '../auth/auth.decorators';
import { CategoriesService } from '../categories/categories.service';
import { DepartmentsService } from '../departments/departments.service';
import { KnowledgeEntry } from './entities/knowledge-entry.entity';
import { KnowledgeEvent } from './entities/knowledge-event.entity';
import { KnowledgeVersion } from './entities/knowledge-version.entity';
import {
  addMonths,
  entryProblems,
  IN_FORCE_SQL,
  KnowledgeAction,
  mayAct,
  mayRead,
  normalizeKeywords,
  REVIEW_MONTHS,
  STALE_SQL,
  statusAt,
  titleKey,
} from './knowledge-rules';
import {
  chainsOf,
  COMMON_SHARE,
  entryLexemes,
  headVectorText,
  knowledgeQuery,
  lexemeQuery,
  RANK_WEIGHTS,
  relaxations,
  termWeights,
  TitleFrequencies,
  titleTerms,
  vectorText,
} from './knowledge-search';
import {
  CreateKnowledgeDto,
  KnowledgeReasonDto,
  ListKnowledgeQuery,
  SearchKnowledgeQuery,
  UpdateKnowledgeDto,
} from './knowledge.dto';
import { entryView, eventView, hitView, KnowledgeNames, versionView } from './knowledge.view';

/** The texts of a version as the service handles them. */
type Fields = Pick<
  KnowledgeVersion,
  | 'categoryCode'
  | 'title'
  | 'question'
  | 'answer'
  | 'kind'
  | 'keywords'
  | 'policyRef'
  | 'effectiveFrom'
  | 'expiresAt'
  | 'reviewDueAt'
  | 'public'
>;

/** Candidates a tier of a search ranks at most (bounds its cost when the words are common). */
const CANDIDATES = 200;
/** Candidates a strict title tier ranks at most: every one has every word in its title, so they tie but
 * for sounds and recency. */
const HEAD_CANDIDATES = 50;
/** How many of a title tier's best are read again with their question and answer. */
const RERANK = 20;
/** What the question and answer add at most to a title's score (its share of the query's words, 0–1). */
const BODY_SHARE = 0.25;
/** The rarest title words of a query the named tiers are taken from. */
const RAREST = 5;
/** How long the table of title word frequencies is used before it is read again. */
const FREQUENCY_TTL_MS = 5 * 60_000;
export const SUGGESTIONS = 3;
/** The appeal text a suggestion reads: the title and the start of the content. */
const SUGGESTION_TEXT = 400;

/** One lock for every title check: two drafts with one title cannot pass the check at once. */
const TITLE_LOCK = `SELECT pg_advisory_xact_lock(hashtext('knowledge_entries.title'))`;

/**
 * The knowledge base (SPEC §10): entries and their versions, the draft → submit → publish / reject →
 * withdraw workflow, confirmation of stale entries, every change an event; search; the suggestions routing
 * writes on a new appeal; the check of the entries an answer on the spot cites (KnowledgeCitations).
 */
@Injectable()
export class KnowledgeService implements KnowledgeCitations {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly departments: DepartmentsService,
    private readonly categories: CategoriesService,
  ) {}

  // ---- writing ----------------------------------------------------------------------------------

  async create(dto: CreateKnowledgeDto, actor: Actor) {
    const now = this.clock.now();
    const fields = this.fieldsOf(dto, null, now);
    const sourceDepartmentId = actor.role === 'handler' ? actor.departmentId : null;
    if (!mayAct('create', actor, { sourceDepartmentId })) throw DomainError.forbidden();
    return this.db.transaction(async (m) => {
      await this.requireLeaf(m, fields.categoryCode);
      await this.requireUniqueTitle(m, fields.title, null, now);
      const entry = m.getRepository(KnowledgeEntry).create({
        sourceDepartmentId,
        status: 'draft',
        version: 1,
        publishedVersion: null,
        categoryCode: null,
        kind: null,
        title: null,
        public: false,
        expiresAt: null,
        reviewDueAt: null,
        publishedAt: null,
        confirmedAt: null,
        editedAt: null,
        searchVector: null,
        createdBy: actor.id,
        createdAt: now,
        updatedAt: now,
      });
      await m.getRepository(KnowledgeEntry).insert(entry);
      await m.getRepository(KnowledgeVersion).insert(this.newVersion(entry.id, 1, fields, actor, now));
      await this.event(m, entry.id, 1, 'knowledge.created', actor, now, { title: fields.title });
      return this.viewIn(m, entry.id, actor, now);
    });
  }

  /**
   * An edit by the owning side: a draft (never submitted, or rejected) is edited in place; a published
   * entry gets a new draft version while the published one stays in force; a version under review cannot
   * be edited (409) until it is published or rejected.
   */
  async update(id: string, dto: UpdateKnowledgeDto, actor: Actor) {
    const now = this.clock.now();
    return this.db.transaction(async (m) => {
      const entry = await this.lockFor(m, id, actor, 'edit', now);
      if (entry.status === 'withdrawn')
        throw new DomainError('INVALID_TRANSITION', 'a withdrawn entry cannot be edited');
      const latest = await this.version(m, id, entry.version);
      if (latest.status === 'pending_review')
        throw new DomainError(
          'INVALID_TRANSITION',
          'the entry is under review; it cannot be edited until it is published or rejected',
        );
      const fields = this.fieldsOf(dto, latest, now);
      if (dto.categoryCode !== undefined) await this.requireLeaf(m, fields.categoryCode);
      await this.requireUniqueTitle(m, fields.title, id, now);
      let version = latest.version;
      if (latest.status === 'draft') {
        await m
          .getRepository(KnowledgeVersion)
          .update({ entryId: id, version }, { ...fields, rejectReason: null, updatedAt: now });
      } else {
        version = entry.version + 1;
        await m.getRepository(KnowledgeVersion).insert(this.newVersion(id, version, fields, actor, now));
      }
      await m
        .getRepository(KnowledgeEntry)
        .update(
          { id },
          { version, editedAt: now, updatedAt: now, status: entry.publishedVersion ? entry.status : 'draft' },
        );
      await this.event(m, id, version, 'knowledge.edited', actor, now, {
        fields: Object.keys(dto).filter((k) => (dto as Record<string, unknown>)[k] !== undefined),
        newVersion: version !== latest.version,
      });
      return this.viewIn(m, id, actor, now);
    });
  }

  async submit(id: string, actor: Actor) {
    return this.step(id, actor, 'submit', async (m, entry, latest, now) => {
      if (latest.status !== 'draft')
        throw new DomainError('INVALID_TRANSITION', 'only a draft can be submitted');
      await m
        .getRepository(KnowledgeVersion)
        .update(
          { entryId: id, version: latest.version },
          { status: 'pending_review', submittedAt: now, updatedAt: now },
        );
      if (!entry.publishedVersion)
        await m.getRepository(KnowledgeEntry).update({ id }, { status: 'pending_review', updatedAt: now });
      return ['knowledge.submitted', {}];
    });
  }

  /** A dispatcher publishes the version under review: it comes into force, the previous one is superseded. */
  async publish(id: string, actor: Actor) {
    return this.step(id, actor, 'publish', async (m, entry, latest, now) => {
      if (latest.status !== 'pending_review')
        throw new DomainError('INVALID_TRANSITION', 'only an entry under review can be published');
      const versions = m.getRepository(KnowledgeVersion);
      if (entry.publishedVersion)
        await versions.update(
          { entryId: id, version: entry.publishedVersion },
          { status: 'superseded', updatedAt: now },
        );
      await versions.update(
        { entryId: id, version: latest.version },
        { status: 'published', publishedAt: now, publishedBy: actor.id, updatedAt: now },
      );
      const reviewDueAt = latest.reviewDueAt ?? addMonths(now, REVIEW_MONTHS);
      const lex = entryLexemes(latest);
      await m.query(
        `UPDATE knowledge_entries SET status = 'published', published_version = $2, category_code = $3, kind = $4,
           title = $5, public = $6, expires_at = $7, review_due_at = $8, published_at = $9, updated_at = $9,
           search_vector = $10::tsvector, head_vector = $11::tsvector
         WHERE id = $1`,
        [
          id,
          latest.version,
          latest.categoryCode,
          latest.kind,
          latest.title,
          latest.public,
          latest.expiresAt,
          reviewDueAt,
          now,
          vectorText(lex),
          headVectorText(lex),
        ],
      );
      return [
        'knowledge.published',
        { previousVersion: entry.publishedVersion, reviewDueAt: reviewDueAt.toISOString() },
      ];
    });
  }

  /** A dispatcher sends the version under review back to its drafters with a reason. */
  async reject(id: string, dto: KnowledgeReasonDto, actor: Actor) {
    return this.step(id, actor, 'reject', async (m, entry, latest, now) => {
      if (latest.status !== 'pending_review')
        throw new DomainError('INVALID_TRANSITION', 'only an entry under review can be rejected');
      await m
        .getRepository(KnowledgeVersion)
        .update(
          { entryId: id, version: latest.version },
          { status: 'draft', rejectReason: dto.reason, updatedAt: now },
        );
      if (!entry.publishedVersion)
        await m.getRepository(KnowledgeEntry).update({ id }, { status: 'draft', updatedAt: now });
      return ['knowledge.rejected', { reason: dto.reason }];
    });
  }

  /** Either side withdraws the entry: no version answers any more, and its title is free again. */
  async withdraw(id: string, dto: KnowledgeReasonDto, actor: Actor) {
    return this.step(id, actor, 'withdraw', async (m, entry, _latest, now) => {
      if (entry.status === 'withdrawn')
        throw new DomainError('INVALID_TRANSITION', 'the entry is already withdrawn');
      await m.query(
        `UPDATE knowledge_versions SET status = 'withdrawn', updated_at = $2
          WHERE entry_id = $1 AND status IN ('draft','pending_review','published')`,
        [id, now],
      );
      await m.getRepository(KnowledgeEntry).update({ id }, { status: 'withdrawn', updatedAt: now });
      return ['knowledge.withdrawn', { reason: dto.reason }];
    });
  }

  /** Its department confirms the entry still holds (SPEC §10): reviewed again six months on. */
  async confirm(id: string, actor: Actor) {
    return this.step(id, actor, 'confirm', async (m, entry, _latest, now) => {
      if (statusAt(entry, now) !== 'published')
        throw new DomainError('INVALID_TRANSITION', 'only a published entry in force can be confirmed');
      const reviewDueAt = addMonths(now, REVIEW_MONTHS);
      await m.getRepository(KnowledgeEntry).update({ id }, { reviewDueAt, confirmedAt: now, updatedAt: now });
      return ['knowledge.confirmed', { reviewDueAt: reviewDueAt.toISOString() }];
    });
  }

  /** One workflow step: the entry locked, who may checked, the step's own writes, its event, the view. */
  private async step(
    id: string,
    actor: Actor,
    action: KnowledgeAction,
    work: (
      m: EntityManager,
      entry: KnowledgeEntry,
      latest: KnowledgeVersion,
      now: Date,
    ) => Promise<[string, Record<string, unknown>]>,
  ) {
    const now = this.clock.now();
    const view = await this.db.transaction(async (m) => {
      const entry = await this.lockFor(m, id, actor, action, now);
      const latest = await this.version(m, id, entry.version);
      const [event, data] = await work(m, entry, latest, now);
      await this.event(m, id, latest.version, event, actor, now, data);
      return this.viewIn(m, id, actor, now);
    });
    // the title words changed: searches read them again, after the commit
    if (action === 'publish' || action === 'withdraw') this.forgetFrequencies();
    return view;
  }

  /** The entry locked for an action: 404 outside what the caller may read, 403 when it may not act. */
  private async lockFor(m: EntityManager, id: string, actor: Actor, action: KnowledgeAction, now: Date) {
    const entry = await m
      .getRepository(KnowledgeEntry)
      .createQueryBuilder('e')
      .setLock('pessimistic_write')
      .where('e.id = :id', { id })
      .getOne();
    if (!entry || !mayRead(actor, entry, now)) throw DomainError.notFound('knowledge entry');
    if (!mayAct(action, actor, entry))
      throw DomainError.forbidden('only the entry’s own department, or the centre, may do this to it');
    return entry;
  }

  private async version(m: EntityManager, entryId: string, version: number): Promise<KnowledgeVersion> {
    return m.getRepository(KnowledgeVersion).findOneByOrFail({ entryId, version });
  }

  private newVersion(entryId: string, version: number, f: Fields, actor: Actor, now: Date): KnowledgeVersion {
    return Object.assign(new KnowledgeVersion(), {
      entryId,
      version,
      status: 'draft',
      ...f,
      rejectReason: null,
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
      submittedAt: null,
      publishedAt: null,
      publishedBy: null,
    });
  }

  private async event(
    m: EntityManager,
    entryId: string,
    version: number,
    action: string,
    actor: Actor,
    now: Date,
    data: Record<string, unknown>,
  ) {
    const event = Object.assign(new KnowledgeEvent(), {
      entryId,
      version,
      action,
      actorId: actor.id,
      actorRole: actor.role,
      data,
      createdAt: now,
    });
    await m.getRepository(KnowledgeEvent).save(event);
  }

  /** The fields of a new version: the body over the version it starts from, checked (SPEC §10). */
  private fieldsOf(dto: UpdateKnowledgeDto, base: KnowledgeVersion | null, now: Date): Fields {
    const date = (v: string | undefined, old: Date | null | undefined) =>
      v === undefined ? (old ?? null) : new Date(v);
    const fields: Fields = {
      categoryCode: dto.categoryCode ?? base!.categoryCode,
      title: (dto.title ?? base!.title).trim(),
      question: dto.question !== undefined ? dto.question : (base?.question ?? null),
      answer: dto.answer ?? base!.answer,
      kind: dto.kind ?? base!.kind,
      keywords: dto.keywords !== undefined ? normalizeKeywords(dto.keywords) : (base?.keywords ?? []),
      policyRef: dto.policyRef !== undefined ? dto.policyRef : (base?.policyRef ?? null),
      effectiveFrom: date(dto.effectiveFrom, base?.effectiveFrom) ?? now,
      expiresAt: date(dto.expiresAt, base?.expiresAt),
      reviewDueAt: date(dto.reviewDueAt, base?.reviewDueAt),
      public: dto.public ?? base?.public ?? false,
    };
    const problems = entryProblems(fields);
    if (fields.expiresAt && fields.expiresAt.getTime() <= fields.effectiveFrom.getTime())
      problems.push({ field: 'expiresAt', message: 'must be after effectiveFrom' });
    if (problems.length > 0) throw DomainError.validation('the entry is not valid', problems);
    return fields;
  }

  /** SPEC §10: `categoryCode` names a leaf of the category tree. */
  private async requireLeaf(m: EntityManager, code: string) {
    await this.categories.getByCode(code, 'categoryCode', m);
    const [child] = await m.query(`SELECT 1 FROM categories WHERE parent_code = $1 LIMIT 1`, [code]);
    if (child)
      throw DomainError.validation('categoryCode must name a leaf category', [
        { field: 'categoryCode', message: 'has subcategories' },
      ]);
  }

  /**
   * SPEC §10: a title is unique among live entries — neither withdrawn nor expired — whether it is the
   * title in force or a draft's. Checked under one advisory lock, so two drafts cannot both pass.
   */
  private async requireUniqueTitle(m: EntityManager, title: string, ownId: string | null, now: Date) {
    await m.query(TITLE_LOCK);
    const [taken] = await m.query(
      `SELECT 1 FROM knowledge_entries e
         JOIN knowledge_versions v ON v.entry_id = e.id AND (v.version = e.version OR v.version = e.published_version)
        WHERE ($2::uuid IS NULL OR e.id <> $2) AND e.status <> 'withdrawn'
          AND NOT (e.status = 'published' AND e.expires_at <= $3)
          AND lower(normalize(btrim(v.title), NFKC)) = $1
        LIMIT 1`,
      [titleKey(title), ownId, now],
    );
    if (taken)
      throw DomainError.conflict('an entry with this title already exists', [
        { field: 'title', message: 'already used by another entry' },
      ]);
  }

  // ---- reading ----------------------------------------------------------------------------------

  async get(id: string, actor: Actor) {
    return this.viewIn(this.db.manager, id, actor, this.clock.now());
  }

  private async viewIn(m: EntityManager, id: string, actor: Actor, now: Date) {
    const entry = await m.getRepository(KnowledgeEntry).findOneBy({ id });
    if (!entry || !mayRead(actor, entry, now)) throw DomainError.notFound('knowledge entry');
    const [view] = await this.views(m, [entry], actor, now);
    return view;
  }

  private async views(m: EntityManager, entries: KnowledgeEntry[], actor: Actor, now: Date) {
    if (entries.length === 0) return [];
    const wanted = entries.flatMap((e) =>
      [e.version, e.publishedVersion ?? e.version].map((v) => `${e.id}:${v}`),
    );
    const versions: KnowledgeVersion[] = await m
      .getRepository(KnowledgeVersion)
      .createQueryBuilder('v')
      .where(`(v.entry_id::text || ':' || v.version) = ANY(:wanted)`, { wanted })
      .getMany();
    const byKey = new Map(versions.map((v) => [`${v.entryId}:${v.version}`, v]));
    const names = await this.names(m, entries, versions);
    return entries.map((e) => {
      const latest = byKey.get(`${e.id}:${e.version}`)!;
      const shown = byKey.get(`${e.id}:${e.publishedVersion ?? e.version}`)!;
      return entryView(e, shown, latest, names, actor, now);
    });
  }

  /** Versions by (entry, version), through the primary key. */
  private async versionsOf(m: EntityManager, keys: [string, number][]): Promise<KnowledgeVersion[]> {
    if (keys.length === 0) return [];
    return m
      .getRepository(KnowledgeVersion)
      .createQueryBuilder('v')
      .where('(v.entry_id, v.version) IN (SELECT * FROM unnest(:ids::uuid[], :versions::int[]))', {
        ids: keys.map((k) => k[0]),
        versions: keys.map((k) => k[1]),
      })
      .getMany();
  }

  private async names(
    m: EntityManager,
    entries: KnowledgeEntry[],
    versions: KnowledgeVersion[],
  ): Promise<KnowledgeNames> {
    return {
      departments: await this.departments.names(
        entries.map((e) => e.sourceDepartmentId),
        m,
      ),
      categories: await this.categories.names(
        versions.map((v) => v.categoryCode),
        m,
      ),
    };
  }

  /** Every version, newest first, and the entry's events (SPEC §10: every version stays readable). */
  async versions(id: string, actor: Actor) {
    const now = this.clock.now();
    const m = this.db.manager;
    const entry = await m.getRepository(KnowledgeEntry).findOneBy({ id });
    if (!entry || !mayRead(actor, entry, now)) throw DomainError.notFound('knowledge entry');
    const works = actor.role === 'supervisor' || actor.role === 'admin' || mayAct('withdraw', actor, entry);
    const versions = await m
      .getRepository(KnowledgeVersion)
      .find({ where: { entryId: id }, order: { version: 'DESC' } });
    // departments other than its own read the versions that were in force, not drafts in the making
    const visible = works ? versions : versions.filter((v) => v.publishedAt !== null);
    const names = await this.names(m, [entry], versions);
    const events = works
      ? await m.getRepository(KnowledgeEvent).find({ where: { entryId: id }, order: { id: 'ASC' } })
      : [];
    return {
      id,
      items: visible.map((v) => versionView(v, names, works)),
      events: events.map(eventView),
    };
  }

  /** The entries the caller may read, newest change first; filters by status, department, stale. */
  async list(q: ListKnowledgeQuery, actor: Actor): Promise<Page<ReturnType<typeof entryView>>> {
    const now = this.clock.now();
    const limit = q.limit ?? 20;
    const qb = this.db.getRepository(KnowledgeEntry).createQueryBuilder('e').setParameter('now', now);
    if (actor.role === 'enterprise') qb.andWhere(`${IN_FORCE_SQL(':now')} AND e.public`);
    else if (actor.role === 'handler')
      qb.andWhere(`(${IN_FORCE_SQL(':now')} OR e.source_department_id = :own)`, { own: actor.departmentId });
    if (q.status === 'published') qb.andWhere(IN_FORCE_SQL(':now'));
    else if (q.status === 'expired') qb.andWhere(`e.status = 'published' AND e.expires_at <= :now`);
    else if (q.status) qb.andWhere('e.status = :status', { status: q.status });
    if (q.departmentId) qb.andWhere('e.source_department_id = :dept', { dept: q.departmentId });
    if (q.stale !== undefined) qb.andWhere(`${q.stale ? '' : 'NOT '}${STALE_SQL(':now')}`);
    const after = decodeCursor(q.cursor, ['t', 'id']);
    if (after) qb.andWhere('(e.updated_at, e.id) < (:t, :id)', { t: new Date(after.t), id: after.id });
    const rows = await qb
      .orderBy('e.updated_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .take(limit + 1)
      .getMany();
    const views = await this.views(this.db.manager, rows, actor, now);
    return toPage(views, limit, (v) => ({ t: v.updatedAt.toISOString(), id: v.id }));
  }

  // ---- search -----------------------------------------------------------------------------------

  /**
   * SPEC §10 search: published entries in force by the Chinese words of their title, question, answer and
   * keywords, best first (knowledge-search.ts); enterprises find only public ones. Without `q`, the newest
   * published entries of the category or kind.
   */
  async search(q: SearchKnowledgeQuery, actor: Actor) {
    const now = this.clock.now();
    const m = this.db.manager;
    const categoryCodes = q.categoryCode ? await this.categoryWithChildren(m, q.categoryCode) : undefined;
    const hits = await this.find(m, {
      q: q.q ?? '',
      categoryCodes,
      kind: q.kind,
      publicOnly: actor.role === 'enterprise',
      limit: q.limit ?? 10,
      now,
    });
    return { items: await this.hitViews(m, hits, now) };
  }

  /**
   * The ids and scores of the best entries for some words: strict (every word, in the title, then
   * anywhere), named (the words titles have, all but one, all but two …), loose (any word anywhere);
   * docs/search.md describes the tiers and what each reads.
   */
  async find(
    m: EntityManager,
    o: {
      q: string;
      categoryCodes?: string[];
      kind?: string;
      publicOnly: boolean;
      limit: number;
      now: Date;
      looseOnly?: boolean;
    },
  ): Promise<{ id: string; score: number }[]> {
    const base: unknown[] = [o.now];
    const where = [`e.status = 'published'`, `(e.expires_at IS NULL OR e.expires_at > $1)`];
    if (o.publicOnly) where.push('e.public');
    if (o.categoryCodes) where.push(`e.category_code = ANY($${base.push(o.categoryCodes)})`);
    if (o.kind) where.push(`e.kind = $${base.push(o.kind)}`);
    const filter = where.join(' AND ');
    const query = knowledgeQuery(o.q);
    if (!query.rank) {
      if (o.q.trim() !== '') return [];
      const rows: { id: string }[] = await m.query(
        `SELECT e.id FROM knowledge_entries e WHERE ${filter}
          ORDER BY e.published_at DESC, e.id LIMIT $${base.length + 1}`,
        [...base, o.limit],
      );
      return rows.map((r) => ({ id: r.id, score: 0 }));
    }
    const f = await this.titleFrequencies(m);
    const terms = query.terms;
    const weights = termWeights(terms, f);
    const total = weights.reduce((a, b) => a + b, 0);
    const found: { id: string; score: number }[] = [];
    const n = base.length;
    /**
     * A title's score: the weights of the query's terms its title or keywords have (by the sound alone,
     * 0.3 of it), over the weights of all. Read from the title vector (inline in the row, about 700 bytes),
     * never from the whole vector (about 2 kB, compressed out of line).
     */
    const headScore = `(SELECT coalesce(sum(t.w * CASE WHEN e.head_vector @@ t.c THEN 1 WHEN e.head_vector @@ t.s THEN 0.3 ELSE 0 END), 0)
        FROM unnest($${n + 1}::float8[], $${n + 2}::tsquery[], $${n + 3}::tsquery[]) AS t(w, c, s)) / $${n + 4}::float8`;
    const headParams = [
      weights,
      terms.map((t) => lexemeQuery(t.chars)),
      terms.map((t) => lexemeQuery(t.sound ?? t.chars)),
      total > 0 ? total : 1,
    ];
    // the words of the query no title has (退回 of 申请被退回), in the question or answer
    const body = terms
      .filter((_, i) => weights[i] === 0)
      .map((t) =>
        t.sound ? `${lexemeQuery(t.chars)}:C | ${lexemeQuery(t.sound)}:D` : `${lexemeQuery(t.chars)}:C`,
      );
    const bodyScore = `ts_rank($${n + 1}::real[], e.search_vector, $${n + 2}::tsquery)`;
    const bodyParams = [RANK_WEIGHTS, query.rank];
    /**
     * One tier: the entries the condition's index finds (at most `cap`, not found yet), ranked; adds them
     * to `found`. A title tier ranks on the title vector, a body tier on the whole vector.
     */
    const tier = async (kind: 'head' | 'body', condition: string, arg: unknown, cap = CANDIDATES) => {
      const [score, params] = kind === 'head' ? [headScore, headParams] : [bodyScore, bodyParams];
      const k = n + params.length;
      // planned apart (MATERIALIZED) and read lazily: the index condition is planned without the LIMIT,
      // which would make the planner walk the table hoping the first matches come early (measured: 16,000
      // rows read, 180 ms); the LIMIT still stops the heap scan after `cap` rows
      const candidates = `WITH c AS MATERIALIZED (
           SELECT e.id, e.${kind === 'head' ? 'head_vector' : 'search_vector'}, e.published_at FROM knowledge_entries e
            WHERE ${filter} AND ${condition.replace('$ARG', `$${k + 1}`)} AND e.id <> ALL($${k + 2}::uuid[]))
         SELECT * FROM c LIMIT ${cap}`;
      const ranked =
        kind === 'body' || body.length === 0
          ? `SELECT e.id, ${score} AS score FROM (${candidates}) e
              ORDER BY score DESC, e.published_at DESC, e.id LIMIT $${k + 3}`
          : // the best by their titles, then the words no title has read in their question and answer
            `SELECT b.id, t.score + ${BODY_SHARE} * (SELECT count(*) FROM unnest($${k + 4}::tsquery[]) AS q(q)
                                                   WHERE b.search_vector @@ q.q) / $${k + 5}::float8 AS score
               FROM (SELECT e.id, e.published_at, ${score} AS score FROM (${candidates}) e
                      ORDER BY score DESC, e.published_at DESC, e.id LIMIT ${RERANK}) t
               JOIN knowledge_entries b ON b.id = t.id
              ORDER BY score DESC, t.published_at DESC, t.id LIMIT $${k + 3}`;
      const rows: { id: string; score: number }[] = await m.query(ranked, [
        ...base,
        ...params,
        arg,
        found.map((x) => x.id),
        o.limit - found.length,
        ...(kind === 'head' && body.length > 0 ? [body, body.length] : []),
      ]);
      found.push(...rows.map((r) => ({ id: r.id, score: Number(r.score) })));
      return found.length >= o.limit;
    };
    // strict: every word of the query in the entry, in its title or keywords first (only when every word
    // is in some title: a pair across two words of a question, 请开 of 申请开办, is in none)
    if (!o.looseOnly) {
      if (titleTerms(terms, f).every((t) => t !== null))
        if (await tier('head', 'e.head_vector @@ $ARG::tsquery', query.strict, HEAD_CANDIDATES)) return found;
      if (await tier('body', 'e.search_vector @@ $ARG::tsquery', query.strict)) return found;
    }
    // named: the words of the query that titles have (a district, an industry, a topic, an aspect), the
    // rarest first; all of them in the title, then all but one, all but two … down to two of them
    const chains = chainsOf(terms, f).filter((c) => c.df <= COMMON_SHARE * f.n);
    const told = (chains.length > 0 ? chains : chainsOf(terms, f).slice(0, 1)).slice(0, RAREST);
    const least = told.length >= 2 ? 2 : 1;
    // (all but one at once when there are three or more: the title that has them all comes first anyway, and
    // the next best may lack a word the question says in other words — 申请 of 申请被退回 — rather than
    // the year)
    for (let missing = told.length >= 3 ? 1 : 0; told.length - missing >= least; missing++)
      if (await tier('head', 'e.head_vector @@ ANY($ARG::tsquery[])', relaxations(told, missing)))
        return found;
    // loose: any word anywhere
    await tier('body', 'e.search_vector @@ $ARG::tsquery', query.loose);
    return found;
  }

  private frequencies: { at: number; f: TitleFrequencies } | null = null;
  private refreshing: Promise<TitleFrequencies> | null = null;
  /** Bumped when this process publishes or withdraws: a refresh begun before is not kept. */
  private generation = 0;

  /**
   * How many published entries have each word in their title or keywords (ts_stat over the title vectors),
   * kept for FREQUENCY_TTL_MS: which words of a query tell entries apart. A search never waits for a
   * refresh once there is a table; publishing and withdrawing in this process refresh it.
   */
  private forgetFrequencies() {
    this.generation++;
    this.frequencies = null;
    this.refreshing = null;
  }

  private async titleFrequencies(m: EntityManager): Promise<TitleFrequencies> {
    const now = Date.now();
    const generation = this.generation;
    const refresh = () =>
      (this.refreshing ??= m
        .query(
          `SELECT word, ndoc FROM ts_stat($$SELECT head_vector FROM knowledge_entries WHERE status = 'published'$$)
           UNION ALL SELECT NULL, count(*) FROM knowledge_entries WHERE status = 'published'`,
        )
        .then((rows: { word: string | null; ndoc: number }[]) => {
          const df = new Map(rows.filter((r) => r.word !== null).map((r) => [r.word!, Number(r.ndoc)]));
          const f = { n: Number(rows.find((r) => r.word === null)?.ndoc ?? 0), df };
          if (generation === this.generation) this.frequencies = { at: Date.now(), f };
          return f;
        })
        .finally(() => (this.refreshing = null)));
    if (!this.frequencies) return refresh();
    if (now - this.frequencies.at > FREQUENCY_TTL_MS) void refresh().catch(() => undefined);
    return this.frequencies.f;
  }

  private async hitViews(m: EntityManager, hits: { id: string; score: number }[], now: Date) {
    if (hits.length === 0) return [];
    const entries = await m.getRepository(KnowledgeEntry).findBy(hits.map((h) => ({ id: h.id })));
    const byId = new Map(entries.map((e) => [e.id, e]));
    const versions = await this.versionsOf(
      m,
      entries.map((e) => [e.id, e.publishedVersion ?? e.version]),
    );
    const byEntry = new Map(versions.map((v) => [v.entryId, v]));
    const names = await this.names(m, entries, versions);
    return hits
      .filter((h) => byId.has(h.id) && byEntry.has(h.id))
      .map((h) => hitView(byId.get(h.id)!, byEntry.get(h.id)!, h.score, names, now));
  }

  private async categoryWithChildren(m: EntityManager, code: string): Promise<string[]> {
    const rows: { code: string }[] = await m.query(
      `WITH RECURSIVE down(code, depth) AS (
         SELECT code, 0 FROM categories WHERE code = $1
         UNION ALL SELECT c.code, d.depth + 1 FROM categories c JOIN down d ON c.parent_code = d.code WHERE d.depth < 20)
       SELECT code FROM down`,
      [code],
    );
    if (rows.length === 0)
      throw DomainError.validation('categoryCode does not name a category', [
        { field: 'categoryCode', message: 'no such category' },
      ]);
    return rows.map((r) => r.code);
  }

  // ---- at intake --------------------------------------------------------------------------------

  /**
   * SPEC §10: for each new appeal, up to three published entries of its category (or the category's
   * subtree) whose title or keywords share words with the appeal's title and content, best first.
   * Read-only; routing writes them on the appeal with its own notes.
   */
  async suggestFor(
    appeals: { id: string; categoryCode: string; title: string; content: string }[],
    now: Date,
  ): Promise<Map<string, KnowledgeSuggestion[]>> {
    const m = this.db.manager;
    const out = new Map<string, KnowledgeSuggestion[]>();
    const [{ n }] = await m.query(
      `SELECT count(*)::int AS n FROM knowledge_entries WHERE status = 'published'`,
    );
    if (n === 0) return out;
    const subtrees = new Map<string, string[]>();
    for (const a of appeals) {
      if (!subtrees.has(a.categoryCode))
        subtrees.set(
          a.categoryCode,
          await this.categoryWithChildren(m, a.categoryCode).catch(() => [a.categoryCode]),
        );
      const hits = await this.find(m, {
        q: `${a.title} ${a.content.slice(0, SUGGESTION_TEXT)}`,
        categoryCodes: subtrees.get(a.categoryCode),
        publicOnly: false,
        limit: SUGGESTIONS,
        now,
        looseOnly: true,
      });
      if (hits.length === 0) continue;
      const rows: { id: string; version: number; title: string; kind: string }[] = await m.query(
        `SELECT id, published_version AS version, title, kind FROM knowledge_entries WHERE id = ANY($1)`,
        [hits.map((h) => h.id)],
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      out.set(
        a.id,
        hits.map((h) => ({
          entryId: h.id,
          version: byId.get(h.id)!.version,
          title: byId.get(h.id)!.title,
          kind: byId.get(h.id)!.kind,
          score: Math.round(h.score * 1000) / 1000,
        })),
      );
    }
    return out;
  }

  /** KnowledgeCitations: the cited entries must be published and in force now (SPEC §10), else 400. */
  async check(m: EntityManager, ids: string[], now: Date): Promise<CitedEntry[]> {
    const rows: { id: string; version: number; title: string }[] = await m.query(
      `SELECT e.id, e.published_version AS version, e.title FROM knowledge_entries e
        WHERE e.id = ANY($1::uuid[]) AND ${IN_FORCE_SQL('$2')}`,
      [ids, now],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length > 0)
      throw DomainError.validation('knowledgeEntryIds must name published entries in force', [
        { field: 'knowledgeEntryIds', message: `not a published entry in force: ${missing.join(', ')}` },
      ]);
    return ids.map((id) => byId.get(id)!);
  }
}
