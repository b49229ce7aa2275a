import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, In, MoreThan } from 'typeorm';
import { Department } from '../departments/department.entity';
import { districtCodeSql } from '../districts/district-code-sql';
import { Clock } from '../../common/clock';
import { LocalDays } from '../../common/local-time';
import { DomainError } from '../../common/domain-error';
import { phoneHash } from '../../common/phone-hash';
import { decodeCursor, Page, toPage } from '../../common/pagination';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { JsonHoles } from '../../infra/database/json-holes';
import { preparedQuery } from '../../infra/database/prepared-query';
import { QueueService } from '../../infra/queue/queue.service';
import type { Actor } from '../auth/auth.decorators';
import { WebhookOutbox } from '../webhooks/webhook-outbox';
import { canonicalJson } from '../workflow/hash-chain';
import { AppealReader } from './appeal-reader';
import { AppealView, toAppealView } from './appeal-view';
import { allowedActionsView } from './allowed-actions-view';
import { filedParts, firstFiling, Filing } from './first-filing';
import { enterpriseTimeline, eventFor, maskNameSql, maskPhoneSql, seesConfidentialLinks } from './disclosure';
import { CreateAppealDto, ListAppealsQuery } from './appeals.dto';
import { Appeal, Channel } from './entities/appeal.entity';
import { IdempotencyKey } from './entities/idempotency-key.entity';
import { EventLog } from './event-log';
import { appealNumberSql } from './appeal-number';

const ENTERPRISE_CHANNELS: Channel[] = ['web', 'app'];
const CENTRE_CHANNELS: Channel[] = ['hotline', 'meeting', 'visit', 'web', 'app'];
const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

/** withTotal counts exactly up to here (SPEC §5.1). */
const TOTAL_CAP = 10_000;
/** Roles that may find an appeal by its filer: the enterprise and its contact (SPEC §5.1). */
const FINDS_BY_FILER = new Set(['dispatcher', 'supervisor', 'admin']);

export interface AppealTotal {
  total?: number;
  totalCapped?: boolean;
}

/**
 * `?q=` (SPEC §5.1): the appeal number — whole, letters and digits (equality on uq_appeals_number), or
 * its last 6 or more digits (a prefix of reverse(number), ix_appeals_number_reverse) — or a substring of
 * the title and content (ix_appeals_search_trgm); for the centre, supervisors and admins also a substring of the contact's
 * name or phone (ix_appeals_contact_trgm), of the enterprise's name (ix_enterprises_name_trgm) or its
 * USCC. Departments and enterprises never search by the filer, so a department never finds a
 * confidential appeal by anything about its filer. Any of them matches (one OR, which PostgreSQL answers
 * with a BitmapOr of those indexes, or by walking ix_appeals_created when the words are common). The plans
 * at volume are in docs/search.md.
 */
export function searchClause(
  text: string,
  actor: Actor,
  hashKey?: string,
): { sql: string; params: Record<string, string> } {
  const params: Record<string, string> = { qPattern: `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%` };
  const any = [`(a.title || ' ' || a.content) ILIKE :qPattern`];
  const compact = text.replace(/\s+/g, '');
  if (/^[A-Z]{3}\d{6,}$/i.test(compact)) {
    any.push('a.number = :qNumber');
    params.qNumber = compact.toUpperCase();
  } else if (/^\d{6,}$/.test(compact)) {
    any.push('reverse(a.number) LIKE :qSuffix');
    params.qSuffix = `${[...compact].reverse().join('')}%`;
  }
  if (FINDS_BY_FILER.has(actor.role)) {
    any.push(`(coalesce(a.contact_name, '') || ' ' || coalesce(a.contact_phone, '')) ILIKE :qPattern`);
    any.push(
      // ANY(ARRAY(…)), not IN (…): an InitPlan whose array the appeals' enterprise index takes, so the
      // OR stays a BitmapOr of indexes (IN would be a hashed SubPlan, a filter on a scan of every appeal)
      'a.enterprise_id = ANY (ARRAY(SELECT e.id FROM enterprises e WHERE e.name ILIKE :qPattern OR e.uscc = :qUscc))',
    );
    params.qUscc = text.toUpperCase();
    // SPEC §11 retention: an anonymised appeal keeps a keyed hash of its phone, so a phone still finds it
    const hashed = hashKey && /^[\d\s+()-]{7,}$/.test(text) ? phoneHash(hashKey, text) : null;
    if (hashed) {
      any.push('a.contact_phone_hash = :qPhoneHash');
      params.qPhoneHash = hashed;
    }
  }
  return { sql: `(${any.join(' OR ')})`, params };
}

export interface FileResult {
  appeal: AppealView;
  replayed: boolean;
}

/** What the filing statement answers. */
interface FiledRow {
  enterprise_found: boolean;
  category_found: boolean;
  /** no district was given, or it names one by code or exact name */
  district_found: boolean;
  /** the enterprise's name */
  name: string | null;
  /** the category's name */
  category_name: string | null;
  number: string | null;
  /** the appeal's, after defaulting to the enterprise's */
  district: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  /** the first event's hash (null when nothing was filed) */
  event_head: string | null;
  filed: boolean;
}

/** What single filing decides before its statement: the builder's input but for what the statement knows. */
type GivenFiling = Omit<Filing, 'number' | 'actorRole' | 'enterpriseName' | 'categoryName'>;

/** Filing and reading appeals. Changes go through AppealWriter, from the rooms that own each action. */
@Injectable()
export class AppealsService {
  private readonly logger = new Logger(AppealsService.name);
  private readonly days: LocalDays;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly reader: AppealReader,
    private readonly events: EventLog,
    private readonly outbox: WebhookOutbox,
    private readonly jobs: QueueService,
  ) {
    this.days = new LocalDays(config.calendarTimeZone);
  }

  /**
   * SPEC §2 filing, in one SQL statement (atomic on its own, no transaction block). It reads the enterprise
   * and checks the category; only when both exist and the channel is allowed it takes the next value of
   * appeal_number_seq, claims the Idempotency-Key (when given) and inserts the appeal, its first event and
   * the webhook outbox rows. So a refused filing writes nothing and takes no number.
   *
   * The row, the first event, its hash input and the webhook snapshots come from firstFiling(), the builder
   * batch filing uses too. The number is made in the statement, and the first event's data carries it, so
   * the statement fills it (and the enterprise's defaults and the names) into the event's data, its hash
   * input (hashed there with sha256, the same text eventHash hashes here) and the webhook snapshot; see
   * JsonHoles.
   *
   * With an Idempotency-Key, a concurrent retry's claim waits on the key's unique index until the first
   * statement commits, then finds the key taken and replays (SPEC §2).
   */
  async file(dto: CreateAppealDto, actor: Actor, idempotencyKey?: string): Promise<FileResult> {
    const requestHash = idempotencyKey
      ? createHash('sha256').update(canonicalJson(dto)).digest('hex')
      : undefined;
    const enterpriseId = this.filingEnterprise(dto, actor);
    const channel = dto.channel ?? (actor.role === 'enterprise' ? 'web' : 'hotline');
    const allowed = actor.role === 'enterprise' ? ENTERPRISE_CHANNELS : CENTRE_CHANNELS;
    const now = this.clock.now();
    const given: GivenFiling = {
      type: dto.type,
      categoryCode: dto.categoryCode,
      title: dto.title,
      content: dto.content,
      urgency: dto.urgency ?? 'normal',
      district: dto.district ?? null,
      channel,
      enterpriseId,
      contactName: dto.contactName ?? null,
      contactPhone: dto.contactPhone ?? null,
      confidential: dto.confidential ?? dto.type === 'report',
      meetingId: null,
      createdBy: actor.id,
      createdAt: now,
    };
    const claim = idempotencyKey
      ? {
          key: idempotencyKey,
          requestHash: requestHash!,
          expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
        }
      : undefined;
    const { row, appeal } = await this.insertAppeal(given, actor, allowed.includes(channel), claim);

    const refused = this.refusal(row, channel, allowed, actor);
    if (refused) {
      // the same key with another body is 422 even when that body is invalid; the same body replays
      const replayOf = idempotencyKey ? await this.existingKey(actor, idempotencyKey, requestHash!) : null;
      if (replayOf) return { appeal: await this.get(replayOf, actor), replayed: true };
      throw refused;
    }
    if (!row.filed) {
      const replayOf = await this.existingKey(actor, idempotencyKey!, requestHash!);
      // the key expired and was deleted between the claim and this read: practically never; say so plainly
      if (!replayOf) throw new DomainError('CONFLICT', 'this Idempotency-Key is being used; retry');
      return { appeal: await this.get(replayOf, actor), replayed: true };
    }
    // what the statement filled in, in place of its stand-ins
    const filed: Appeal = {
      ...appeal,
      number: row.number!,
      district: row.district,
      contactName: row.contact_name,
      contactPhone: row.contact_phone,
      eventHead: row.event_head,
    };
    await this.enqueueRouting(filed.id);
    // a new appeal has no assignments, survey or extension yet: answer from what was written
    return {
      appeal: toAppealView(filedParts(filed, row.name, row.category_name), actor, now),
      replayed: false,
    };
  }

  /**
   * Automatic routing and duplicate detection run in a job after the filing commits. The appeal
   * is durable either way: if Redis cannot take the job, the routing sweeper finds the appeal unrouted.
   */
  async enqueueRouting(...appealIds: string[]): Promise<void> {
    try {
      if (appealIds.length === 1)
        await this.jobs.add('routing.route', { appealId: appealIds[0] }, { key: [appealIds[0]] });
      else
        await this.jobs.addBulk(
          'routing.route',
          appealIds.map((appealId) => ({ data: { appealId }, opts: { key: [appealId] } })),
        );
    } catch (err) {
      this.logger.warn(`routing of ${appealIds.join(', ')} left to the sweeper: ${(err as Error).message}`);
    }
  }

  /** Why the filing was refused (checked in the statement, reported in this order), or null. */
  private refusal(row: FiledRow, channel: Channel, allowed: Channel[], actor: Actor): DomainError | null {
    if (!row.enterprise_found)
      return DomainError.validation('enterpriseId does not name an enterprise', [
        { field: 'enterpriseId', message: 'no such enterprise' },
      ]);
    if (!row.category_found)
      return DomainError.validation('categoryCode does not name a category', [
        { field: 'categoryCode', message: 'no such category' },
      ]);
    if (!row.district_found)
      return DomainError.validation('district does not name a district', [
        { field: 'district', message: 'no district has this code or name' },
      ]);
    if (!allowed.includes(channel))
      return DomainError.validation(`channel ${channel} is not open to ${actor.role}s`, [
        { field: 'channel', message: `one of ${allowed.join(', ')}` },
      ]);
    return null;
  }

  /**
   * The filing statement. `v` reads the enterprise, the category and the district given (joined, not
   * district_code(): see districtCodeSql) and, only when the filing is valid,
   * makes the number from appeal_number_seq (so a refused filing takes none; a value taken by a filing that
   * fails later is lost, which SPEC §5 allows: numbers are unique and sortable, not gapless). Then, with a
   * key only if its claim succeeds: the appeal (its contacts defaulting to the enterprise's, and its district
   * too unless it is confidential: a report's district would point at its filer; v makes these defaults, so
   * every stand-in names a column of v), its first event (the chain's first link, from genesis) and the outbox rows. The event's FK to the appeal
   * is checked at the end of the statement, after both rows exist.
   *
   * The text is the same on every call (values are parameters, holes always the same), one text with a key
   * and one without, so each is a prepared statement, parsed and planned once per connection.
   */
  private async insertAppeal(
    a: GivenFiling,
    actor: Actor,
    channelAllowed: boolean,
    claim?: { key: string; requestHash: string; expiresAt: Date },
  ): Promise<{ row: FiledRow; appeal: Appeal }> {
    const params: unknown[] = [];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    // the row, the first event, its hash input and the webhook snapshots, as batch filing makes them, with
    // what only the statement knows (all of it in v) left open
    const holes = new JsonHoles();
    const { appeal, event, hashInput, snapshot } = firstFiling(
      {
        ...a,
        number: holes.hole('v.number'),
        district: holes.hole('v.district'),
        contactName: holes.hole('v.contact_name'),
        contactPhone: holes.hole('v.contact_phone'),
        actorRole: actor.role,
        enterpriseName: holes.hole('v.name'),
        categoryName: holes.hole('v.category_name'),
      },
      { hiddenAsConfidential: true },
    );
    // SPEC §11: a webhook without contact access gets the contact masked, by the SQL twins of the masks
    const masked = {
      ...snapshot.withAccess,
      contactName: holes.hole(maskNameSql('v.contact_name')),
      contactPhone: holes.hole(maskPhoneSql('v.contact_phone')),
    };
    const at = `${p(a.createdAt)}::timestamptz`;
    const id = `${p(appeal.id)}::uuid`;
    const claimed = claim
      ? `claim AS (
           INSERT INTO idempotency_keys (user_id, key, request_hash, appeal_id, created_at, expires_at)
           SELECT ${p(actor.id)}::uuid, ${p(claim.key)}, ${p(claim.requestHash)}, ${id}, ${at}, ${p(claim.expiresAt)}
             FROM v WHERE v.number IS NOT NULL
           ON CONFLICT (user_id, key) DO UPDATE
             SET request_hash = EXCLUDED.request_hash, appeal_id = EXCLUDED.appeal_id,
                 created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
             WHERE idempotency_keys.expires_at <= EXCLUDED.created_at
           RETURNING key),`
      : '';
    const district = `${p(a.district)}::text`;
    const sql = `WITH v AS MATERIALIZED (
        SELECT r.*, CASE WHEN ${p(channelAllowed)}::boolean AND r.enterprise_found AND r.category_found
                              AND r.district_found
                         THEN ${appealNumberSql(p(this.numberDay(a.createdAt)))} END AS number
          FROM (SELECT e.id IS NOT NULL AS enterprise_found, e.name,
                       coalesce(d.code, CASE WHEN ${p(a.confidential)}::boolean THEN NULL ELSE e.district END) AS district,
                       coalesce(${p(a.contactName)}::text, e.contact_name) AS contact_name,
                       coalesce(${p(a.contactPhone)}::text, e.contact_phone) AS contact_phone,
                       c.code IS NOT NULL AS category_found, c.name AS category_name,
                       ${district} IS NULL OR d.code IS NOT NULL AS district_found
                  FROM (VALUES (1)) one LEFT JOIN enterprises e ON e.id = ${p(a.enterpriseId)}::uuid
                       LEFT JOIN categories c ON c.code = ${p(a.categoryCode)}
                       LEFT JOIN LATERAL (${districtCodeSql(district)}) d ON true) r),
      ${claimed}
      appeal AS (
        INSERT INTO appeals (id, number, type, category_code, title, content, urgency, district, channel,
          enterprise_id, contact_name, contact_phone, confidential, status, reopen_count, supervised, version,
          event_count, event_head, created_by, created_at, updated_at)
        SELECT ${id}, v.number, ${p(appeal.type)}, ${p(appeal.categoryCode)}, ${p(appeal.title)}, ${p(appeal.content)},
          ${p(appeal.urgency)}, v.district, ${p(appeal.channel)}, ${p(appeal.enterpriseId)}::uuid,
          v.contact_name, v.contact_phone, ${p(appeal.confidential)}::boolean, ${p(appeal.status)},
          ${p(appeal.reopenCount)}::int, ${p(appeal.supervised)}::boolean, ${p(appeal.version)}::int,
          ${p(appeal.eventCount)}::int, encode(sha256(convert_to(${holes.sql(hashInput, p)}, 'UTF8')), 'hex'),
          ${p(appeal.createdBy)}::uuid, ${at}, ${p(appeal.updatedAt)}::timestamptz
          FROM v WHERE v.number IS NOT NULL${claim ? ' AND EXISTS (SELECT 1 FROM claim)' : ''}
        RETURNING id, confidential, event_head),
      event AS (
        INSERT INTO appeal_events (appeal_id, seq, action, actor_id, actor_role, from_status, to_status, data,
          created_at, prev_hash, hash)
        SELECT a.id, ${p(event.seq)}::int, ${p(event.action)}, ${p(event.actorId)}::uuid, ${p(event.actorRole)},
          ${p(event.fromStatus)}::text, ${p(event.toStatus)}, ${holes.sql(JSON.stringify(event.data), p)}::jsonb,
          ${at}, ${p(event.prevHash)}, a.event_head
          FROM appeal a CROSS JOIN v
        RETURNING appeal_id, seq),
      submitted AS (
        SELECT e.appeal_id, e.seq, a.confidential, ${holes.sql(JSON.stringify(snapshot.withAccess), p)} AS appeal_json,
               ${holes.sql(JSON.stringify(masked), p)} AS appeal_json_masked,
               ${holes.sql(JSON.stringify(snapshot.withoutAccess), p)} AS appeal_json_hidden
          FROM event e JOIN appeal a ON a.id = e.appeal_id CROSS JOIN v),
      deliveries AS (${this.outbox.insertSql('submitted', event, p)})
      SELECT v.enterprise_found, v.category_found, v.district_found, v.name, v.category_name, v.number,
             v.district, v.contact_name, v.contact_phone, a.event_head,
             (SELECT count(*) FROM event)::int = 1 AS filed
        FROM v LEFT JOIN appeal a ON true`;
    const name = claim ? 'appeals_file_with_key' : 'appeals_file';
    const [row] = await preparedQuery<FiledRow>(this.db, name, sql, params);
    return { row, appeal };
  }

  /** The appeal a live key names (replay), or null when no live key exists; 422 for another body. */
  private async existingKey(actor: Actor, key: string, requestHash: string): Promise<string | null> {
    const existing = await this.db
      .getRepository(IdempotencyKey)
      .findOneBy({ userId: actor.id, key, expiresAt: MoreThan(this.clock.now()) });
    if (!existing) return null;
    if (existing.requestHash !== requestHash) {
      throw new DomainError(
        'IDEMPOTENCY_KEY_REUSED',
        'this Idempotency-Key was used with a different request body',
      );
    }
    return existing.appealId;
  }

  private filingEnterprise(dto: CreateAppealDto, actor: Actor): string {
    if (actor.role === 'enterprise') {
      if (dto.enterpriseId && dto.enterpriseId !== actor.enterpriseId) {
        throw DomainError.validation('an enterprise files for itself only', [
          { field: 'enterpriseId', message: 'must be your own or absent' },
        ]);
      }
      return actor.enterpriseId!;
    }
    if (!dto.enterpriseId) {
      throw DomainError.validation('enterpriseId is required when the centre files for an enterprise', [
        { field: 'enterpriseId', message: 'required' },
      ]);
    }
    return dto.enterpriseId;
  }

  /**
   * The date part of an appeal number: yyyymmdd in TZ_CALENDAR (the whole format: appeal-number.ts).
   */
  numberDay(now: Date): string {
    return this.days.dateOf(now).replace(/-/g, '');
  }

  async get(id: string, actor: Actor): Promise<AppealView> {
    const m = this.db.manager;
    const appeal = await this.reader.getVisible(m, id, actor);
    const [parts] = await this.reader.parts(m, [appeal]);
    return toAppealView(parts, actor, this.clock.now());
  }

  /** The actions the caller may take on the appeal now (the workbench's buttons), from the transition table. */
  async allowedActions(id: string, actor: Actor) {
    return allowedActionsView(await this.get(id, actor), actor, this.config.maxReopens, this.clock.now());
  }

  async list(q: ListAppealsQuery, actor: Actor): Promise<Page<AppealView> & AppealTotal> {
    const limit = q.limit ?? 20;
    const now = this.clock.now();
    const qb = this.filtered(q, actor, now)
      .orderBy('a.created_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .take(limit + 1);
    const after = decodeCursor(q.cursor, ['t', 'id']);
    if (after) qb.andWhere('(a.created_at, a.id) < (:t, :id)', { t: new Date(after.t), id: after.id });
    const page = toPage(await qb.getMany(), limit, (a) => ({ t: a.createdAt.toISOString(), id: a.id }));
    const parts = await this.reader.parts(this.db.manager, page.items);
    const items = parts.map((p) => toAppealView(p, actor, now));
    if (!q.withTotal) return { items, nextCursor: page.nextCursor };
    return { items, nextCursor: page.nextCursor, ...(await this.total(q, actor, now)) };
  }

  /**
   * SPEC §5.1 withTotal: how many appeals the filters find (the cursor aside), counted up to TOTAL_CAP;
   * beyond, TOTAL_CAP with totalCapped. The count stops at TOTAL_CAP + 1 rows, so a broad filter on a
   * large table costs what reading that many index entries costs, never a full count.
   */
  private async total(q: ListAppealsQuery, actor: Actor, now: Date): Promise<AppealTotal> {
    const [sql, params] = this.filtered(q, actor, now)
      .select('1')
      .limit(TOTAL_CAP + 1)
      .getQueryAndParameters();
    const [row]: { n: number }[] = await this.db.query(`SELECT count(*)::int AS n FROM (${sql}) x`, params);
    return row.n > TOTAL_CAP ? { total: TOTAL_CAP, totalCapped: true } : { total: row.n, totalCapped: false };
  }

  /** The appeals the filters and the caller's scope find (SPEC §1 scope, §5.1 finding things). */
  private filtered(q: ListAppealsQuery, actor: Actor, now: Date) {
    const qb = this.db.getRepository(Appeal).createQueryBuilder('a');
    if (actor.role === 'enterprise') qb.andWhere('a.enterprise_id = :ent', { ent: actor.enterpriseId });
    if (actor.role === 'handler')
      qb.andWhere(AppealReader.handlerScopeSql('a', ':dep'), { dep: actor.departmentId });
    if (q.status?.length) qb.andWhere('a.status IN (:...statuses)', { statuses: q.status });
    if (q.categoryCode) qb.andWhere('a.category_code = :cat', { cat: q.categoryCode });
    if (q.leadDepartmentId) qb.andWhere('a.lead_department_id = :lead', { lead: q.leadDepartmentId });
    // a district filter takes a code or its exact name (SPEC §5.1)
    if (q.district)
      qb.andWhere('a.district = coalesce(district_code(:district), :district)', { district: q.district });
    if (q.meetingId) {
      qb.andWhere('a.meeting_id = :meeting', { meeting: q.meetingId });
      // a department never finds a confidential appeal by its meeting (SPEC §5.1): the meeting names its filer
      if (!seesConfidentialLinks(actor)) qb.andWhere('NOT a.confidential');
    }
    if (q.leaderLed !== undefined)
      qb.andWhere(q.leaderLed ? 'a.leader_name IS NOT NULL' : 'a.leader_name IS NULL');
    if (q.from) qb.andWhere('a.created_at >= :from', { from: this.days.queryInstant(q.from, 'start') });
    if (q.to) qb.andWhere('a.created_at < :to', { to: this.days.queryInstant(q.to, 'end') });
    if (q.q?.trim()) {
      const { sql, params } = searchClause(q.q.trim(), actor, this.config.contacts.hashKey);
      qb.andWhere(sql, params);
    }
    if (q.overdue !== undefined) {
      const overdueSql = `EXISTS (SELECT 1 FROM assignments o WHERE o.appeal_id = a.id AND (o.overdue OR
        (o.status = 'dispatched' AND o.ack_due_at < :now) OR (o.status = 'in_progress' AND o.reply_due_at < :now)))`;
      qb.andWhere(q.overdue ? overdueSql : `NOT ${overdueSql}`, { now });
    }
    return qb;
  }

  /**
   * The appeal's events as the disclosure policy lets the caller see them: for an enterprise, its timeline
   * (its own actions and the milestones, labelled, no internal note, no staff id; SPEC §5.1); for anyone
   * else the events, the filer's actor and a confidential appeal's links left out where hidden (SPEC §2).
   */
  async listEvents(id: string, actor: Actor) {
    const m = this.db.manager;
    const appeal = await this.reader.getVisible(m, id, actor);
    const rows = await this.events.list(m, id);
    if (actor.role === 'enterprise') {
      const ids = [
        ...new Set(
          rows.flatMap((e) => (e.action === 'appeal.dispatched' ? [e.data.leadDepartmentId as string] : [])),
        ),
      ];
      const names = new Map(
        ids.length === 0
          ? []
          : (
              await m
                .getRepository(Department)
                .find({ where: { id: In(ids) }, select: { id: true, name: true } })
            ).map((d) => [d.id, d.name] as const),
      );
      return { items: enterpriseTimeline(rows, (d) => names.get(d) ?? null) };
    }
    return { items: rows.map(({ appealId: _a, ...e }) => eventFor({ appealId: id, ...e }, appeal, actor)) };
  }

  async verify(id: string, actor: Actor) {
    // one snapshot: the appeal's recorded head and the events it was taken from
    return this.db.transaction('REPEATABLE READ', async (m) =>
      this.events.verify(m, await this.reader.getVisible(m, id, actor)),
    );
  }
}
