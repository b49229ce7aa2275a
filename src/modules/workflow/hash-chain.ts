/**
 * The append-only, hash-chained event log of SPEC §2: each event's hash covers the previous event's hash
 * and the event itself, so changing, removing or reordering any event breaks every hash after it.
 * Pure: node:crypto only.
 *
 * The hash must come out the same when the event is read back from PostgreSQL, so the canonical form only
 * keeps what survives a jsonb / timestamptz round trip: keys sorted (jsonb reorders them), no whitespace,
 * instants as UTC ISO strings with milliseconds, undefined dropped (JSON drops it too).
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * Deterministic JSON: object keys sorted recursively (by UTF-16 code units, Array.prototype.sort), arrays in
 * order, no whitespace; Dates as ISO strings; undefined properties omitted (undefined in an array becomes
 * null, as JSON.stringify and so jsonb have it); other objects with toJSON() go through it, as in
 * JSON.stringify. Rejects non-finite numbers, invalid Dates, functions, symbols, bigint, cycles and a
 * top-level undefined with a TypeError rather than hashing something jsonb would store differently.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set());
}

function write(value: unknown, ancestors: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number ${value}`);
      return JSON.stringify(value);
    case 'object':
      break;
    default: // undefined, function, symbol, bigint
      throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
  }

  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError('canonicalJson: invalid Date');
    return JSON.stringify(value.toISOString());
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return write((value as { toJSON: () => unknown }).toJSON(), ancestors);
  }
  if (ancestors.has(value)) throw new TypeError('canonicalJson: cyclic structure');
  ancestors.add(value);
  let out: string;
  if (Array.isArray(value)) {
    out = `[${value.map((item) => (item === undefined ? 'null' : write(item, ancestors))).join(',')}]`;
  } else {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${write(record[key], ancestors)}`);
    out = `{${members.join(',')}}`;
  }
  ancestors.delete(value);
  return out;
}

export interface ChainedEvent {
  appealId: string;
  seq: number;
  action: string;
  actorId: string | null;
  actorRole: string;
  fromStatus: string | null;
  toStatus: string | null;
  data: unknown;
  createdAt: Date | string;
}

/**
 * SHA-256 hex over prevHash + '\n' + canonicalJson({appealId, seq, action, actorId, actorRole, fromStatus,
 * toStatus, data, createdAt}). createdAt is normalised through new Date(x).toISOString() (milliseconds,
 * UTC 'Z') so a timestamp read back from PostgreSQL hashes the same. An undefined actorId, fromStatus,
 * toStatus or data counts as null, which is what a nullable column gives back.
 */
export function eventHash(prevHash: string, event: ChainedEvent): string {
  return hashOfInput(eventHashInput(prevHash, event));
}

/** SHA-256 hex of an eventHashInput() text (as UTF-8): the event's hash. */
export function hashOfInput(input: string): string {
  return createHash('sha256').update(input, 'utf8').digest('hex');
}

/** The text eventHash hashes (as UTF-8): prevHash + '\n' + the canonical event. */
export function eventHashInput(prevHash: string, event: ChainedEvent): string {
  const createdAt = new Date(event.createdAt);
  if (Number.isNaN(createdAt.getTime()))
    throw new TypeError(`eventHash: invalid createdAt ${String(event.createdAt)}`);
  const body = canonicalJson({
    appealId: event.appealId,
    seq: event.seq,
    action: event.action,
    actorId: event.actorId ?? null,
    actorRole: event.actorRole,
    fromStatus: event.fromStatus ?? null,
    toStatus: event.toStatus ?? null,
    data: event.data ?? null,
    createdAt: createdAt.toISOString(),
  });
  return `${prevHash}\n${body}`;
}

export interface VerifyResult {
  valid: boolean;
  /** How many events were given (the length of the log), valid or not. */
  count: number;
  /** The first seq at which the chain fails; for a seq_gap, the seq that was expected there. */
  brokenAtSeq?: number;
  reason?: 'hash_mismatch' | 'prev_hash_mismatch' | 'seq_gap' | 'head_mismatch';
}

/** What the appeal row records of its chain: how many events it has and the last one's hash. */
export interface ChainHead {
  count: number;
  hash: string | null;
}

/**
 * Events in seq order, each with prevHash and hash; seq must start at 1 and be contiguous; the first
 * prevHash must be GENESIS_HASH and every other the previous event's hash. Stops at the first break.
 * With the head the appeal row records, events cut off the end (or added past it) are caught too: the
 * chain must end exactly at that count and hash (`head_mismatch`, at the first seq that differs).
 */
export function verifyChain(
  events: (ChainedEvent & { prevHash: string; hash: string })[],
  head?: ChainHead,
): VerifyResult {
  const count = events.length;
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < count; i++) {
    const event = events[i];
    const seq = i + 1;
    if (event.seq !== seq) return { valid: false, count, brokenAtSeq: seq, reason: 'seq_gap' };
    if (event.prevHash !== prevHash)
      return { valid: false, count, brokenAtSeq: seq, reason: 'prev_hash_mismatch' };
    if (safeEventHash(event) !== event.hash)
      return { valid: false, count, brokenAtSeq: seq, reason: 'hash_mismatch' };
    prevHash = event.hash;
  }
  if (head && (head.count !== count || (count > 0 && head.hash !== prevHash)))
    return { valid: false, count, brokenAtSeq: Math.min(count, head.count) + 1, reason: 'head_mismatch' };
  return { valid: true, count };
}

/** A stored event that cannot even be hashed (say an unparseable createdAt) is a broken link, not a crash. */
function safeEventHash(event: ChainedEvent & { prevHash: string }): string | null {
  try {
    return eventHash(event.prevHash, event);
  } catch {
    return null;
  }
}
