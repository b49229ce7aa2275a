import { addCalendarDuration, parseCalendarDuration } from './calendar-duration';
import { DurationError } from './working-calendar';

const at = (s: string) => new Date(s);
const SH = 'Asia/Shanghai';

describe('calendar durations (SPEC §9.3 plan windows)', () => {
  it('parses years, months, weeks, days and a time part', () => {
    expect(parseCalendarDuration('P3M')).toEqual({ years: 0, months: 3, days: 0, ms: 0 });
    expect(parseCalendarDuration('P1Y2M1W3D')).toEqual({ years: 1, months: 2, days: 10, ms: 0 });
    expect(parseCalendarDuration('PT1H30M2.5S')).toEqual({ years: 0, months: 0, days: 0, ms: 5_402_500 });
    expect(parseCalendarDuration('P1MT12H')).toEqual({ years: 0, months: 1, days: 0, ms: 43_200_000 });
  });

  it.each(['', 'P', 'PT', '3M', 'P1.5M', 'P-1M', 'P1MT', 'P1H', 'xP1M'])('refuses %j', (s) => {
    expect(() => parseCalendarDuration(s)).toThrow(DurationError);
  });

  it('refuses more than five years', () => {
    expect(() => parseCalendarDuration('P61M')).toThrow(/longer than 60 months/);
    expect(() => parseCalendarDuration('P5Y1D')).toThrow(DurationError);
    expect(parseCalendarDuration('P5Y').years).toBe(5);
  });

  it('adds months on the local calendar, keeping the local time', () => {
    // 2026-03-15 10:00 Shanghai + 3 months = 2026-06-15 10:00 Shanghai
    expect(addCalendarDuration(at('2026-03-15T10:00:00+08:00'), 'P3M', SH).toISOString()).toBe(
      at('2026-06-15T10:00:00+08:00').toISOString(),
    );
    // a local date that is the previous UTC day: 2026-01-01 07:00 Shanghai is 2025-12-31 23:00 UTC
    expect(addCalendarDuration(at('2026-01-01T07:00:00+08:00'), 'P1M', SH).toISOString()).toBe(
      at('2026-02-01T07:00:00+08:00').toISOString(),
    );
  });

  it('clamps the day to the end of a shorter month, across years and leap years', () => {
    expect(addCalendarDuration(at('2026-01-31T09:00:00+08:00'), 'P1M', SH).toISOString()).toBe(
      at('2026-02-28T09:00:00+08:00').toISOString(),
    );
    expect(addCalendarDuration(at('2027-11-30T09:00:00+08:00'), 'P3M', SH).toISOString()).toBe(
      at('2028-02-29T09:00:00+08:00').toISOString(),
    );
    expect(addCalendarDuration(at('2026-12-31T23:59:00+08:00'), 'P1Y', SH).toISOString()).toBe(
      at('2027-12-31T23:59:00+08:00').toISOString(),
    );
  });

  it('adds weeks, days and time as wall-clock time after the months', () => {
    expect(addCalendarDuration(at('2026-01-31T09:00:00+08:00'), 'P1M1D', SH).toISOString()).toBe(
      at('2026-03-01T09:00:00+08:00').toISOString(),
    );
    expect(addCalendarDuration(at('2026-05-01T10:00:00+08:00'), 'PT3S', SH).toISOString()).toBe(
      at('2026-05-01T10:00:03+08:00').toISOString(),
    );
    expect(addCalendarDuration(at('2026-05-01T10:00:00.250+08:00'), 'P2W', SH).toISOString()).toBe(
      at('2026-05-15T10:00:00.250+08:00').toISOString(),
    );
  });

  it('follows a zone with daylight saving: the local time stays', () => {
    // New York: 10 Mar 2026 is after the spring change (8 Mar); 10 Feb is before it
    expect(
      addCalendarDuration(at('2026-02-10T09:00:00-05:00'), 'P1M', 'America/New_York').toISOString(),
    ).toBe(at('2026-03-10T09:00:00-04:00').toISOString());
  });
});
