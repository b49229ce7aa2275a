import { OFFICIAL_DAYS } from './official-days';
import { WorkingCalendar } from './working-calendar';

// SPEC §3 working-hour rule: "N working hours" consumes the intervals 09:00–12:00 and 13:30–17:30
// (7 h a day) from the start instant; a start outside working time begins at the next opening.
const HOUR = 3600_000;
const MIN = 60_000;
const cal = new WorkingCalendar(OFFICIAL_DAYS);
const sh = (d: Date) => new Date(d.getTime() + 8 * HOUR).toISOString().replace(/\.000Z$/, '+08:00');
const at = (iso: string) => new Date(iso);
const add = (from: string, ms: number) => sh(cal.addWorkingDuration(at(from), ms));

describe('where a working-hour count starts (Mon 2026-05-11)', () => {
  it.each([
    ['before opening', '2026-05-11T08:00+08:00', '2026-05-11T10:00:00+08:00'],
    ['exactly at opening', '2026-05-11T09:00+08:00', '2026-05-11T10:00:00+08:00'],
    ['exactly at the lunch break', '2026-05-11T12:00+08:00', '2026-05-11T14:30:00+08:00'],
    ['during lunch', '2026-05-11T12:45+08:00', '2026-05-11T14:30:00+08:00'],
    ['exactly at closing', '2026-05-11T17:30+08:00', '2026-05-12T10:00:00+08:00'],
    ['in the evening', '2026-05-11T21:00+08:00', '2026-05-12T10:00:00+08:00'],
    ['just before midnight', '2026-05-11T23:59:59+08:00', '2026-05-12T10:00:00+08:00'],
  ])('%s: +1 h', (_label, from, due) => {
    expect(add(from, HOUR)).toBe(due);
  });
});

describe('where a working-hour count ends', () => {
  it('a count that uses up the afternoon ends at 17:30, not at the next opening', () => {
    expect(add('2026-05-11T15:30+08:00', 2 * HOUR)).toBe('2026-05-11T17:30:00+08:00');
  });

  it('a count that uses up the morning ends at 12:00, not at 13:30', () => {
    expect(add('2026-05-11T11:00+08:00', HOUR)).toBe('2026-05-11T12:00:00+08:00');
  });

  it('one minute more crosses the break', () => {
    expect(add('2026-05-11T11:00+08:00', HOUR + MIN)).toBe('2026-05-11T13:31:00+08:00');
    expect(add('2026-05-11T15:30+08:00', 2 * HOUR + MIN)).toBe('2026-05-12T09:01:00+08:00');
  });

  it('lunch: 11:30 + 1 h is 14:00 (SPEC §3)', () => {
    expect(add('2026-05-11T11:30+08:00', HOUR)).toBe('2026-05-11T14:00:00+08:00');
  });

  it('zero is the start itself, even outside working time', () => {
    expect(add('2026-05-11T17:30+08:00', 0)).toBe('2026-05-11T17:30:00+08:00');
    expect(add('2026-05-02T03:00+08:00', 0)).toBe('2026-05-02T03:00:00+08:00');
  });
});

describe('weekends, holidays and make-up days', () => {
  it('Friday afternoon: 4 h from Fri 16:00 ends Mon 11:30', () => {
    expect(add('2026-05-15T16:00+08:00', 4 * HOUR)).toBe('2026-05-18T11:30:00+08:00');
  });

  it('Friday before a make-up Saturday: 2 h from Fri 8 May 17:00 ends Sat 9 May 10:30 (SPEC §3)', () => {
    expect(add('2026-05-08T17:00+08:00', 2 * HOUR)).toBe('2026-05-09T10:30:00+08:00');
  });

  it('a start on a holiday begins at the first opening after it (National Day 2026)', () => {
    expect(add('2026-10-03T10:00+08:00', HOUR)).toBe('2026-10-08T10:00:00+08:00');
  });

  it('make-up Sunday 2026-01-04 after 元旦', () => {
    expect(add('2026-01-03T10:00+08:00', 2 * HOUR)).toBe('2026-01-04T11:00:00+08:00');
    expect(add('2025-12-31T17:00+08:00', HOUR)).toBe('2026-01-04T09:30:00+08:00');
  });

  it('make-up Sunday 2026-09-20 before National Day', () => {
    expect(add('2026-09-19T15:00+08:00', HOUR)).toBe('2026-09-20T10:00:00+08:00');
    expect(add('2026-09-18T17:00+08:00', 3.5 * HOUR)).toBe('2026-09-20T12:00:00+08:00');
  });
});

describe('fractional and long spans', () => {
  it.each([
    [1.5 * HOUR, '2026-05-11T10:30:00+08:00'],
    [0.25 * HOUR, '2026-05-11T09:15:00+08:00'],
    [90.5 * MIN, '2026-05-11T10:30:30+08:00'],
    [3.75 * HOUR, '2026-05-11T14:15:00+08:00'],
  ])('09:00 + %d ms', (ms, due) => {
    expect(add('2026-05-11T09:00+08:00', ms)).toBe(due);
  });

  it('keeps millisecond precision and rounds sub-millisecond parts', () => {
    const from = at('2026-05-11T11:59:59+08:00');
    expect(cal.addWorkingDuration(from, 1234).getTime() - at('2026-05-11T13:30+08:00').getTime()).toBe(234);
    expect(cal.addWorkingDuration(from, 0.6).getTime() - from.getTime()).toBe(1);
  });

  it('70 working hours from Mon 09:00 are two full weeks: Fri 22 May 17:30', () => {
    expect(add('2026-05-11T09:00+08:00', 70 * HOUR)).toBe('2026-05-22T17:30:00+08:00');
  });

  it('105 working hours (15 working days) over Labour Day 2026 and its make-up Saturday', () => {
    // from Thu 30 Apr 09:00: 30 Apr, 6–8 May, 9 May (Sat), 11–15, 18–22 May = 15 days
    expect(add('2026-04-30T09:00+08:00', 105 * HOUR)).toBe('2026-05-22T17:30:00+08:00');
  });

  it('rejects a negative or non-finite duration', () => {
    expect(() => add('2026-05-11T09:00+08:00', -1)).toThrow(RangeError);
    expect(() => add('2026-05-11T09:00+08:00', NaN)).toThrow(RangeError);
    expect(() => add('2026-05-11T09:00+08:00', Infinity)).toThrow(RangeError);
  });
});

describe('workingMsBetween', () => {
  const between = (a: string, b: string) => cal.workingMsBetween(at(a), at(b));

  it('0 when to <= from', () => {
    expect(between('2026-05-11T10:00+08:00', '2026-05-11T10:00+08:00')).toBe(0);
    expect(between('2026-05-12T10:00+08:00', '2026-05-11T10:00+08:00')).toBe(0);
  });

  it('a working day is 7 h; lunch, nights and weekends count nothing', () => {
    expect(between('2026-05-11T00:00+08:00', '2026-05-12T00:00+08:00')).toBe(7 * HOUR);
    expect(between('2026-05-11T12:00+08:00', '2026-05-11T13:30+08:00')).toBe(0);
    expect(between('2026-05-11T17:30+08:00', '2026-05-12T09:00+08:00')).toBe(0);
    expect(between('2026-05-15T17:30+08:00', '2026-05-18T09:00+08:00')).toBe(0);
    expect(between('2026-05-11T11:00+08:00', '2026-05-11T14:00+08:00')).toBe(1.5 * HOUR);
  });

  it('Labour Day 2026 counts nothing; the make-up Saturday counts', () => {
    expect(between('2026-04-30T17:30+08:00', '2026-05-06T09:00+08:00')).toBe(0);
    expect(between('2026-05-08T17:30+08:00', '2026-05-11T09:00+08:00')).toBe(7 * HOUR);
  });

  it('the whole of 2026 is 248 working days of 7 h', () => {
    expect(between('2026-01-01T00:00+08:00', '2027-01-01T00:00+08:00')).toBe(248 * 7 * HOUR);
  });

  it('inverts addWorkingDuration from any start, inside or outside working time', () => {
    const starts = [
      '2026-04-30T16:00+08:00',
      '2026-05-08T17:00+08:00',
      '2026-05-11T08:00+08:00',
      '2026-05-11T11:30+08:00',
      '2026-05-11T12:30+08:00',
      '2026-05-11T17:30+08:00',
      '2026-05-02T10:00+08:00',
      '2026-02-13T14:00+08:00',
      '2025-09-30T16:00+08:00',
    ];
    const spans = [1000, 30 * MIN, HOUR, 2.5 * HOUR, 7 * HOUR, 7 * HOUR + 1, 40 * HOUR, 105 * HOUR];
    for (const s of starts) {
      for (const ms of spans) {
        const from = at(s);
        expect(cal.workingMsBetween(from, cal.addWorkingDuration(from, ms))).toBe(ms);
      }
    }
  });

  it('is additive over a split point', () => {
    const [a, b, c] = ['2026-04-29T10:00+08:00', '2026-05-07T12:45+08:00', '2026-05-20T16:10+08:00'];
    expect(between(a, b) + between(b, c)).toBe(between(a, c));
  });

  it('N working days from a closing time are N × 7 h', () => {
    const from = at('2026-02-13T17:30+08:00');
    for (const n of [1, 2, 5, 15]) {
      expect(cal.workingMsBetween(from, cal.addWorkingDays(from, n))).toBe(n * 7 * HOUR);
    }
  });
});
