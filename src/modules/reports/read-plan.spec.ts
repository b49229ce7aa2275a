import { LocalDays, raggedRange } from './report-formulas';
import { CountersSpec, monthPlan, readPlan } from './reports.repository';

const days = new LocalDays('Asia/Shanghai');
const spec = (from: string, to: string): CountersSpec => ({
  slice: { from: new Date(from), to: new Date(to), filter: {}, groupBy: 'none', timeZone: days.timeZone },
  now: new Date(to),
  ...raggedRange(new Date(from), new Date(to), days),
});

describe('how a report period is read', () => {
  it('whole months from the monthly rollup; a partial month as its days or its month minus the rest, whichever is fewer', () => {
    // the whole history to now: the first month minus its days before the period, the current month
    // whole (no day after today holds rows)
    expect(monthPlan('2023-12-07', '2026-12-07', '2026-12-06')).toEqual({
      months: ['2023-12-01', '2027-01-01'],
      plus: [],
      minus: [
        ['2023-12-01', '2023-12-07'],
        ['2026-12-07', '2027-01-01'],
      ],
    });
    // the same period ending long before today: the last partial month as its six days
    expect(monthPlan('2023-12-07', '2026-12-07', '2027-06-30')).toEqual({
      months: ['2023-12-01', '2026-12-01'],
      plus: [['2026-12-01', '2026-12-07']],
      minus: [['2023-12-01', '2023-12-07']],
    });
    expect(monthPlan('2024-01-01', '2024-03-01', '2030-01-01')).toEqual({
      months: ['2024-01-01', '2024-03-01'],
      plus: [],
      minus: [],
    });
    expect(monthPlan('2024-01-20', '2024-03-05', '2030-01-01')).toEqual({
      months: ['2024-02-01', '2024-03-01'],
      plus: [
        ['2024-01-20', '2024-02-01'],
        ['2024-03-01', '2024-03-05'],
      ],
      minus: [],
    });
    // inside one month: its days, or the month minus the days around
    expect(monthPlan('2024-02-10', '2024-02-20', '2030-01-01')).toBeNull();
    expect(monthPlan('2024-02-02', '2024-02-28', '2030-01-01')).toEqual({
      months: ['2024-02-01', '2024-03-01'],
      plus: [],
      minus: [
        ['2024-02-01', '2024-02-02'],
        ['2024-02-28', '2024-03-01'],
      ],
    });
    // no whole month, days fewer
    expect(monthPlan('2024-01-31', '2024-02-02', '2030-01-01')).toBeNull();
  });

  it('an edge whose rest of the day holds no appeal joins the whole days; an empty edge reads nothing', () => {
    const s = spec('2026-04-06T09:00:00+08:00', '2026-04-20T15:30:00+08:00');
    expect(s.wholeDays).toEqual(['2026-04-07', '2026-04-20']);
    expect(readPlan(s, { inside0: 5, outside0: 0, inside1: 7, outside1: 0 })).toEqual({
      days: ['2026-04-06', '2026-04-21'],
      rows: [],
    });
    expect(readPlan(s, { inside0: 0, outside0: 3, inside1: 0, outside1: 4 })).toEqual({
      days: ['2026-04-07', '2026-04-20'],
      rows: [],
    });
  });

  it('otherwise the smaller side of the edge day from the rows: the edge, or the day minus the rest', () => {
    const s = spec('2026-04-06T09:00:00+08:00', '2026-04-20T15:30:00+08:00');
    expect(readPlan(s, { inside0: 10, outside0: 2, inside1: 2, outside1: 10 })).toEqual({
      days: ['2026-04-06', '2026-04-20'],
      rows: [
        { from: new Date('2026-04-06T00:00:00+08:00'), to: new Date('2026-04-06T09:00:00+08:00'), sign: -1 },
        { from: new Date('2026-04-20T00:00:00+08:00'), to: new Date('2026-04-20T15:30:00+08:00'), sign: 1 },
      ],
    });
  });

  it('a period inside one day is read from its rows when it holds appeals', () => {
    const s = spec('2026-04-10T10:00:00+08:00', '2026-04-10T18:00:00+08:00');
    expect(readPlan(s, { inside0: 3 })).toEqual({
      days: null,
      rows: [
        { from: new Date('2026-04-10T10:00:00+08:00'), to: new Date('2026-04-10T18:00:00+08:00'), sign: 1 },
      ],
    });
    expect(readPlan(s, { inside0: 0 })).toEqual({ days: null, rows: [] });
  });
});
