import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { OFFICIAL_DAYS } from './official-days';
import {
  DEFAULT_WORKING_HOURS,
  DurationError,
  MAX_DURATION_DAYS,
  WorkingCalendar,
  computeDeadline,
  parseIsoDuration,
  warnInstant,
} from './working-calendar';

const HOUR = 3600_000;
const cal = new WorkingCalendar(OFFICIAL_DAYS);
/** An instant as Asia/Shanghai wall time, so assertions read like SPEC §3's table. */
const sh = (d: Date) => new Date(d.getTime() + 8 * HOUR).toISOString().replace(/\.000Z$/, '+08:00');
const at = (iso: string) => new Date(iso);

describe('SPEC §3 examples on the official 2026 calendar', () => {
  it.each([
    ['2026-04-30T16:00+08:00', 'P1D', 'working', '2026-05-06T17:30:00+08:00'], // 1–5 May is the Labour Day holiday
    ['2026-05-08T17:00+08:00', 'PT2H', 'working', '2026-05-09T10:30:00+08:00'], // Sat 9 May is a make-up day
    ['2026-05-11T11:30+08:00', 'PT1H', 'working', '2026-05-11T14:00:00+08:00'], // lunch 12:00–13:30
    ['2026-05-01T10:00+08:00', 'PT3S', 'natural', '2026-05-01T10:00:03+08:00'],
  ] as const)('%s + %s (%s) → %s', (from, duration, clock, due) => {
    expect(sh(computeDeadline(cal, at(from), duration, clock))).toBe(due);
  });
});

describe('DOMAIN §6 anchors (computed with chinese-days findWorkday)', () => {
  it('1 working day after Fri 2026-02-13 is the make-up Saturday 2026-02-14', () => {
    expect(sh(cal.addWorkingDays(at('2026-02-13T10:00+08:00'), 1))).toBe('2026-02-14T17:30:00+08:00');
  });

  it('5 working days after 2025-09-30 end on 2025-10-14 (Sat 10-11 counts)', () => {
    expect(sh(computeDeadline(cal, at('2025-09-30T09:00+08:00'), 'P5D', 'working'))).toBe(
      '2025-10-14T17:30:00+08:00',
    );
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-05-11', true], // Monday
    ['2026-05-16', false], // Saturday
    ['2026-05-17', false], // Sunday
    ['2026-05-01', false], // Labour Day, a Friday
    ['2026-05-09', true], // make-up Saturday
    ['2026-01-04', true], // make-up Sunday
    ['2026-10-03', false], // National Day falling on a Saturday
  ])('%s → %s', (date, working) => {
    expect(cal.isWorkingDay(date)).toBe(working);
  });

  it('knows only the days it is given: 2027 (no notice yet) runs on weekends alone', () => {
    expect(cal.isWorkingDay('2027-01-01')).toBe(true); // a Friday; 元旦 2027 is not entered yet
    expect(cal.isWorkingDay('2027-01-02')).toBe(false);
    const entered = new WorkingCalendar([...OFFICIAL_DAYS, { date: '2027-01-01', kind: 'holiday' }]);
    expect(entered.isWorkingDay('2027-01-01')).toBe(false);
  });

  it('an empty calendar is plain Mon–Fri', () => {
    const plain = new WorkingCalendar([]);
    expect(plain.isWorkingDay('2026-05-01')).toBe(true);
    expect(plain.isWorkingDay('2026-05-09')).toBe(false);
  });

  it('a date listed twice takes its last kind', () => {
    const c = new WorkingCalendar([
      { date: '2026-05-11', kind: 'holiday' },
      { date: '2026-05-11', kind: 'workday' },
    ]);
    expect(c.isWorkingDay('2026-05-11')).toBe(true);
  });

  it.each(['2026-02-30', '2026-5-1', '20260501', '', '2026-13-01'])('rejects the date %j', (date) => {
    expect(() => cal.isWorkingDay(date)).toThrow(RangeError);
  });
});

describe('localDate and time zones', () => {
  it('cuts days at Shanghai midnight, not UTC midnight', () => {
    expect(cal.localDate(at('2026-05-01T15:59:59.999Z'))).toBe('2026-05-01');
    expect(cal.localDate(at('2026-05-01T16:00:00Z'))).toBe('2026-05-02');
  });

  it('does not depend on the process time zone', () => {
    // jest's sandboxed process.env does not reach V8, so switch zones in a real child process
    const script = `
      const { WorkingCalendar, computeDeadline } = require(process.argv[1]);
      const { OFFICIAL_DAYS } = require(process.argv[2]);
      const cal = new WorkingCalendar(OFFICIAL_DAYS);
      const out = ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Asia/Shanghai'].map((tz) => {
        process.env.TZ = tz;
        return {
          offset: new Date('2026-05-01T00:00:00Z').getTimezoneOffset(),
          due: computeDeadline(cal, new Date('2026-04-30T16:00+08:00'), 'P1D', 'working').toISOString(),
          hours: computeDeadline(cal, new Date('2026-05-08T17:00+08:00'), 'PT2H', 'working').toISOString(),
          local: cal.localDate(new Date('2026-05-01T16:30:00Z')),
        };
      });
      console.log(JSON.stringify(out));`;
    const child = spawnSync(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-e',
        script,
        join(__dirname, 'working-calendar.ts'),
        join(__dirname, 'official-days.ts'),
      ],
      { cwd: join(__dirname, '../../..'), encoding: 'utf8' },
    );
    expect(child.stderr).toBe('');
    const runs = JSON.parse(child.stdout) as { offset: number; due: string; hours: string; local: string }[];
    expect(runs.map((r) => r.offset)).toEqual([0, 420, -840, -480]); // the zone really changed
    for (const r of runs) {
      expect(r).toMatchObject({
        due: '2026-05-06T09:30:00.000Z',
        hours: '2026-05-09T02:30:00.000Z',
        local: '2026-05-02',
      });
    }
  });

  it('works in any IANA zone, including one with daylight saving (Europe/Berlin, 2026-03-29)', () => {
    const berlin = new WorkingCalendar([], { timeZone: 'Europe/Berlin' });
    // Fri 27 March is CET (+01:00); Mon 30 March is CEST (+02:00): close 17:30 local = 15:30Z
    expect(berlin.addWorkingDays(at('2026-03-27T10:00+01:00'), 1).toISOString()).toBe(
      '2026-03-30T15:30:00.000Z',
    );
    expect(berlin.addWorkingDuration(at('2026-03-27T17:00+01:00'), HOUR).toISOString()).toBe(
      '2026-03-30T07:30:00.000Z',
    );
    expect(berlin.localDate(at('2026-03-29T22:30:00Z'))).toBe('2026-03-30');
  });

  it('works in a zone with a non-hour offset (Asia/Kathmandu, +05:45) and in UTC', () => {
    const ktm = new WorkingCalendar([], { timeZone: 'Asia/Kathmandu' });
    expect(ktm.addWorkingDays(at('2026-05-11T12:00:00Z'), 1).toISOString()).toBe('2026-05-12T11:45:00.000Z');
    const utc = new WorkingCalendar([], { timeZone: 'UTC' });
    expect(utc.addWorkingDays(at('2026-05-11T23:59:59Z'), 1).toISOString()).toBe('2026-05-12T17:30:00.000Z');
  });
});

describe('construction', () => {
  it('defaults to Asia/Shanghai and 09:00–12:00, 13:30–17:30', () => {
    expect(cal.timeZone).toBe('Asia/Shanghai');
    expect(cal.hours).toEqual({
      intervals: [
        { start: '09:00', end: '12:00' },
        { start: '13:30', end: '17:30' },
      ],
    });
    expect(cal.hours).toBe(DEFAULT_WORKING_HOURS);
  });

  it('accepts other working hours, up to midnight', () => {
    const shifts = new WorkingCalendar([], { hours: { intervals: [{ start: '20:00', end: '24:00' }] } });
    expect(sh(shifts.addWorkingDays(at('2026-05-11T10:00+08:00'), 1))).toBe('2026-05-13T00:00:00+08:00');
    expect(sh(shifts.addWorkingDuration(at('2026-05-11T10:00+08:00'), 5 * HOUR))).toBe(
      '2026-05-12T21:00:00+08:00',
    );
  });

  it('rejects an unknown time zone', () => {
    expect(() => new WorkingCalendar([], { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });

  it('rejects a bad day', () => {
    expect(() => new WorkingCalendar([{ date: '2026-02-29', kind: 'holiday' }])).toThrow(RangeError);
    expect(() => new WorkingCalendar([{ date: '2026-02-28', kind: 'off' as 'holiday' }])).toThrow(RangeError);
  });

  it.each([
    [[]],
    [[{ start: '12:00', end: '09:00' }]],
    [[{ start: '09:00', end: '09:00' }]],
    [
      [
        { start: '09:00', end: '12:30' },
        { start: '12:00', end: '17:00' },
      ],
    ],
    [
      [
        { start: '13:30', end: '17:30' },
        { start: '09:00', end: '12:00' },
      ],
    ],
    [[{ start: '9:00', end: '12:00' }]],
    [[{ start: '09:00', end: '24:01' }]],
    [[{ start: '09:60', end: '12:00' }]],
  ])('rejects working hours %j', (intervals) => {
    expect(() => new WorkingCalendar([], { hours: { intervals } })).toThrow(RangeError);
  });
});

describe('addWorkingDays (SPEC §3 working-day rule)', () => {
  it('N = 0 is the start instant itself', () => {
    expect(sh(cal.addWorkingDays(at('2026-05-02T03:04:05+08:00'), 0))).toBe('2026-05-02T03:04:05+08:00');
  });

  it('never counts the start date, whatever the hour', () => {
    for (const time of ['00:00', '08:59', '09:00', '17:29', '17:30', '23:59']) {
      expect(sh(cal.addWorkingDays(at(`2026-05-11T${time}+08:00`), 1))).toBe('2026-05-12T17:30:00+08:00');
    }
  });

  it('a start on a non-working day counts from the first working day after it', () => {
    expect(sh(cal.addWorkingDays(at('2026-05-02T10:00+08:00'), 1))).toBe('2026-05-06T17:30:00+08:00'); // holiday Saturday
    expect(sh(cal.addWorkingDays(at('2026-05-10T10:00+08:00'), 1))).toBe('2026-05-11T17:30:00+08:00'); // plain Sunday
  });

  it('a start on a make-up Saturday does not count that Saturday either', () => {
    expect(sh(cal.addWorkingDays(at('2026-05-09T10:00+08:00'), 1))).toBe('2026-05-11T17:30:00+08:00');
  });

  it.each([-1, 1.5, NaN, Infinity])('rejects N = %p', (n) => {
    expect(() => cal.addWorkingDays(at('2026-05-11T10:00+08:00'), n)).toThrow(RangeError);
  });

  it('rejects an invalid instant', () => {
    expect(() => cal.addWorkingDays(new Date('nope'), 1)).toThrow(RangeError);
    expect(() => cal.localDate(new Date(NaN))).toThrow(RangeError);
  });
});

describe('parseIsoDuration', () => {
  it.each([
    ['P1D', 1, 0],
    ['P15D', 15, 0],
    ['P0D', 0, 0],
    ['PT0S', 0, 0],
    ['PT2H', 0, 2 * HOUR],
    ['PT30M', 0, 30 * 60_000],
    ['PT3S', 0, 3000],
    ['PT1.5H', 0, 1.5 * HOUR],
    ['PT1,5H', 0, 1.5 * HOUR],
    ['PT0.5S', 0, 500],
    ['PT36H', 0, 36 * HOUR], // not normalised: 36 working hours on the working clock
    ['P1DT2H', 1, 2 * HOUR],
    ['P1DT2H30M15S', 1, 2 * HOUR + 30 * 60_000 + 15_000],
    ['PT1H30M', 0, 1.5 * HOUR],
    ['PT1H0.5M', 0, HOUR + 30_000],
    ['P1W', 7, 0],
    ['P2W3D', 17, 0],
    [`P${MAX_DURATION_DAYS}D`, MAX_DURATION_DAYS, 0],
  ])('%s → %d days + %d ms', (s, days, ms) => {
    expect(parseIsoDuration(s)).toEqual({ days, ms });
  });

  it.each([
    '',
    'P',
    'PT',
    'P1DT',
    '1D',
    'p1d',
    'P1d',
    ' P1D',
    'P1D ',
    '-P1D',
    'P-1D',
    'P1.5D',
    'P0.5W',
    'PT1.5H30M',
    'PT1S2M',
    'P1D1W',
    'PT1H1H',
    'P1H',
    'PT1D',
    'P1DT2H3D',
    'P1E3D',
    'PT.5H',
    'PT1.H',
    'P1TD',
    `P${MAX_DURATION_DAYS + 1}D`,
    'PT99999999999999999999H',
  ])('rejects %j', (s) => {
    expect(() => parseIsoDuration(s)).toThrow(DurationError);
  });

  it.each(['P1Y', 'P1M', 'P1Y2M', 'P1MT1H', 'P1Y1D'])(
    'rejects %s: years and months have no fixed length',
    (s) => {
      expect(() => parseIsoDuration(s)).toThrow(/years and months have no fixed length/);
    },
  );

  it('DurationError is an Error named DurationError', () => {
    let caught: unknown;
    try {
      parseIsoDuration('P1M');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Error);
    expect((caught as Error).name).toBe('DurationError');
  });

  it('rejects a non-string', () => {
    expect(() => parseIsoDuration(undefined as unknown as string)).toThrow(DurationError);
  });
});

describe('computeDeadline', () => {
  const from = at('2026-05-11T10:00+08:00'); // Monday

  it('working days, then the time part from the close of the last day', () => {
    expect(sh(computeDeadline(cal, from, 'P1DT2H', 'working'))).toBe('2026-05-13T11:00:00+08:00');
  });

  it('a week is 7 days: P1W on the working clock is 7 working days (write P5D for a working week)', () => {
    expect(sh(computeDeadline(cal, from, 'P1W', 'working'))).toBe('2026-05-20T17:30:00+08:00');
    expect(sh(computeDeadline(cal, from, 'P5D', 'working'))).toBe('2026-05-18T17:30:00+08:00');
  });

  it('natural clock: a day is 24 h and holidays do not matter', () => {
    expect(sh(computeDeadline(cal, at('2026-04-30T16:00+08:00'), 'P1D', 'natural'))).toBe(
      '2026-05-01T16:00:00+08:00',
    );
    expect(sh(computeDeadline(cal, from, 'P1DT0.5H', 'natural'))).toBe('2026-05-12T10:30:00+08:00');
    expect(sh(computeDeadline(cal, from, 'PT24H', 'natural'))).toBe('2026-05-12T10:00:00+08:00');
  });

  it('PT24H on the working clock is 24 working hours, not a day', () => {
    // 7 h a day: Mon 10:00 → 6 h Mon, 7 h Tue, 7 h Wed, 4 h Thu → Thu 14:30
    expect(sh(computeDeadline(cal, from, 'PT24H', 'working'))).toBe('2026-05-14T14:30:00+08:00');
  });

  it('a zero duration is the start itself on either clock', () => {
    const night = at('2026-05-01T23:00+08:00');
    expect(sh(computeDeadline(cal, night, 'PT0S', 'working'))).toBe('2026-05-01T23:00:00+08:00');
    expect(sh(computeDeadline(cal, night, 'P0D', 'natural'))).toBe('2026-05-01T23:00:00+08:00');
  });

  it('rejects a bad duration, clock or instant', () => {
    expect(() => computeDeadline(cal, from, 'P1M', 'working')).toThrow(DurationError);
    expect(() => computeDeadline(cal, from, 'P1D', 'lunar' as 'working')).toThrow(RangeError);
    expect(() => computeDeadline(cal, new Date(NaN), 'P1D', 'natural')).toThrow(RangeError);
  });
});

describe('warnInstant (SPEC §3 warnAt)', () => {
  it('natural: the fraction of wall time', () => {
    const from = at('2026-05-01T10:00+08:00');
    const due = computeDeadline(cal, from, 'PT10S', 'natural');
    expect(sh(warnInstant(cal, from, due, 0.8, 'natural'))).toBe('2026-05-01T10:00:08+08:00');
  });

  it('working: the fraction of the working time in between, skipping nights and holidays', () => {
    // Thu 16:00 → Wed 6 May 17:30: 1.5 h + 7 h = 8.5 h; 80 % = 6.8 h = 1.5 h Thu + 5.3 h on 6 May
    const from = at('2026-04-30T16:00+08:00');
    const due = computeDeadline(cal, from, 'P1D', 'working');
    expect(cal.workingMsBetween(from, due)).toBe(8.5 * HOUR);
    expect(sh(warnInstant(cal, from, due, 0.8, 'working'))).toBe('2026-05-06T15:48:00+08:00');
  });

  it('fraction 0 is the start, fraction 1 the due', () => {
    const from = at('2026-05-11T10:00+08:00');
    const due = computeDeadline(cal, from, 'P5D', 'working');
    expect(warnInstant(cal, from, due, 0, 'working')).toEqual(from);
    expect(warnInstant(cal, from, due, 1, 'working')).toEqual(due);
    expect(warnInstant(cal, from, due, 1, 'natural')).toEqual(due);
  });

  it('a due at or before the start warns at the due', () => {
    const from = at('2026-05-11T10:00+08:00');
    const due = at('2026-05-11T09:00+08:00');
    expect(warnInstant(cal, from, due, 0.8, 'working')).toEqual(due);
    expect(warnInstant(cal, from, due, 0.8, 'natural')).toEqual(due);
  });

  it.each([-0.1, 1.1, NaN])('rejects the fraction %p', (f) => {
    const from = at('2026-05-11T10:00+08:00');
    expect(() => warnInstant(cal, from, at('2026-05-12T10:00+08:00'), f, 'working')).toThrow(RangeError);
  });
});
