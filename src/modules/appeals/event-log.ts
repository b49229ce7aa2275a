import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { bulkInsert, BulkColumn } from '../../infra/database/bulk-insert';
import { WebhookOutbox, WebhookSnapshot } from '../webhooks/webhook-outbox';
import type { ActorRole } from '../workflow/appeal-state-machine';
import { eventHash, GENESIS_HASH, verifyChain, VerifyResult } from '../workflow/hash-chain';
import { AppealReader } from './appeal-reader';
import { toAppealView } from './appeal-view';
import { webhookViewer } from './disclosure';
import { AppealEvent } from './entities/appeal-event.entity';
import { Appeal } from './entities/appeal.entity';

export interface NewEvent {
  action: string;
  actorId: string | null;
  actorRole: ActorRole;
  fromStatus: string | null;
  toStatus: string | null;
  data?: Record<string, unknown>;
  at: Date;
}

const EVENT_COLUMNS: BulkColumn<AppealEvent>[] = [
  ['appeal_id', 'uuid', (e) => e.appealId],
  ['seq', 'int', (e) => e.seq],
  ['action', 'text', (e) => e.action],
  ['actor_id', 'uuid', (e) => e.actorId],
  ['actor_role', 'text', (e) => e.actorRole],
  ['from_status', 'text', (e) => e.fromStatus],
  ['to_status', 'text', (e) => e.toStatus],
  ['data', 'jsonb', (e) => JSON.stringify(e.data)],
  ['created_at', 'timestamptz', (e) => e.createdAt],
  ['prev_hash', 'text', (e) => e.prevHash],
  ['hash', 'text', (e) => e.hash],
];

/**
 * Appends to an appeal's hash chain. Callers hold the appeal row lock (SELECT … FOR UPDATE), so the
 * last event read here is the last one there is; (appeal_id, seq) is the primary key besides.
 * Every append also writes the webhook outbox in the same transaction (SPEC §5).
 */
@Injectable()
export class EventLog {
  constructor(
    private readonly outbox: WebhookOutbox,
    private readonly reader: AppealReader,
  ) {}

  /**
   * Chains several appeals' new events after the heads their locked rows record (event_count,
   * event_head): no query. Returns the rows to write and each appeal's new head, which the caller stores
   * on the appeal in the same transaction (the writer's compare-and-set) before write().
   */
  chainMany(items: { appeal: Pick<Appeal, 'id' | 'eventCount' | 'eventHead'>; events: NewEvent[] }[]): {
    rows: AppealEvent[];
    heads: Map<string, { eventCount: number; eventHead: string }>;
  } {
    const heads = new Map<string, { eventCount: number; eventHead: string }>();
    const rows = items.flatMap(({ appeal, events }) => {
      const last = heads.get(appeal.id) ?? {
        eventCount: appeal.eventCount,
        eventHead: appeal.eventHead ?? GENESIS_HASH,
      };
      const chained = chain(appeal.id, events, last.eventCount, last.eventHead);
      if (chained.length > 0) {
        const end = chained[chained.length - 1];
        heads.set(appeal.id, { eventCount: end.seq, eventHead: end.hash });
      }
      return chained;
    });
    return { rows, heads };
  }

  /**
   * Inserts chained events in one statement and their webhook deliveries (the outbox) once. The snapshot is
   * read back through the transaction unless the caller already has it (filing: firstFiling()).
   */
  async write(
    m: EntityManager,
    rows: AppealEvent[],
    snapshot: (appealId: string, at: Date) => Promise<WebhookSnapshot> = (appealId, at) =>
      this.snapshot(m, appealId, at),
  ): Promise<AppealEvent[]> {
    if (rows.length === 0) return rows;
    await bulkInsert(m, 'appeal_events', EVENT_COLUMNS, rows);
    await this.outbox.record(m, rows, snapshot);
    return rows;
  }

  /**
   * The appeal as a webhook sees it, with and without confidential access (the disclosure policy decides
   * both), read through the caller's transaction: callers update the appeal before appending, so this is
   * the state after the change.
   */
  private async snapshot(m: EntityManager, appealId: string, at: Date): Promise<WebhookSnapshot> {
    const appeal = await m.getRepository(Appeal).findOneByOrFail({ id: appealId });
    const [parts] = await this.reader.parts(m, [appeal]);
    return {
      withAccess: toAppealView(parts, webhookViewer(true), at),
      withoutAccess: toAppealView(parts, webhookViewer(false), at),
    };
  }

  list(m: EntityManager, appealId: string): Promise<AppealEvent[]> {
    return m.getRepository(AppealEvent).find({ where: { appealId }, order: { seq: 'ASC' } });
  }

  /** The chain checked link by link and against the head the appeal row records. */
  async verify(
    m: EntityManager,
    appeal: Pick<Appeal, 'id' | 'eventCount' | 'eventHead'>,
  ): Promise<VerifyResult> {
    return verifyChain(await this.list(m, appeal.id), { count: appeal.eventCount, hash: appeal.eventHead });
  }
}

/** Hash-chains an appeal's new events after (lastSeq, lastHash). */
function chain(appealId: string, events: NewEvent[], lastSeq: number, lastHash: string): AppealEvent[] {
  let seq = lastSeq;
  let prevHash = lastHash;
  return events.map((e) => {
    seq += 1;
    const body = {
      appealId,
      seq,
      action: e.action,
      actorId: e.actorId,
      actorRole: e.actorRole,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      data: e.data ?? {},
      createdAt: e.at,
    };
    const hash = eventHash(prevHash, body);
    const row = Object.assign(new AppealEvent(), { ...body, prevHash, hash });
    prevHash = hash;
    return row;
  });
}
