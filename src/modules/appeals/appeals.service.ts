import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, MoreThan } from 'typeorm';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/domain-error';
import { decodeCursor, Page, toPage } from '../../common/pagination';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { QueueService } from '../../infra/queue/queue.service';
import type { Actor } from '../auth/auth.decorators';
import { WebhookOutbox } from '../webhooks/webhook-outbox';
import { canonicalJson, eventHash, GENESIS_HASH } from '../workflow/hash-chain';
import { AppealReader } from './appeal-reader';
import { AppealParts, AppealView, currentDueAt, isOverdue, toAppealView } from './appeal-view';
import { CreateAppealDto, ListAppealsQuery, QueueQuery } from './appeals.dto';
import { Appeal, Channel } from './entities/appeal.entity';
import { Assignment } from './entities/assignment.entity';
import { IdempotencyKey } from './entities/idempotency-key.entity';
import { EventLog, WEBHOOK_VIEWER } from './event-log';

const ENTERPRISE_CHANNELS: Channel[] = ['web', 'app'];
const CENTRE_CHANNELS: Channel[] = ['hotline', 'meeting', 'visit', 'web', 'app'];
const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
/** Digits of the sequence part of an appeal number: fixed, so numbers sort as strings (see number()). */
const NUMBER_DIGITS = 10;

export interface FileResult {
  appeal: AppealView;
  replayed: boolean;
}

interface FilingReferenceRow {
  enterprise_found: boolean;
  name: string | null;
  district: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  category_found: boolean;
  /** int8 comes back from pg as a string */
  seq: string | null;
}

/** What filing reads before it writes: the enterprise's defaults and the appeal's sequence value. */
interface FilingReference {
  name: string;
  district: string | null;
  contactName: string | null;
  contactPhone: string | null;
  seq: string;
}

/** Filing and reading appeals. The actions of the loop live in AppealActionsService. */
@Injectable()
export class AppealsService {
  private readonly logger = new Logger(AppealsService.name);
  private dayFormat?: Intl.DateTimeFormat;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly reader: AppealReader,
    private readonly events: EventLog,
    private readonly outbox: WebhookOutbox,
    private readonly jobs: QueueService,
  ) {}

  /**
   * SPEC §2 filing, in two statements and no transaction block:
   *
   * 1. the enterprise, whether the category exists, and (only when both do and the channel is allowed) the
   *    appeal's sequence value;
   * 2. one statement that claims the Idempotency-Key (when given), inserts the appeal, its first event and
   *    the webhook outbox rows. A single statement is atomic on its own: all of it commits or none.
   *
   * The number has to be known before statement 2, because the first event's data carries it and the event
   * hash (computed here, hash-chain.ts) covers that data.
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
    let ref: FilingReference;
    try {
      ref = await this.reference(enterpriseId, dto.categoryCode, channel, allowed, actor);
    } catch (err) {
      // the same key with another body is 422 even when that body is invalid; the same body replays
      if (idempotencyKey && err instanceof DomainError && err.code === 'VALIDATION_FAILED') {
        const replayOf = await this.existingKey(actor, idempotencyKey, requestHash!);
        if (replayOf) return { appeal: await this.get(replayOf, actor), replayed: true };
      }
      throw err;
    }

    const now = this.clock.now();
    const appeal: Appeal = {
      id: randomUUID(),
      number: this.number(now, ref.seq),
      type: dto.type,
      categoryCode: dto.categoryCode,
      title: dto.title,
      content: dto.content,
      urgency: dto.urgency ?? 'normal',
      district: dto.district ?? ref.district,
      channel,
      enterpriseId,
      contactName: dto.contactName ?? ref.contactName,
      contactPhone: dto.contactPhone ?? ref.contactPhone,
      confidential: dto.confidential ?? dto.type === 'report',
      status: 'submitted',
      leadDepartmentId: null,
      reopenCount: 0,
      supervised: false,
      version: 1,
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
      dispatchedAt: null,
      replyContent: null,
      replyOutcome: null,
      repliedAt: null,
      surveyDueAt: null,
      closedAt: null,
      closeReason: null,
      statusReason: null,
      latestSatisfaction: null,
      latestResolved: null,
      mergedIntoId: null,
      suggestedRouting: null,
      possibleDuplicates: null,
      routedAt: null,
    };
    const parts: AppealParts = {
      appeal,
      assignments: [],
      survey: null,
      pendingExtension: null,
      enterpriseName: ref.name,
    };
    const claim = idempotencyKey
      ? {
          key: idempotencyKey,
          requestHash: requestHash!,
          expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
        }
      : undefined;
    const filed = await this.insertAppeal(appeal, parts, actor, claim);
    if (!filed) {
      const replayOf = await this.existingKey(actor, idempotencyKey!, requestHash!);
      // the key expired and was deleted between the claim and this read: practically never; say so plainly
      if (!replayOf) throw new DomainError('CONFLICT', 'this Idempotency-Key is being used; retry');
      return { appeal: await this.get(replayOf, actor), replayed: true };
    }
    await this.enqueueRouting(appeal.id);
    // a new appeal has no assignments, survey or extension yet: answer from what was written
    return { appeal: toAppealView(parts, actor, now), replayed: false };
  }

  /**
   * Automatic routing and duplicate detection run in a job after the filing commits (issue 5). The appeal
   * is durable either way: if Redis cannot take the job, the routing sweeper finds the appeal unrouted.
   */
  private async enqueueRouting(appealId: string): Promise<void> {
    try {
      await this.jobs.add('routing.route', { appealId }, { key: [appealId] });
    } catch (err) {
      this.logger.warn(`routing of ${appealId} left to the sweeper: ${(err as Error).message}`);
    }
  }

  /**
   * One statement: the filing enterprise's defaults, whether the category exists, and a value of
   * appeal_number_seq. nextval is only called when the filing is valid, so a bad enterprise, category or
   * channel takes no number. (A value taken by a filing that fails later is lost, which is allowed: SPEC §5
   * asks numbers to be unique and sortable, not gapless.)
   */
  private async reference(
    enterpriseId: string,
    categoryCode: string,
    channel: Channel,
    allowed: Channel[],
    actor: Actor,
  ): Promise<FilingReference> {
    const channelAllowed = allowed.includes(channel);
    const [row] = await this.db.query<FilingReferenceRow[]>(
      `SELECT r.*, CASE WHEN $3 AND r.enterprise_found AND r.category_found
                        THEN nextval('appeal_number_seq') END AS seq
         FROM (SELECT e.id IS NOT NULL AS enterprise_found, e.name, e.district, e.contact_name, e.contact_phone,
                      EXISTS (SELECT 1 FROM categories c WHERE c.code = $2) AS category_found
                 FROM (VALUES (1)) one LEFT JOIN enterprises e ON e.id = $1) r`,
      [enterpriseId, categoryCode, channelAllowed],
    );
    if (!row.enterprise_found)
      throw DomainError.validation('enterpriseId does not name an enterprise', [
        { field: 'enterpriseId', message: 'no such enterprise' },
      ]);
    if (!row.category_found)
      throw DomainError.validation('categoryCode does not name a category', [
        { field: 'categoryCode', message: 'no such category' },
      ]);
    if (!channelAllowed) {
      throw DomainError.validation(`channel ${channel} is not open to ${actor.role}s`, [
        { field: 'channel', message: `one of ${allowed.join(', ')}` },
      ]);
    }
    return {
      name: row.name!,
      district: row.district,
      contactName: row.contact_name,
      contactPhone: row.contact_phone,
      seq: row.seq!,
    };
  }

  /**
   * The appeal, its first event (appeal.submitted, the chain's first link) and the webhook outbox rows in
   * one statement; with a key, only if the key's claim succeeds. Returns false when the key was taken.
   * The event's FK to the appeal is checked at the end of the statement, after both rows exist.
   */
  private async insertAppeal(
    a: Appeal,
    parts: AppealParts,
    actor: Actor,
    claim?: { key: string; requestHash: string; expiresAt: Date },
  ): Promise<boolean> {
    const params: unknown[] = [];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const event = {
      appealId: a.id,
      seq: 1,
      action: 'appeal.submitted',
      actorId: actor.id,
      actorRole: actor.role,
      fromStatus: null,
      toStatus: 'submitted',
      data: {
        number: a.number,
        channel: a.channel,
        type: a.type,
        categoryCode: a.categoryCode,
        urgency: a.urgency,
      },
      createdAt: a.createdAt,
    };
    const hash = eventHash(GENESIS_HASH, event);
    const values = [
      a.id,
      a.number,
      a.type,
      a.categoryCode,
      a.title,
      a.content,
      a.urgency,
      a.district,
      a.channel,
      a.enterpriseId,
      a.contactName,
      a.contactPhone,
      a.confidential,
      a.status,
      a.reopenCount,
      a.supervised,
      a.version,
      a.createdBy,
      a.createdAt,
      a.updatedAt,
    ]
      .map(p)
      .join(', ');
    const columns = `id, number, type, category_code, title, content, urgency, district, channel, enterprise_id,
      contact_name, contact_phone, confidential, status, reopen_count, supervised, version, created_by, created_at,
      updated_at`;
    // an existing key is taken over only once it has expired (the purge job deletes expired keys later)
    const claimed = claim
      ? `claim AS (
           INSERT INTO idempotency_keys (user_id, key, request_hash, appeal_id, created_at, expires_at)
           VALUES (${p(actor.id)}, ${p(claim.key)}, ${p(claim.requestHash)}, ${p(a.id)}, ${p(a.createdAt)}, ${p(claim.expiresAt)})
           ON CONFLICT (user_id, key) DO UPDATE
             SET request_hash = EXCLUDED.request_hash, appeal_id = EXCLUDED.appeal_id,
                 created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
             WHERE idempotency_keys.expires_at <= EXCLUDED.created_at
           RETURNING key),`
      : '';
    const inserted = claim ? `SELECT ${values} WHERE EXISTS (SELECT 1 FROM claim)` : `VALUES (${values})`;
    const sql = `WITH ${claimed}
      appeal AS (INSERT INTO appeals (${columns}) ${inserted} RETURNING id),
      event AS (
        INSERT INTO appeal_events (appeal_id, seq, action, actor_id, actor_role, from_status, to_status, data,
          created_at, prev_hash, hash)
        SELECT appeal.id, ${p(event.seq)}::int, ${p(event.action)}, ${p(event.actorId)}::uuid, ${p(event.actorRole)},
          NULL, ${p(event.toStatus)}, ${p(JSON.stringify(event.data))}::jsonb, ${p(event.createdAt)}::timestamptz,
          ${p(GENESIS_HASH)}, ${p(hash)}
          FROM appeal
        RETURNING appeal_id, seq),
      deliveries AS (${this.outbox.insertSql('event', event, toAppealView(parts, WEBHOOK_VIEWER, a.createdAt), p)})
      SELECT (SELECT count(*) FROM event)::int AS filed`;
    const [{ filed }] = await this.db.query<{ filed: number }[]>(sql, params);
    return filed === 1;
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
   * ZQT + the date in TZ_CALENDAR + the sequence value zero-padded to a fixed 10 digits: unique (one value
   * per nextval), and sorting as strings sorts by date, then by sequence value, which grows with every call,
   * so a filing that starts after another has finished sorts after it. Not gapless (SPEC §5).
   */
  private number(now: Date, seq: string): string {
    this.dayFormat ??= new Intl.DateTimeFormat('en-CA', {
      timeZone: this.config.calendarTimeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    return `ZQT${this.dayFormat.format(now).replace(/-/g, '')}${seq.padStart(NUMBER_DIGITS, '0')}`;
  }

  async get(id: string, actor: Actor): Promise<AppealView> {
    const m = this.db.manager;
    const appeal = await this.reader.getVisible(m, id, actor);
    const [parts] = await this.reader.parts(m, [appeal]);
    return toAppealView(parts, actor, this.clock.now());
  }

  async list(q: ListAppealsQuery, actor: Actor): Promise<Page<AppealView>> {
    const limit = q.limit ?? 20;
    const now = this.clock.now();
    const qb = this.db
      .getRepository(Appeal)
      .createQueryBuilder('a')
      .orderBy('a.created_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .take(limit + 1);
    if (actor.role === 'enterprise') qb.andWhere('a.enterprise_id = :ent', { ent: actor.enterpriseId });
    if (actor.role === 'handler') {
      qb.andWhere(
        'EXISTS (SELECT 1 FROM assignments s WHERE s.appeal_id = a.id AND s.department_id = :dep)',
        { dep: actor.departmentId },
      );
    }
    if (q.status?.length) qb.andWhere('a.status IN (:...statuses)', { statuses: q.status });
    if (q.categoryCode) qb.andWhere('a.category_code = :cat', { cat: q.categoryCode });
    if (q.leadDepartmentId) qb.andWhere('a.lead_department_id = :lead', { lead: q.leadDepartmentId });
    if (q.district) qb.andWhere('a.district = :district', { district: q.district });
    if (q.from) qb.andWhere('a.created_at >= :from', { from: new Date(q.from) });
    if (q.to) qb.andWhere('a.created_at < :to', { to: new Date(q.to) });
    if (q.q) {
      const pattern = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(`(a.title || ' ' || a.content) ILIKE :pattern`, { pattern });
    }
    if (q.overdue !== undefined) {
      const overdueSql = `EXISTS (SELECT 1 FROM assignments o WHERE o.appeal_id = a.id AND (o.overdue OR
        (o.status = 'dispatched' AND o.ack_due_at < :now) OR (o.status = 'in_progress' AND o.reply_due_at < :now)))`;
      qb.andWhere(q.overdue ? overdueSql : `NOT ${overdueSql}`, { now });
    }
    const after = decodeCursor(q.cursor, ['t', 'id']);
    if (after) qb.andWhere('(a.created_at, a.id) < (:t, :id)', { t: new Date(after.t), id: after.id });
    const page = toPage(await qb.getMany(), limit, (a) => ({ t: a.createdAt.toISOString(), id: a.id }));
    const parts = await this.reader.parts(this.db.manager, page.items);
    return { items: parts.map((p) => toAppealView(p, actor, now)), nextCursor: page.nextCursor };
  }

  async listEvents(id: string, actor: Actor) {
    await this.reader.getVisible(this.db.manager, id, actor);
    const rows = await this.events.list(this.db.manager, id);
    return { items: rows.map(({ appealId: _a, ...e }) => ({ appealId: id, ...e })) };
  }

  async verify(id: string, actor: Actor) {
    await this.reader.getVisible(this.db.manager, id, actor);
    return this.events.verify(this.db.manager, id);
  }

  /** GET /queue: the caller's department's open assignments, soonest deadline first (SPEC §5). */
  async queue(q: QueueQuery, actor: Actor) {
    const limit = q.limit ?? 20;
    const now = this.clock.now();
    const due = `CASE WHEN s.status = 'dispatched' THEN s.ack_due_at ELSE s.reply_due_at END`;
    const qb = this.db
      .getRepository(Assignment)
      .createQueryBuilder('s')
      .innerJoinAndSelect('s.appeal', 'a')
      .where('s.department_id = :dep', { dep: actor.departmentId })
      .andWhere(`s.status IN ('dispatched', 'in_progress')`)
      .addSelect(due, 'due_at')
      .orderBy('due_at', 'ASC')
      .addOrderBy('s.id', 'ASC')
      // many-to-one join: no row multiplication, so a plain LIMIT is right (take() would wrap a DISTINCT query)
      .limit(limit + 1);
    if (q.status) qb.andWhere('s.status = :st', { st: q.status });
    if (q.overdue !== undefined)
      qb.andWhere(q.overdue ? `(s.overdue OR ${due} < :now)` : `NOT (s.overdue OR ${due} < :now)`, { now });
    const after = decodeCursor(q.cursor, ['t', 'id']);
    if (after) qb.andWhere(`(${due}, s.id) > (:t, :id)`, { t: new Date(after.t), id: after.id });
    const page = toPage(await qb.getMany(), limit, (s) => ({ t: currentDueAt(s).toISOString(), id: s.id }));
    return {
      items: page.items.map((s) => ({
        assignmentId: s.id,
        appealId: s.appealId,
        number: s.appeal!.number,
        title: s.appeal!.title,
        type: s.appeal!.type,
        categoryCode: s.appeal!.categoryCode,
        urgency: s.appeal!.urgency,
        appealStatus: s.appeal!.status,
        role: s.role,
        status: s.status,
        round: s.round,
        ackDueAt: s.ackDueAt,
        replyDueAt: s.replyDueAt,
        dueAt: currentDueAt(s),
        overdue: isOverdue(s, now),
        warning: s.warning,
        supervised: s.appeal!.supervised,
        reopenCount: s.appeal!.reopenCount,
      })),
      nextCursor: page.nextCursor,
    };
  }
}
