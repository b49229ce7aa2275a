import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { bulkInsert, BulkColumn } from '../../infra/database/bulk-insert';
import type { Actor } from '../auth/auth.decorators';
import { WebhookOutbox } from '../webhooks/webhook-outbox';
import type { ActorRole } from '../workflow/appeal-state-machine';
import { eventHash, GENESIS_HASH, verifyChain, VerifyResult } from '../workflow/hash-chain';
import { AppealReader } from './appeal-reader';
import { toAppealView } from './appeal-view';
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

/** Webhook snapshots start from the appeal as an admin sees it; the outbox hides the filer where SPEC §2 says. */
export const WEBHOOK_VIEWER: Actor = {
  id: 'webhooks',
  username: 'webhooks',
  role: 'admin',
  departmentId: null,
  enterpriseId: null,
};

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

  /** Several appeals' events in one insert: the chain heads are read in one query, the outbox once. */
  async appendMany(
    m: EntityManager,
    items: { appealId: string; events: NewEvent[] }[],
  ): Promise<AppealEvent[]> {
    const ids = [...new Set(items.filter((i) => i.events.length > 0).map((i) => i.appealId))];
    if (ids.length === 0) return [];
    const heads: { appeal_id: string; seq: number; hash: string }[] = await m.query(
      `SELECT DISTINCT ON (appeal_id) appeal_id, seq, hash FROM appeal_events
       WHERE appeal_id = ANY($1) ORDER BY appeal_id, seq DESC`,
      [ids],
    );
    const head = new Map(heads.map((h) => [h.appeal_id, { seq: h.seq, hash: h.hash }]));
    const rows = items.flatMap((i) => {
      const last = head.get(i.appealId) ?? { seq: 0, hash: GENESIS_HASH };
      const chained = chain(i.appealId, i.events, last.seq, last.hash);
      if (chained.length > 0) head.set(i.appealId, chained[chained.length - 1]);
      return chained;
    });
    return this.write(m, rows);
  }

  private async write(m: EntityManager, rows: AppealEvent[]): Promise<AppealEvent[]> {
    if (rows.length === 0) return rows;
    await bulkInsert(m, 'appeal_events', EVENT_COLUMNS, rows);
    await this.outbox.record(m, rows, (appealId, at) => this.snapshot(m, appealId, at));
    return rows;
  }

  /**
   * The appeal as the API shows it, read through the caller's transaction: callers update the appeal
   * before appending, so this is the state after the change.
   */
  private async snapshot(m: EntityManager, appealId: string, at: Date) {
    const appeal = await m.getRepository(Appeal).findOneByOrFail({ id: appealId });
    const [parts] = await this.reader.parts(m, [appeal]);
    return toAppealView(parts, WEBHOOK_VIEWER, at);
  }

  list(m: EntityManager, appealId: string): Promise<AppealEvent[]> {
    return m.getRepository(AppealEvent).find({ where: { appealId }, order: { seq: 'ASC' } });
  }

  async verify(m: EntityManager, appealId: string): Promise<VerifyResult> {
    return verifyChain(await this.list(m, appealId));
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
