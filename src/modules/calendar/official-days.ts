/**
 * The State Council's holiday schedules (国务院办公厅关于20xx年部分节假日安排的通知), transcribed by hand
 * from the notices so the table reads like them (SPEC §3: "the project ships the official schedule
 * for 2024–2026"). Every day off the notice lists is a 'holiday' — weekend days inside a holiday span
 * included; every make-up working day (调休上班, a Saturday or Sunday) is a 'workday'.
 *
 * Sources (gov.cn):
 * - 2024: 国务院办公厅关于2024年部分节假日安排的通知, issued 2023-10-25.
 * - 2025: 国务院办公厅关于2025年部分节假日安排的通知, issued 2024-11-12 — the first year under the amended
 *   《全国年节及纪念日放假办法》 (春节 4 days, 劳动节 2 days); https://www.gov.cn/zhengce/content/202411/content_6986382.htm
 * - 2026: 国务院办公厅关于2026年部分节假日安排的通知, issued 2025-11-04;
 *   https://www.gov.cn/zhengce/content/202511/content_7047090.htm
 *
 * This is seed data only. Years not listed here are not guessed: a WorkingCalendar built from these
 * days treats 2027 as plain Mon–Fri until an admin enters the 2027 notice (published each November)
 * through the calendar API. official-days.spec.ts cross-checks every date against `chinese-days`.
 */

export interface CalendarDay {
  /** local calendar date, YYYY-MM-DD */
  date: string;
  kind: 'holiday' | 'workday';
  /** the notice's name for the holiday, e.g. 春节; make-up days are '春节调休上班' */
  name: string;
}

/** The notices the table was transcribed from, for display and for "which years are covered". */
export const OFFICIAL_NOTICES: readonly { year: number; issued: string; title: string }[] = Object.freeze([
  { year: 2024, issued: '2023-10-25', title: '国务院办公厅关于2024年部分节假日安排的通知' },
  { year: 2025, issued: '2024-11-12', title: '国务院办公厅关于2025年部分节假日安排的通知' },
  { year: 2026, issued: '2025-11-04', title: '国务院办公厅关于2026年部分节假日安排的通知' },
]);

/** `first`..`last` inclusive, as the notices write "X月X日至X日放假". */
function off(name: string, first: string, last: string = first): CalendarDay[] {
  const days: CalendarDay[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 86_400_000) {
    days.push({ date: new Date(t).toISOString().slice(0, 10), kind: 'holiday', name });
  }
  return days;
}

/** "X月X日（周日）上班" */
function work(name: string, ...dates: string[]): CalendarDay[] {
  return dates.map((date) => ({ date, kind: 'workday', name: `${name}调休上班` }));
}

const SCHEDULE: CalendarDay[][] = [
  // 2024 (notice of 2023-10-25)
  off('元旦', '2024-01-01'), // 1月1日放假，与周末连休
  off('春节', '2024-02-10', '2024-02-17'),
  work('春节', '2024-02-04', '2024-02-18'),
  off('清明节', '2024-04-04', '2024-04-06'),
  work('清明节', '2024-04-07'),
  off('劳动节', '2024-05-01', '2024-05-05'),
  work('劳动节', '2024-04-28', '2024-05-11'),
  off('端午节', '2024-06-10'), // 6月10日放假，与周末连休
  off('中秋节', '2024-09-15', '2024-09-17'),
  work('中秋节', '2024-09-14'),
  off('国庆节', '2024-10-01', '2024-10-07'),
  work('国庆节', '2024-09-29', '2024-10-12'),

  // 2025 (notice of 2024-11-12)
  off('元旦', '2025-01-01'),
  off('春节', '2025-01-28', '2025-02-04'),
  work('春节', '2025-01-26', '2025-02-08'),
  off('清明节', '2025-04-04', '2025-04-06'),
  off('劳动节', '2025-05-01', '2025-05-05'),
  work('劳动节', '2025-04-27'),
  off('端午节', '2025-05-31', '2025-06-02'),
  // the notice's item 六 is "国庆节、中秋节": 中秋 (10-06) falls inside the National Day break
  off('国庆节、中秋节', '2025-10-01', '2025-10-08'),
  work('国庆节、中秋节', '2025-09-28', '2025-10-11'),

  // 2026 (notice of 2025-11-04)
  off('元旦', '2026-01-01', '2026-01-03'),
  work('元旦', '2026-01-04'),
  off('春节', '2026-02-15', '2026-02-23'),
  work('春节', '2026-02-14', '2026-02-28'),
  off('清明节', '2026-04-04', '2026-04-06'),
  off('劳动节', '2026-05-01', '2026-05-05'),
  work('劳动节', '2026-05-09'),
  off('端午节', '2026-06-19', '2026-06-21'),
  off('中秋节', '2026-09-25', '2026-09-27'),
  off('国庆节', '2026-10-01', '2026-10-07'),
  work('国庆节', '2026-09-20', '2026-10-10'),
];

/** Every listed day of 2024–2026, sorted by date, frozen. */
export const OFFICIAL_DAYS: readonly CalendarDay[] = Object.freeze(
  SCHEDULE.flat()
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((d) => Object.freeze(d)),
);
