import { OFFICIAL_DAYS } from './official-days';
import { WorkingCalendar, computeDeadline, warnInstant } from './working-calendar';

// Spring Festival 2026 (notice of 2025-11-04): off Sun 15 – Mon 23 Feb (9 days);
// make-up working Saturdays 14 Feb and 28 Feb; 1 March is an ordinary Sunday.
const HOUR = 3600_000;
const cal = new WorkingCalendar(OFFICIAL_DAYS);
const sh = (d: Date) => new Date(d.getTime() + 8 * HOUR).toISOString().replace(/\.000Z$/, '+08:00');
const at = (iso: string) => new Date(iso);
const due = (from: string, duration: string) => sh(computeDeadline(cal, at(from), duration, 'working'));

describe('Spring Festival 2026', () => {
  it('the days around the break', () => {
    const days = [
      '02-13',
      '02-14',
      '02-15',
      '02-16',
      '02-20',
      '02-23',
      '02-24',
      '02-27',
      '02-28',
      '03-01',
      '03-02',
    ];
    expect(days.map((d) => [d, cal.isWorkingDay(`2026-${d}`)])).toEqual([
      ['02-13', true],
      ['02-14', true], // make-up Saturday
      ['02-15', false],
      ['02-16', false],
      ['02-20', false],
      ['02-23', false], // Monday, last day of the break
      ['02-24', true],
      ['02-27', true],
      ['02-28', true], // make-up Saturday
      ['03-01', false],
      ['03-02', true],
    ]);
  });

  it.each([
    ['Fri 13 Feb (DOMAIN anchor)', '2026-02-13T10:00+08:00', 'P1D', '2026-02-14T17:30:00+08:00'],
    ['the make-up Saturday itself', '2026-02-14T16:00+08:00', 'P1D', '2026-02-24T17:30:00+08:00'],
    ['a day inside the break', '2026-02-18T10:00+08:00', 'P1D', '2026-02-24T17:30:00+08:00'],
    ['Fri 13 Feb, 5 days', '2026-02-13T10:00+08:00', 'P5D', '2026-02-27T17:30:00+08:00'],
    [
      'Sat 14 Feb, 5 days, ending on the second make-up Saturday',
      '2026-02-14T10:00+08:00',
      'P5D',
      '2026-02-28T17:30:00+08:00',
    ],
    [
      'Fri 13 Feb, 15 days (Shanghai "1515" complex case)',
      '2026-02-13T10:00+08:00',
      'P15D',
      '2026-03-12T17:30:00+08:00',
    ],
    ['Fri 13 Feb, 8 working hours', '2026-02-13T14:00+08:00', 'PT8H', '2026-02-14T15:00:00+08:00'],
    ['Sat 14 Feb 16:00, 8 working hours', '2026-02-14T16:00+08:00', 'PT8H', '2026-02-24T17:00:00+08:00'],
    ['inside the break, 1 working hour', '2026-02-18T10:00+08:00', 'PT1H', '2026-02-24T10:00:00+08:00'],
  ])('%s: %s + %s → %s', (_label, from, duration, expected) => {
    expect(due(from, duration)).toBe(expected);
  });

  it('only the make-up Saturday is working time between Friday close and the end of the break', () => {
    expect(cal.workingMsBetween(at('2026-02-13T17:30+08:00'), at('2026-02-24T09:00+08:00'))).toBe(7 * HOUR);
  });

  it('warns at 80 % of the working time: P5D from Fri 13 Feb 10:00 warns Thu 26 Feb 16:18', () => {
    // 6 h on 13 Feb + 5 × 7 h = 41 h; 80 % = 32.8 h: 13 Feb 6 h, 14/24/25 Feb 21 h, then 5.8 h into 26 Feb
    const from = at('2026-02-13T10:00+08:00');
    const deadline = computeDeadline(cal, from, 'P5D', 'working');
    expect(cal.workingMsBetween(from, deadline)).toBe(41 * HOUR);
    expect(sh(warnInstant(cal, from, deadline, 0.8, 'working'))).toBe('2026-02-26T16:18:00+08:00');
  });

  it('the natural clock ignores the break', () => {
    expect(sh(computeDeadline(cal, at('2026-02-15T10:00+08:00'), 'P3D', 'natural'))).toBe(
      '2026-02-18T10:00:00+08:00',
    );
  });
});
