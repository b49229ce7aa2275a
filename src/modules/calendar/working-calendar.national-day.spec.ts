import { OFFICIAL_DAYS } from './official-days';
import { WorkingCalendar, computeDeadline } from './working-calendar';

const HOUR = 3600_000;
const cal = new WorkingCalendar(OFFICIAL_DAYS);
const sh = (d: Date) => new Date(d.getTime() + 8 * HOUR).toISOString().replace(/\.000Z$/, '+08:00');
const at = (iso: string) => new Date(iso);
const due = (from: string, duration: string) => sh(computeDeadline(cal, at(from), duration, 'working'));

// 2025 (notice of 2024-11-12, item 国庆节、中秋节): off Wed 1 – Wed 8 Oct; make-up Sun 28 Sep and Sat 11 Oct.
describe('National Day and Mid-Autumn 2025', () => {
  it.each([
    [
      'Tue 30 Sep, 5 days (DOMAIN anchor: Sat 11 Oct counts)',
      '2025-09-30T09:00+08:00',
      'P5D',
      '2025-10-14T17:30:00+08:00',
    ],
    ['Fri 26 Sep, 1 day: the make-up Sunday', '2025-09-26T10:00+08:00', 'P1D', '2025-09-28T17:30:00+08:00'],
    ['Tue 30 Sep afternoon, 1 day', '2025-09-30T16:00+08:00', 'P1D', '2025-10-09T17:30:00+08:00'],
    ['Tue 30 Sep 16:00, 3 working hours', '2025-09-30T16:00+08:00', 'PT3H', '2025-10-09T10:30:00+08:00'],
    [
      'Wed 8 Oct (holiday), 3 days: ends on the make-up Saturday',
      '2025-10-08T10:00+08:00',
      'P3D',
      '2025-10-11T17:30:00+08:00',
    ],
    ['Fri 10 Oct 17:00, 1 working hour', '2025-10-10T17:00+08:00', 'PT1H', '2025-10-11T09:30:00+08:00'],
  ])('%s: %s + %s → %s', (_label, from, duration, expected) => {
    expect(due(from, duration)).toBe(expected);
  });

  it('working time from Fri 26 Sep close to Thu 9 Oct opening: 28, 29, 30 Sep', () => {
    expect(cal.workingMsBetween(at('2025-09-26T17:30+08:00'), at('2025-10-09T09:00+08:00'))).toBe(21 * HOUR);
  });
});

// 2026 (notice of 2025-11-04): 中秋 Fri 25 – Sun 27 Sep; National Day Thu 1 – Wed 7 Oct;
// make-up Sun 20 Sep and Sat 10 Oct.
describe('Mid-Autumn and National Day 2026', () => {
  it.each([
    ['Sat 19 Sep, 1 day: the make-up Sunday', '2026-09-19T10:00+08:00', 'P1D', '2026-09-20T17:30:00+08:00'],
    ['Fri 18 Sep, 5 days', '2026-09-18T10:00+08:00', 'P5D', '2026-09-24T17:30:00+08:00'],
    [
      'Fri 18 Sep, 6 days: skips 中秋 Fri 25 Sep',
      '2026-09-18T10:00+08:00',
      'P6D',
      '2026-09-28T17:30:00+08:00',
    ],
    [
      'Wed 30 Sep, 3 days: ends on the make-up Saturday',
      '2026-09-30T10:00+08:00',
      'P3D',
      '2026-10-10T17:30:00+08:00',
    ],
    ['Fri 18 Sep, 15 days over both holidays', '2026-09-18T10:00+08:00', 'P15D', '2026-10-15T17:30:00+08:00'],
    ['Fri 9 Oct 17:00, 2 working hours', '2026-10-09T17:00+08:00', 'PT2H', '2026-10-10T10:30:00+08:00'],
    ['Sun 4 Oct (holiday), 1 working hour', '2026-10-04T10:00+08:00', 'PT1H', '2026-10-08T10:00:00+08:00'],
  ])('%s: %s + %s → %s', (_label, from, duration, expected) => {
    expect(due(from, duration)).toBe(expected);
  });

  it('working days between the two make-up days: 20–24 Sep, 28–30 Sep, 8–10 Oct', () => {
    expect(cal.workingMsBetween(at('2026-09-20T00:00+08:00'), at('2026-10-11T00:00+08:00'))).toBe(
      11 * 7 * HOUR,
    );
  });
});
