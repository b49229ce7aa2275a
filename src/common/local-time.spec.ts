import { LocalDays } from './local-time';

describe('LocalDays: instants and query values in the calendar zone', () => {
  const sh = new LocalDays('Asia/Shanghai');

  it('formats an instant with the zone offset, with and without milliseconds', () => {
    const at = new Date('2026-12-07T09:30:00.123Z');
    expect(sh.formatMs(at)).toBe('2026-12-07T17:30:00.123+08:00');
    expect(sh.format(at)).toBe('2026-12-07T17:30:00+08:00');
    expect(new Date(sh.formatMs(at)).getTime()).toBe(at.getTime());
  });

  it('writes the local YYYY-MM-DD HH:mm for texts, across the local midnight', () => {
    expect(sh.text(new Date('2026-12-06T16:30:00Z'))).toBe('2026-12-07 00:30');
    expect(sh.text(new Date('2026-12-06T15:59:59Z'))).toBe('2026-12-06 23:59');
  });

  it('reads a date-only `from` as the local midnight and a date-only `to` as the end of that local day', () => {
    expect(sh.queryInstant('2026-01-01', 'start').toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(sh.queryInstant('2026-01-31', 'end').toISOString()).toBe('2026-01-31T16:00:00.000Z');
    expect(sh.queryInstant('2026-01-31T10:00:00+08:00', 'end').toISOString()).toBe(
      '2026-01-31T02:00:00.000Z',
    );
  });

  it('gives the local date of an instant as Intl does, across midnights and offset changes', () => {
    // two days around each 2026 change of offset, and an ordinary day; zones with whole, half and 45-minute offsets
    const around: [string, string[]][] = [
      ['Asia/Shanghai', ['2026-12-06']],
      ['Asia/Kathmandu', ['2026-06-01']],
      ['America/New_York', ['2026-03-08', '2026-11-01']],
      ['Europe/London', ['2026-03-29', '2026-10-25']],
      ['Australia/Lord_Howe', ['2026-04-05', '2026-10-04']],
    ];
    for (const [timeZone, dates] of around) {
      const days = new LocalDays(timeZone);
      const intl = new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
      for (const date of dates) {
        const from = Date.parse(`${date}T00:00:00Z`) - 86_400_000;
        // every quarter hour and the millisecond before it: local midnights and offset changes fall on them
        for (let t = from; t < from + 2 * 86_400_000; t += 900_000) {
          for (const at of [new Date(t - 1), new Date(t)]) {
            if (days.dateOf(at) !== intl.format(at))
              throw new Error(`${timeZone} ${at.toISOString()}: ${days.dateOf(at)}, Intl ${intl.format(at)}`);
          }
        }
      }
    }
    expect(sh.dateOf(new Date('2026-12-06T15:59:59.999Z'))).toBe('2026-12-06');
    expect(sh.dateOf(new Date('2026-12-06T16:00:00.000Z'))).toBe('2026-12-07');
    expect(() => sh.dateOf(new Date(NaN))).toThrow(RangeError);
  });

  it('follows a zone with daylight saving time through its change', () => {
    const ny = new LocalDays('America/New_York');
    expect(ny.formatMs(new Date('2026-03-08T06:59:00Z'))).toBe('2026-03-08T01:59:00.000-05:00');
    expect(ny.formatMs(new Date('2026-03-08T07:00:00Z'))).toBe('2026-03-08T03:00:00.000-04:00');
    expect(ny.startOf('2026-07-01').toISOString()).toBe('2026-07-01T04:00:00.000Z');
  });
});
