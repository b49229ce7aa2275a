/**
 * The cursor of a paged meetings report (SPEC §5 lists, §8.1). The first page reads the period's totals
 * once; its `nextCursor` carries them, with the keyset position and the period, signed with an HMAC of
 * the server's key, so a later page reads only its own rows. The signature also covers the filters the
 * paging was asked with (district, leaderLed): a cursor altered by a client, or replayed with other
 * filters, is a 400, never totals the server did not compute.
 *
 * A cursor is base64url JSON `{t, id, p, n, s}`: `t`, `id` the last meeting's (heldAt to the microsecond,
 * UTC; id), `p` the period [from, to) in epoch milliseconds, `n` the totals' counts in
 * MEETING_CURSOR_COUNTS order, `s` the HMAC-SHA256 (base64url) of everything else.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../common/domain-error';
import { MEETING_COUNT_KEYS, MeetingCounts, MeetingTotals } from './meeting-report';

/** What a later page of a paging starts from. */
export interface MeetingsPaging {
  after: { heldAt: string; id: string };
  from: Date;
  to: Date;
  totals: MeetingTotals;
}

/** The filters a paging was asked with, as the query gave them: part of what the signature covers. */
export interface MeetingsPagingScope {
  district?: string;
  leaderLed?: boolean;
}

const VERSION = 'meetings-cursor/1';
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;
/** meetings, enterprisesAttending, attendeeCount, then the issue counts */
const COUNT_WIDTH = 3 + MEETING_COUNT_KEYS.length;

/** The cursor's own key, derived from the server's secret (JWT_SECRET) for this use alone. */
export function meetingsCursorKey(secret: string): Buffer {
  return createHmac('sha256', secret).update(VERSION).digest();
}

function malformed(): DomainError {
  return DomainError.validation('cursor is not valid', [{ field: 'cursor', message: 'malformed cursor' }]);
}

/** 400: a cursor this server did not sign for these filters and this period. */
export function notThisPaging(): DomainError {
  return DomainError.validation('cursor is not valid', [
    { field: 'cursor', message: 'the cursor was altered or belongs to other filters' },
  ]);
}

function mac(key: Buffer, scope: MeetingsPagingScope, body: unknown[]): Buffer {
  return createHmac('sha256', key)
    .update(JSON.stringify([VERSION, scope.district ?? null, scope.leaderLed ?? null, ...body]))
    .digest();
}

function countsOf(t: MeetingTotals): number[] {
  return [t.meetings, t.enterprisesAttending, t.attendeeCount, ...MEETING_COUNT_KEYS.map((k) => t.counts[k])];
}

/** The `nextCursor` after `after`, carrying the paging's period and totals. */
export function writeMeetingsCursor(key: Buffer, scope: MeetingsPagingScope, p: MeetingsPaging): string {
  const body = [p.after.heldAt, p.after.id, [p.from.getTime(), p.to.getTime()], countsOf(p.totals)];
  const [t, id, period, n] = body;
  const s = mac(key, scope, body).toString('base64url');
  return Buffer.from(JSON.stringify({ t, id, p: period, n, s })).toString('base64url');
}

/**
 * A cursor back as the paging it continues; 400 for anything this server did not write for this
 * report's filters (malformed, altered, or signed for another district or leaderLed).
 */
export function readMeetingsCursor(key: Buffer, scope: MeetingsPagingScope, cursor: string): MeetingsPaging {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw malformed();
  const { t, id, p, n, s } = parsed as Record<string, unknown>;
  const count = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  const instant = (v: unknown) => Number.isSafeInteger(v) && Math.abs(v as number) <= 8.64e15;
  if (
    typeof t !== 'string' ||
    !INSTANT.test(t) ||
    Number.isNaN(Date.parse(t)) ||
    new Date(Date.parse(t)).toISOString().slice(0, 23) !== t.slice(0, 23) ||
    typeof id !== 'string' ||
    !UUID.test(id) ||
    !Array.isArray(p) ||
    p.length !== 2 ||
    !p.every(instant) ||
    !Array.isArray(n) ||
    n.length !== COUNT_WIDTH ||
    !n.every(count) ||
    typeof s !== 'string' ||
    !SIGNATURE.test(s)
  )
    throw malformed();
  const expected = mac(key, scope, [t, id, p, n]);
  const given = Buffer.from(s, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw notThisPaging();
  const [meetings, enterprisesAttending, attendeeCount, ...issueCounts] = n as number[];
  const counts = {} as MeetingCounts;
  MEETING_COUNT_KEYS.forEach((k, i) => (counts[k] = issueCounts[i]));
  return {
    after: { heldAt: t, id },
    from: new Date(p[0] as number),
    to: new Date(p[1] as number),
    totals: { meetings, enterprisesAttending, attendeeCount, counts },
  };
}
