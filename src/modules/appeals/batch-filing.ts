import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/domain-error';
import { bulkInsert, BulkColumn } from '../../infra/database/bulk-insert';
import type { Actor } from '../auth/auth.decorators';
import { AppealReader } from './appeal-reader';
import { AppealView, toAppealView } from './appeal-view';
import { AppealsService } from './appeals.service';
import { Appeal, AppealType, Channel, Urgency } from './entities/appeal.entity';
import { EventLog } from './event-log';
import { AppealActions } from './appeal.actions';
import { AppealWriter, Change } from './appeal-writer';
import { AppealEvent } from './entities/appeal-event.entity';
import { Filing, firstFiling } from './first-filing';
import { hashOfInput } from '../workflow/hash-chain';
import { appealNumberOf, appealNumberSql } from './appeal-number';

/** One appeal of a batch, as the centre files it for an enterprise. */
export interface BatchItem {
  enterpriseId: string;
  type: AppealType;
  categoryCode: string;
  title: string;
  content: string;
  urgency?: Urgency;
  /** answered on the spot at once (现场解决): the content of the answer */
  resolvedOnSpot?: string;
}

/** What the batch shares: the channel, the meeting, the district when the enterprise has none. */
export interface BatchContext {
  items: BatchItem[];
  channel: Channel;
  meetingId: string | null;
  district: string | null;
}

/** A problem with one item: SPEC §5 details naming its index. */
export interface ItemProblem {
  index: number;
  field: string;
  message: string;
}

export function itemsInvalid(problems: ItemProblem[]): DomainError {
  const first = problems[0];
  return DomainError.validation(`item ${first.index}: ${first.field} ${first.message}`, problems);
}

const APPEAL_COLUMNS: BulkColumn<Appeal>[] = [
  ['id', 'uuid', (a) => a.id],
  ['number', 'text', (a) => a.number],
  ['type', 'text', (a) => a.type],
  ['category_code', 'text', (a) => a.categoryCode],
  ['title', 'text', (a) => a.title],
  ['content', 'text', (a) => a.content],
  ['urgency', 'text', (a) => a.urgency],
  ['district', 'text', (a) => a.district],
  ['channel', 'text', (a) => a.channel],
  ['enterprise_id', 'uuid', (a) => a.enterpriseId],
  ['contact_name', 'text', (a) => a.contactName],
  ['contact_phone', 'text', (a) => a.contactPhone],
  ['confidential', 'boolean', (a) => a.confidential],
  ['status', 'text', (a) => a.status],
  ['reopen_count', 'int', (a) => a.reopenCount],
  ['supervised', 'boolean', (a) => a.supervised],
  ['version', 'int', (a) => a.version],
  ['created_by', 'uuid', (a) => a.createdBy],
  ['created_at', 'timestamptz', (a) => a.createdAt],
  ['updated_at', 'timestamptz', (a) => a.updatedAt],
  ['meeting_id', 'uuid', (a) => a.meetingId],
  ['event_count', 'int', (a) => a.eventCount],
  ['event_head', 'text', (a) => a.eventHead],
];

interface EnterpriseRow {
  id: string;
  name: string;
  district: string | null;
  contact_name: string;
  contact_phone: string;
}

/**
 * Many appeals filed by the centre at once, all or none (SPEC §8.1, a meeting's issues): one transaction
 * with a fixed number of statements whatever the batch size — the references checked in two reads, the
 * numbers taken in one, the appeals inserted in one, their first events (each chain's first link) in one,
 * and the items answered on the spot resolved through the appeal writer in one locked batch. A bad item
 * is a 400 naming its index, before any number is taken or any row written. After commit, the wake-ups
 * of the answered ones are armed and routing is queued for all (routing skips those already answered).
 */
@Injectable()
export class BatchFiling {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly appeals: AppealsService,
    private readonly reader: AppealReader,
    private readonly events: EventLog,
    private readonly writer: AppealWriter,
    private readonly actions: AppealActions,
  ) {}

  /**
   * `prepare` runs first in the transaction (lock the meeting, check who attended) and gives the batch;
   * it throws to refuse it.
   */
  async file(actor: Actor, prepare: (m: EntityManager) => Promise<BatchContext>): Promise<AppealView[]> {
    const appeals = await this.writer.transaction(async (tx) => {
      const m = tx.m;
      const batch = await prepare(m);
      const { enterprises, categories } = await this.check(m, batch.items);
      const now = this.clock.now();
      const numbers = await this.numbers(m, batch.items, now);
      // each appeal's row, first event (its chain's first link), hash and webhook snapshot, as single filing
      // makes them
      const filed = batch.items.map((item, i) => {
        const e = enterprises.get(item.enterpriseId)!;
        const f = firstFiling(
          issueFiling(item, numbers[i], e, categories.get(item.categoryCode)!, batch, actor, now),
        );
        const hash = hashOfInput(f.hashInput);
        f.appeal.eventHead = hash;
        return { ...f, event: Object.assign(new AppealEvent(), { ...f.event, hash }) };
      });
      const rows = filed.map((f) => f.appeal);
      const snapshots = new Map(filed.map((f) => [f.appeal.id, f.snapshot]));
      await bulkInsert(m, 'appeals', APPEAL_COLUMNS, rows);
      await this.events.write(
        m,
        filed.map((f) => f.event),
        async (appealId) => snapshots.get(appealId)!,
      );
      const answers = new Map(
        batch.items.flatMap((item, i) =>
          item.resolvedOnSpot === undefined ? [] : [[rows[i].id, item.resolvedOnSpot] as const],
        ),
      );
      if (answers.size > 0)
        await tx.changeWithin([...answers.keys()], actor, async (steps) => {
          const changes = new Map<string, Change>();
          for (const step of steps)
            changes.set(step.appeal.id, await this.actions.resolveChange(step, answers.get(step.appeal.id)!));
          return changes;
        });
      return rows;
    });
    await this.appeals.enqueueRouting(...appeals.map((a) => a.id));
    const fresh = await this.db.getRepository(Appeal).findBy({ id: In(appeals.map((a) => a.id)) });
    const byId = new Map(fresh.map((a) => [a.id, a]));
    const parts = await this.reader.parts(
      this.db.manager,
      appeals.map((a) => byId.get(a.id)!),
    );
    const now = this.clock.now();
    return parts.map((p) => toAppealView(p, actor, now));
  }

  /**
   * The batch's numbers, in item order. The ordinary items take consecutive values in one call; each
   * confidential item (a report, 举报) then takes its own value after a random run of skipped ones, so its
   * number sits next to no other item of the batch and does not tie it to the enterprises filed with it
   * (SPEC §5.1; numbers are unique and sortable, not gapless). Still one statement.
   */
  private async numbers(m: EntityManager, items: BatchItem[], now: Date): Promise<string[]> {
    const confidential = items.map(isConfidentialIssue);
    const gaps = confidential.map((c) => (c ? 2 + randomInt(30) : 0));
    const rows: { i: number; number: string }[] = await m.query(
      `WITH plain AS (
         SELECT i, ${appealNumberSql('$1')} AS number
           FROM unnest($2::int[]) AS i ORDER BY i),
       sealed AS (
         SELECT i, (SELECT ${appealNumberOf('$1', 'max(v)')}
                      FROM (SELECT nextval('appeal_number_seq') AS v FROM generate_series(1, g)) s) AS number
           FROM (SELECT * FROM unnest($3::int[], $4::int[]) AS x(i, g) ORDER BY i) c)
       SELECT i, number FROM plain UNION ALL SELECT i, number FROM sealed`,
      [
        this.appeals.numberDay(now),
        items.flatMap((_, i) => (confidential[i] ? [] : [i])),
        items.flatMap((_, i) => (confidential[i] ? [i] : [])),
        gaps.filter((g) => g > 0),
      ],
    );
    const byIndex = new Map(rows.map((r) => [Number(r.i), r.number]));
    return items.map((_, i) => byIndex.get(i)!);
  }

  /** The categories and enterprises the items name, in two reads; every unknown one is a problem. */
  private async check(
    m: EntityManager,
    items: BatchItem[],
  ): Promise<{ enterprises: Map<string, EnterpriseRow>; categories: Map<string, string> }> {
    const codes: { code: string; name: string }[] = await m.query(
      `SELECT code, name FROM categories WHERE code = ANY($1)`,
      [[...new Set(items.map((i) => i.categoryCode))]],
    );
    const categories = new Map(codes.map((c) => [c.code, c.name]));
    const rows: EnterpriseRow[] = await m.query(
      `SELECT id, name, district, contact_name, contact_phone FROM enterprises WHERE id = ANY($1::uuid[])`,
      [[...new Set(items.map((i) => i.enterpriseId))]],
    );
    const enterprises = new Map(rows.map((e) => [e.id, e]));
    const problems: ItemProblem[] = items.flatMap((item, index) => [
      ...(enterprises.has(item.enterpriseId)
        ? []
        : [{ index, field: `items.${index}.enterpriseId`, message: 'no such enterprise' }]),
      ...(categories.has(item.categoryCode)
        ? []
        : [{ index, field: `items.${index}.categoryCode`, message: 'no such category' }]),
    ]);
    if (problems.length > 0) throw itemsInvalid(problems);
    return { enterprises, categories };
  }
}

const isConfidentialIssue = (item: BatchItem) => item.type === 'report';

/** A meeting issue as a new appeal, for firstFiling(). */
function issueFiling(
  item: BatchItem,
  number: string,
  e: EnterpriseRow,
  categoryName: string,
  batch: BatchContext,
  actor: Actor,
  now: Date,
): Filing {
  return {
    number,
    type: item.type,
    categoryCode: item.categoryCode,
    title: item.title,
    content: item.content,
    urgency: item.urgency ?? 'normal',
    // a report's district is the meeting's, never its filer's (SPEC §5.1)
    district: isConfidentialIssue(item) ? batch.district : (e.district ?? batch.district),
    channel: batch.channel,
    enterpriseId: e.id,
    contactName: e.contact_name,
    contactPhone: e.contact_phone,
    confidential: isConfidentialIssue(item),
    meetingId: batch.meetingId,
    createdBy: actor.id,
    createdAt: now,
    actorRole: actor.role,
    enterpriseName: e.name,
    categoryName,
  };
}
