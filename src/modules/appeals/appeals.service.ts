import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/domain-error';
import { decodeCursor, Page, toPage } from '../../common/pagination';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { QueueService } from '../../infra/queue/queue.service';
import type { Actor } from '../auth/auth.decorators';
import { CategoriesService } from '../categories/categories.service';
import { Enterprise } from '../enterprises/enterprise.entity';
import { canonicalJson } from '../workflow/hash-chain';
import { AppealReader } from './appeal-reader';
import { AppealView, currentDueAt, isOverdue, toAppealView } from './appeal-view';
import { CreateAppealDto, ListAppealsQuery, QueueQuery } from './appeals.dto';
import { Appeal, Channel } from './entities/appeal.entity';
import { Assignment } from './entities/assignment.entity';
import { IdempotencyKey } from './entities/idempotency-key.entity';
import { EventLog } from './event-log';

const ENTERPRISE_CHANNELS: Channel[] = ['web', 'app'];
const CENTRE_CHANNELS: Channel[] = ['hotline', 'meeting', 'visit', 'web', 'app'];
const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

export interface FileResult {
  appeal: AppealView;
  replayed: boolean;
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
    private readonly categories: CategoriesService,
    private readonly jobs: QueueService,
  ) {}

  /**
   * SPEC §2 filing. With an Idempotency-Key the key row is claimed first, in the same transaction as
   * the appeal: a concurrent retry blocks on the key's unique index until this commits, then replays.
   */
  async file(dto: CreateAppealDto, actor: Actor, idempotencyKey?: string): Promise<FileResult> {
    const requestHash = createHash('sha256').update(canonicalJson(dto)).digest('hex');
    const appealId = randomUUID();
    type Filed = { replayOf: string } | { filed: { appeal: Appeal; enterpriseName: string } };
    const result = await this.db.transaction(async (m): Promise<Filed> => {
      const now = this.clock.now();
      if (idempotencyKey) {
        const claimed = await m.query(
          `INSERT INTO idempotency_keys (user_id, key, request_hash, appeal_id, created_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (user_id, key) DO UPDATE
             SET request_hash = EXCLUDED.request_hash, appeal_id = EXCLUDED.appeal_id,
                 created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
             WHERE idempotency_keys.expires_at <= $5
           RETURNING key`,
          [
            actor.id,
            idempotencyKey,
            requestHash,
            appealId,
            now,
            new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
          ],
        );
        if (claimed.length === 0) {
          const existing = await m
            .getRepository(IdempotencyKey)
            .findOneByOrFail({ userId: actor.id, key: idempotencyKey });
          if (existing.requestHash !== requestHash) {
            throw new DomainError(
              'IDEMPOTENCY_KEY_REUSED',
              'this Idempotency-Key was used with a different request body',
            );
          }
          return { replayOf: existing.appealId! };
        }
      }
      return { filed: await this.insertAppeal(m, appealId, dto, actor, now) };
    });
    if ('replayOf' in result) return { appeal: await this.get(result.replayOf, actor), replayed: true };
    const { appeal, enterpriseName } = result.filed;
    await this.enqueueRouting(appeal.id);
    // a new appeal has no assignments, survey or extension yet: answer from what was written
    const view = toAppealView(
      { appeal, assignments: [], survey: null, pendingExtension: null, enterpriseName },
      actor,
      this.clock.now(),
    );
    return { appeal: view, replayed: false };
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

  /** Validation first; the day counter is taken last, so its row lock is held for as short a time as possible. */
  private async insertAppeal(
    m: EntityManager,
    id: string,
    dto: CreateAppealDto,
    actor: Actor,
    now: Date,
  ): Promise<{ appeal: Appeal; enterpriseName: string }> {
    const enterpriseId = this.filingEnterprise(dto, actor);
    const enterprise = await m.getRepository(Enterprise).findOneBy({ id: enterpriseId });
    if (!enterprise)
      throw DomainError.validation('enterpriseId does not name an enterprise', [
        { field: 'enterpriseId', message: 'no such enterprise' },
      ]);
    await this.categories.getByCode(dto.categoryCode, 'categoryCode', m);
    const channel = dto.channel ?? (actor.role === 'enterprise' ? 'web' : 'hotline');
    const allowed = actor.role === 'enterprise' ? ENTERPRISE_CHANNELS : CENTRE_CHANNELS;
    if (!allowed.includes(channel)) {
      throw DomainError.validation(`channel ${channel} is not open to ${actor.role}s`, [
        { field: 'channel', message: `one of ${allowed.join(', ')}` },
      ]);
    }
    const number = await this.nextNumber(m, now);
    const repo = m.getRepository(Appeal);
    const appeal = repo.create({
      id,
      number,
      type: dto.type,
      categoryCode: dto.categoryCode,
      title: dto.title,
      content: dto.content,
      urgency: dto.urgency ?? 'normal',
      district: dto.district ?? enterprise.district,
      channel,
      enterpriseId,
      contactName: dto.contactName ?? enterprise.contactName,
      contactPhone: dto.contactPhone ?? enterprise.contactPhone,
      confidential: dto.confidential ?? dto.type === 'report',
      status: 'submitted',
      leadDepartmentId: null,
      reopenCount: 0,
      supervised: false,
      version: 1,
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
    });
    await repo.insert(appeal);
    await this.events.appendFirst(m, appeal.id, [
      {
        action: 'appeal.submitted',
        actorId: actor.id,
        actorRole: actor.role,
        fromStatus: null,
        toStatus: 'submitted',
        data: {
          number,
          channel,
          type: appeal.type,
          categoryCode: appeal.categoryCode,
          urgency: appeal.urgency,
        },
        at: now,
      },
    ]);
    return { appeal, enterpriseName: enterprise.name };
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

  /** ZQT + the Shanghai-time date + a per-day sequence: unique and sortable under concurrent filing. */
  private async nextNumber(m: EntityManager, now: Date): Promise<string> {
    this.dayFormat ??= new Intl.DateTimeFormat('en-CA', {
      timeZone: this.config.calendarTimeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    const day = this.dayFormat.format(now);
    const [{ last }] = await m.query(
      `INSERT INTO appeal_number_counters (day, last) VALUES ($1, 1)
       ON CONFLICT (day) DO UPDATE SET last = appeal_number_counters.last + 1 RETURNING last`,
      [day],
    );
    return `ZQT${day.replace(/-/g, '')}${String(last).padStart(5, '0')}`;
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
