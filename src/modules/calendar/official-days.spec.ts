import { spawnSync } from 'node:child_process';
import { OFFICIAL_DAYS, OFFICIAL_NOTICES } from './official-days';
import { WorkingCalendar } from './working-calendar';

// Cross-check of the hand transcription against an independent source: the `chinese-days` package
// (1.5.7, matches the gov.cn notices for 2024–2026 — STACK.md "Holiday data"). Dev dependency only.
const cal = new WorkingCalendar(OFFICIAL_DAYS);
const FIND_N = [1, 2, 5, 15];

/**
 * Asks chinese-days (CommonJS: `require('chinese-days')`) about every date. It runs in a child
 * process pinned to TZ=Asia/Shanghai because chinese-days 1.5.7 parses 'YYYY-MM-DD' as UTC midnight
 * and reads it back with local-time getters, so in any zone west of UTC it answers for the previous
 * day; jest's sandboxed process.env cannot change the zone in-process.
 */
function askChineseDays(dates: string[]): { workday: boolean[]; find: string[][] } {
  const script = `
    const { isWorkday, findWorkday } = require('chinese-days');
    const dates = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    const ns = ${JSON.stringify(FIND_N)};
    console.log(JSON.stringify({
      workday: dates.map((d) => isWorkday(d)),
      find: dates.map((d) => ns.map((n) => findWorkday(n, d))),
    }));`;
  const child = spawnSync(process.execPath, ['-e', script], {
    cwd: __dirname,
    input: JSON.stringify(dates),
    encoding: 'utf8',
    env: { ...process.env, TZ: 'Asia/Shanghai' },
  });
  if (child.status !== 0) throw new Error(`chinese-days oracle failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { workday: boolean[]; find: string[][] };
}

function datesOf(first: string, last: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
const isWeekend = (date: string) => weekday(date) === 0 || weekday(date) === 6;

describe('OFFICIAL_DAYS against chinese-days, day by day', () => {
  const all = datesOf('2024-01-01', '2026-12-31');
  let oracle: ReturnType<typeof askChineseDays>;
  beforeAll(() => {
    oracle = askChineseDays(all);
  });

  it('covers 1,096 dates', () => {
    expect(all).toHaveLength(366 + 365 + 365);
  });

  it('isWorkingDay equals chinese-days isWorkday on every date of 2024–2026', () => {
    const diffs = all.filter((d, i) => cal.isWorkingDay(d) !== oracle.workday[i]);
    expect(diffs).toEqual([]);
  });

  it.each([
    [2024, 251],
    [2025, 248],
    [2026, 248],
  ])('%d has %d working days (DOMAIN §6)', (year, count) => {
    expect(datesOf(`${year}-01-01`, `${year}-12-31`).filter((d) => cal.isWorkingDay(d))).toHaveLength(count);
  });

  it('the Nth working day after every start date equals chinese-days findWorkday (N = 1, 2, 5, 15)', () => {
    const diffs: string[] = [];
    all.forEach((d, i) => {
      if (d > '2026-11-30') return; // the 15th working day must stay inside the data (2026)
      FIND_N.forEach((n, j) => {
        const ours = cal.localDate(cal.addWorkingDays(new Date(`${d}T10:00:00+08:00`), n));
        if (ours !== oracle.find[i][j]) diffs.push(`${d}+${n}: ${ours} vs ${oracle.find[i][j]}`);
      });
    });
    expect(diffs).toEqual([]);
  });
});

describe('OFFICIAL_DAYS as a table', () => {
  it('is sorted, one row per date, only 2024–2026 (the notices shipped)', () => {
    const dates = OFFICIAL_DAYS.map((d) => d.date);
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(dates).size).toBe(dates.length);
    expect(new Set(dates.map((d) => Number(d.slice(0, 4))))).toEqual(
      new Set(OFFICIAL_NOTICES.map((n) => n.year)),
    );
  });

  it('is frozen', () => {
    expect(Object.isFrozen(OFFICIAL_DAYS)).toBe(true);
    expect(Object.isFrozen(OFFICIAL_DAYS[0])).toBe(true);
  });

  it('every make-up working day is a Saturday or Sunday named …调休上班', () => {
    const workdays = OFFICIAL_DAYS.filter((d) => d.kind === 'workday');
    expect(workdays.filter((d) => !isWeekend(d.date) || !d.name.endsWith('调休上班'))).toEqual([]);
  });

  it('uses the notices’ holiday names', () => {
    const names = new Set(OFFICIAL_DAYS.filter((d) => d.kind === 'holiday').map((d) => d.name));
    expect([...names].sort()).toEqual(
      ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节', '国庆节、中秋节'].sort(),
    );
  });

  // DOMAIN §6, typed out again as an independent list: weekdays off and weekend days worked
  it.each([
    [
      2024,
      '01-01 02-12 02-13 02-14 02-15 02-16 04-04 04-05 05-01 05-02 05-03 06-10 09-16 09-17 10-01 10-02 10-03 10-04 10-07',
      '02-04 02-18 04-07 04-28 05-11 09-14 09-29 10-12',
    ],
    [
      2025,
      '01-01 01-28 01-29 01-30 01-31 02-03 02-04 04-04 05-01 05-02 05-05 06-02 10-01 10-02 10-03 10-06 10-07 10-08',
      '01-26 02-08 04-27 09-28 10-11',
    ],
    [
      2026,
      '01-01 01-02 02-16 02-17 02-18 02-19 02-20 02-23 04-06 05-01 05-04 05-05 06-19 09-25 10-01 10-02 10-05 10-06 10-07',
      '01-04 02-14 02-28 05-09 09-20 10-10',
    ],
  ])('%d: weekdays off and make-up days match DOMAIN §6', (year, off, worked) => {
    const ofYear = OFFICIAL_DAYS.filter((d) => d.date.startsWith(`${year}-`));
    const weekdaysOff = ofYear
      .filter((d) => d.kind === 'holiday' && !isWeekend(d.date))
      .map((d) => d.date.slice(5));
    expect(weekdaysOff).toEqual(off.split(' '));
    expect(ofYear.filter((d) => d.kind === 'workday').map((d) => d.date.slice(5))).toEqual(worked.split(' '));
  });

  it('since the 2025 amendment no run of working days exceeds 6 (放假办法, "generally ≤ 6")', () => {
    let run = 0;
    let longest = 0;
    for (const d of datesOf('2025-01-01', '2026-12-31')) {
      run = cal.isWorkingDay(d) ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    expect(longest).toBe(6);
  });
});
