import { DomainError } from '../../common/domain-error';
import { meetingsCursorKey, MeetingsPaging, readMeetingsCursor, writeMeetingsCursor } from './meeting-cursor';

const key = meetingsCursorKey('a-server-secret-of-sixteen+');
const paging: MeetingsPaging = {
  after: { heldAt: '2026-03-01T02:00:00.123456Z', id: '7e52986f-cd06-4e52-a17b-f5578af01e40' },
  from: new Date('2026-01-01T00:00:00Z'),
  to: new Date('2026-12-06T13:44:27.257Z'),
  totals: {
    meetings: 10_000,
    enterprisesAttending: 43_295,
    attendeeCount: 133_331,
    counts: {
      issues: 100_007,
      resolvedOnSite: 9_871,
      invalid: 4_012,
      answered: 80_333,
      closed: 70_001,
      rated: 60_000,
      satisfied: 55_555,
    },
  },
};
const scope = { district: '吴兴区', leaderLed: true };

function reason(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return (e as DomainError & { details?: unknown }).details;
  }
  throw new Error('no error');
}
const reencode = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const decode = (c: string) => JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));

describe('the meetings report cursor (SPEC §5 lists, §8.1)', () => {
  it('carries the position, the period and the totals back as written, within the list cursor size', () => {
    const cursor = writeMeetingsCursor(key, scope, paging);
    expect(cursor.length).toBeLessThanOrEqual(512);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(readMeetingsCursor(key, scope, cursor)).toEqual(paging);
  });

  it('refuses a cursor altered in any part, or signed under another key', () => {
    const cursor = writeMeetingsCursor(key, scope, paging);
    const body = decode(cursor);
    const altered = [
      { ...body, n: body.n.map((v: number, i: number) => (i === 3 ? v + 1 : v)) },
      { ...body, p: [body.p[0] - 1, body.p[1]] },
      { ...body, t: '2026-03-01T02:00:00.123457Z' },
      { ...body, id: '7e52986f-cd06-4e52-a17b-f5578af01e41' },
    ];
    for (const a of altered)
      expect(reason(() => readMeetingsCursor(key, scope, reencode(a)))).toEqual([
        { field: 'cursor', message: 'the cursor was altered or belongs to other filters' },
      ]);
    expect(
      reason(() => readMeetingsCursor(meetingsCursorKey('another-secret-of-sixteen'), scope, cursor)),
    ).toEqual([{ field: 'cursor', message: 'the cursor was altered or belongs to other filters' }]);
  });

  it('holds only for the filters it was written for', () => {
    const cursor = writeMeetingsCursor(key, scope, paging);
    for (const other of [
      { district: '吴兴区' },
      { leaderLed: true },
      { district: '330502', leaderLed: true },
      {},
    ])
      expect(reason(() => readMeetingsCursor(key, other, cursor))).toEqual([
        { field: 'cursor', message: 'the cursor was altered or belongs to other filters' },
      ]);
  });

  it('refuses what is not a cursor of this shape as malformed', () => {
    const body = decode(writeMeetingsCursor(key, scope, paging));
    for (const bad of [
      '!!!',
      Buffer.from('not json').toString('base64url'),
      reencode([1, 2]),
      reencode({ t: paging.after.heldAt, id: paging.after.id }),
      reencode({ ...body, t: '2026-02-30T00:00:00.000000Z' }),
      reencode({ ...body, id: 'x' }),
      reencode({ ...body, n: body.n.slice(1) }),
      reencode({ ...body, n: body.n.map(() => -1) }),
      reencode({ ...body, n: body.n.map(() => 1.5) }),
      reencode({ ...body, p: ['2026-01-01', body.p[1]] }),
      reencode({ ...body, s: 'short' }),
    ])
      expect(reason(() => readMeetingsCursor(key, scope, bad))).toEqual([
        { field: 'cursor', message: 'malformed cursor' },
      ]);
  });
});
