import type { ActorRole } from '../workflow/appeal-state-machine';
import type { WebhookSnapshot } from '../webhooks/webhook-outbox';
import { eventHashInput, GENESIS_HASH } from '../workflow/hash-chain';
import { AppealParts, toAppealView } from './appeal-view';
import { webhookViewer } from './disclosure';
import type { AppealEvent } from './entities/appeal-event.entity';
import type { Appeal } from './entities/appeal.entity';
import { FiledFields, newAppeal } from './entities/new-appeal';

/** What a filing decides of a new appeal, and the names its webhook snapshot shows beside its ids. */
export interface Filing extends Omit<FiledFields, 'eventCount'> {
  actorRole: ActorRole;
  enterpriseName: string | null;
  categoryName: string | null;
}

/** A new appeal as it is written: its row, its first event, that event's hash input and the webhook snapshot. */
export interface FirstFiling {
  /** the row: one event, its head the hash of `hashInput` (left null here) */
  appeal: Appeal;
  /** the first event, the chain's first link after genesis, without its hash */
  event: Omit<AppealEvent, 'hash'>;
  /** the text whose SHA-256 (hex) is the first event's hash and the appeal's event_head */
  hashInput: string;
  /** the appeal as webhooks see it at filing, with and without confidential access */
  snapshot: WebhookSnapshot;
}

/**
 * The one builder of a new appeal (SPEC §2): single filing (AppealsService, in one SQL statement) and batch
 * filing (BatchFiling) both make the row, the first event (`appeal.submitted`), its hash input and the webhook
 * snapshots here, so they cannot differ. Pure. A meeting's appeal records the meeting in the event's data.
 *
 * Single filing gives JsonHoles stand-ins for what only its statement knows (the number, the defaults read
 * from the enterprise, the names); its statement text must not depend on the values, so it asks with
 * `hiddenAsConfidential` for the snapshot without confidential access made as for a confidential appeal
 * whatever this one is, and sends that one only where the appeal is confidential.
 */
export function firstFiling(filing: Filing, opts: { hiddenAsConfidential?: boolean } = {}): FirstFiling {
  const { actorRole, enterpriseName, categoryName, ...fields } = filing;
  const appeal = newAppeal({ ...fields, eventCount: 1 });
  const event = {
    appealId: appeal.id,
    seq: 1,
    action: 'appeal.submitted',
    actorId: appeal.createdBy,
    actorRole,
    fromStatus: null,
    toStatus: 'submitted',
    data: {
      number: appeal.number,
      channel: appeal.channel,
      type: appeal.type,
      categoryCode: appeal.categoryCode,
      urgency: appeal.urgency,
      ...(appeal.meetingId === null ? {} : { meetingId: appeal.meetingId }),
    },
    createdAt: appeal.createdAt,
    prevHash: GENESIS_HASH,
  };
  const parts = filedParts(appeal, enterpriseName, categoryName);
  const sealed = opts.hiddenAsConfidential ? { ...parts, appeal: { ...appeal, confidential: true } } : parts;
  return {
    appeal,
    event,
    hashInput: eventHashInput(GENESIS_HASH, event),
    snapshot: {
      withAccess: toAppealView(parts, webhookViewer(true), appeal.createdAt),
      withoutAccess: toAppealView(sealed, webhookViewer(false), appeal.createdAt),
    },
  };
}

/** A just-filed appeal's parts for toAppealView: nothing assigned, surveyed or requested yet. */
export function filedParts(
  appeal: Appeal,
  enterpriseName: string | null,
  categoryName: string | null,
): AppealParts {
  return {
    appeal,
    assignments: [],
    survey: null,
    pendingExtension: null,
    enterpriseName,
    names: {
      departments: new Map(),
      categories: new Map(categoryName === null ? [] : [[appeal.categoryCode, categoryName]]),
      duplicateLeads: new Map(),
    },
  };
}
