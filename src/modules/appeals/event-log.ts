import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
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

/** Webhook snapshots show the appeal as an admin sees it: nothing hidden (SPEC §5). */
export const WEBHOOK_VIEWER: Actor = {
  id: 'webhooks',
  username: 'webhooks',
  role: 'admin',
  departmentId: null,
  enterpriseId: null,
};

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

  async append(m: EntityManager, appealId: string, events: NewEvent[]): Promise<AppealEvent[]> {
    const last = await m
      .getRepository(AppealEvent)
      .findOne({ where: { appealId }, order: { seq: 'DESC' }, select: { seq: true, hash: true } });
    return this.write(m, appealId, events, last?.seq ?? 0, last?.hash ?? GENESIS_HASH);
  }

  /** The first events of an appeal inserted in this same transaction: the chain starts at genesis. */
  appendFirst(m: EntityManager, appealId: string, events: NewEvent[]): Promise<AppealEvent[]> {
    return this.write(m, appealId, events, 0, GENESIS_HASH);
  }

  private async write(
    m: EntityManager,
    appealId: string,
    events: NewEvent[],
    lastSeq: number,
    lastHash: string,
  ): Promise<AppealEvent[]> {
    const repo = m.getRepository(AppealEvent);
    let seq = lastSeq;
    let prevHash = lastHash;
    const rows: AppealEvent[] = [];
    for (const e of events) {
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
      rows.push(repo.create({ ...body, prevHash, hash }));
      prevHash = hash;
    }
    // jsonb data is typed loosely; TypeORM's deep-partial type cannot follow Record<string, unknown>
    await repo.insert(rows as unknown as QueryDeepPartialEntity<AppealEvent>[]);
    if (rows.length > 0) {
      const at = rows[rows.length - 1].createdAt;
      await this.outbox.record(m, appealId, rows, () => this.snapshot(m, appealId, at));
    }
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
