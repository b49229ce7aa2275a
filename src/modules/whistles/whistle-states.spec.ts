import { toChinese } from '../../common/messages';
import {
  ACTIVE_WHISTLE_STATUSES,
  addMonths,
  checkInOpen,
  closeProblem,
  commitmentDueProblem,
  doneOnTime,
  isActiveWhistle,
  meetingAtProblem,
  minutesOpen,
  WHISTLE_ACTIONS,
  WHISTLE_STATUSES,
  WhistleAction,
  WhistleStatus,
  whistleStep,
} from './whistle-states';

/** SPEC §12 states, written out by hand: every (status, action) pair not listed is refused. */
const ALLOWED: Record<string, WhistleStatus> = {
  'requested/approve': 'approved',
  'requested/deny': 'denied',
  'approved/cancel': 'cancelled',
  'approved/check_in': 'approved',
  'approved/record_minutes': 'held',
  'held/complete_commitment': 'held',
  'held/close': 'closed',
};

describe('the whistle transition table (SPEC §12)', () => {
  const pairs: [WhistleStatus, WhistleAction][] = WHISTLE_STATUSES.flatMap((s) =>
    WHISTLE_ACTIONS.map((a) => [s, a] as [WhistleStatus, WhistleAction]),
  );

  it.each(pairs)('%s × %s', (status, action) => {
    const expected = ALLOWED[`${status}/${action}`];
    const step = whistleStep(status, action);
    const shape = step.ok
      ? step
      : { ok: false, words: /^the whistle is \S+; it cannot be /.test(step.message) };
    expect(shape).toEqual(expected ? { ok: true, to: expected } : { ok: false, words: true });
  });

  it('every refusal and every date rule has its Chinese (SPEC §5.1)', () => {
    const refusals = pairs.map(([st, a]) => whistleStep(st, a)).flatMap((r) => (r.ok ? [] : [r.message]));
    expect(refusals).toHaveLength(35);
    for (const message of refusals) expect(toChinese(message)).toMatch(/^该吹哨.+，不能.+$/);
    expect(toChinese('the whistle is closed; it cannot be checked in to')).toBe('该吹哨已销号，不能报到');
    const rules = [
      meetingAtProblem(new Date(0), new Date(1), new Date(2)),
      meetingAtProblem(new Date(3), new Date(1), new Date(2)),
      commitmentDueProblem(new Date(0), new Date(0), new Date(1)),
      commitmentDueProblem(new Date('2030-01-01'), new Date(0), new Date(1)),
    ];
    for (const r of rules) expect(toChinese(r!)).not.toBeNull();
  });

  it('covers 6 statuses × 7 actions, 7 of them allowed', () => {
    expect(pairs).toHaveLength(42);
    expect(pairs.filter(([s, a]) => whistleStep(s, a).ok)).toHaveLength(Object.keys(ALLOWED).length);
  });

  it('requested → approved → held → closed is the only way to closed; denied and cancelled are ends', () => {
    for (const end of ['denied', 'cancelled', 'closed'] as const)
      for (const a of WHISTLE_ACTIONS) expect(whistleStep(end, a).ok).toBe(false);
  });

  it('active means requested, approved or held', () => {
    expect([...ACTIVE_WHISTLE_STATUSES].sort()).toEqual(['approved', 'held', 'requested']);
    expect(WHISTLE_STATUSES.filter(isActiveWhistle)).toEqual(['requested', 'approved', 'held']);
  });
});

describe('the whistle date rules (SPEC §12)', () => {
  const approvedAt = new Date('2026-06-01T10:00:00+08:00');
  const dueAt = new Date('2026-06-04T17:30:00+08:00');

  it('the meeting lies after the approval and within whistleMeetingWithin of it (the due itself counts)', () => {
    expect(meetingAtProblem(approvedAt, approvedAt, dueAt)).toBe('the meeting must be after the approval');
    expect(meetingAtProblem(new Date('2026-06-01T09:00:00+08:00'), approvedAt, dueAt)).not.toBeNull();
    expect(meetingAtProblem(new Date('2026-06-01T10:00:01+08:00'), approvedAt, dueAt)).toBeNull();
    expect(meetingAtProblem(dueAt, approvedAt, dueAt)).toBeNull();
    expect(meetingAtProblem(new Date(dueAt.getTime() + 1), approvedAt, dueAt)).toBe(
      'the meeting must be held within whistleMeetingWithin of the approval',
    );
  });

  it('check-in is open up to the meeting instant, minutes from it', () => {
    const meetingAt = new Date('2026-06-03T14:00:00+08:00');
    expect(checkInOpen(meetingAt, new Date(meetingAt.getTime() - 1))).toBe(true);
    expect(checkInOpen(meetingAt, meetingAt)).toBe(true);
    expect(checkInOpen(meetingAt, new Date(meetingAt.getTime() + 1))).toBe(false);
    expect(minutesOpen(meetingAt, new Date(meetingAt.getTime() - 1))).toBe(false);
    expect(minutesOpen(meetingAt, meetingAt)).toBe(true);
  });

  it('adds calendar months, clamping to the end of a shorter month', () => {
    expect(addMonths(new Date('2026-06-03T06:00:00Z'), 3).toISOString()).toBe('2026-09-03T06:00:00.000Z');
    expect(addMonths(new Date('2026-11-30T06:00:00Z'), 3).toISOString()).toBe('2027-02-28T06:00:00.000Z');
    expect(addMonths(new Date('2027-11-30T06:00:00Z'), 3).toISOString()).toBe('2028-02-29T06:00:00.000Z');
    expect(addMonths(new Date('2026-10-31T23:59:00Z'), 3).toISOString()).toBe('2027-01-31T23:59:00.000Z');
    expect(addMonths(new Date('2026-12-31T00:00:00Z'), 2).toISOString()).toBe('2027-02-28T00:00:00.000Z');
  });

  it('a commitment is due after the minutes and no later than the meeting + 3 months', () => {
    const meetingAt = new Date('2026-06-03T06:00:00Z');
    const now = new Date('2026-06-03T08:00:00Z');
    expect(commitmentDueProblem(now, meetingAt, now)).toBe('must be after the minutes are recorded');
    expect(commitmentDueProblem(new Date('2026-06-03T08:00:01Z'), meetingAt, now)).toBeNull();
    expect(commitmentDueProblem(new Date('2026-09-03T06:00:00Z'), meetingAt, now)).toBeNull();
    expect(commitmentDueProblem(new Date('2026-09-03T06:00:01Z'), meetingAt, now)).toBe(
      'must be no later than 3 months after the meeting',
    );
  });

  it('on time at the due instant, late a millisecond after', () => {
    const due = new Date('2026-07-01T09:30:00Z');
    expect(doneOnTime(due, due)).toBe(true);
    expect(doneOnTime(due, new Date(due.getTime() + 1))).toBe(false);
  });

  it('closes only when every commitment is complete (none at all: resolved on site)', () => {
    expect(closeProblem([])).toBeNull();
    expect(closeProblem([{ completedAt: new Date() }])).toBeNull();
    expect(closeProblem([{ completedAt: new Date() }, { completedAt: null }, { completedAt: null }])).toBe(
      '2 commitment(s) are not complete yet',
    );
  });
});
