/**
 * Durations on the natural clock that may count calendar months and years (SPEC §9.3: a plan promises
 * within `P3M`, reports within `P1M`). Months and years are added to the local date in the calendar's
 * zone, the day clamped to the month's end (31 Jan + P1M = 28/29 Feb); weeks, days and the time part are
 * wall-clock time after that. Pure: no Nest, TypeORM or machine time zone.
 */
import { localPartsFormat } from '../../common/local-time';
import { DurationError } from './working-calendar';

export interface CalendarDuration {
  years: number;
  months: number;
  /** weeks and days as days */
  days: number;
  ms: number;
}

const PATTERN =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** At most this long (a plan of more than five years is not a plan). */
export const MAX_CALENDAR_DURATION_MONTHS = 60;

/** Parses `P3M`, `P1Y`, `P2W`, `P10D`, `PT3S`, `P1MT12H`; throws DurationError otherwise. */
export function parseCalendarDuration(s: string): CalendarDuration {
  const m = typeof s === 'string' ? PATTERN.exec(s) : null;
  if (!m || s === 'P' || s.endsWith('T')) throw new DurationError(`invalid ISO 8601 duration: ${String(s)}`);
  const n = (i: number) => (m[i] === undefined ? 0 : Number(m[i]));
  const d: CalendarDuration = {
    years: n(1),
    months: n(2),
    days: 7 * n(3) + n(4),
    ms: Math.round((n(5) * 3600 + n(6) * 60 + n(7)) * 1000),
  };
  const totalMonths = d.years * 12 + d.months + (d.days + d.ms / 86_400_000) / 30;
  if (totalMonths > MAX_CALENDAR_DURATION_MONTHS)
    throw new DurationError(`duration ${s} is longer than ${MAX_CALENDAR_DURATION_MONTHS} months`);
  return d;
}

/** `from` plus the duration on the natural clock, months counted on the local calendar of `timeZone`. */
export function addCalendarDuration(from: Date, duration: string, timeZone: string): Date {
  const d = parseCalendarDuration(duration);
  let t = from.getTime();
  const months = d.years * 12 + d.months;
  if (months > 0) {
    const fmt = localPartsFormat(timeZone);
    const p: Record<string, number> = {};
    for (const { type, value } of fmt.formatToParts(t)) p[type] = Number(value);
    const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) + (t % 1000);
    const offset = wall - t;
    const index = p.year * 12 + (p.month - 1) + months;
    const year = Math.floor(index / 12);
    const month = index % 12;
    const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    const moved = Date.UTC(year, month, Math.min(p.day, lastDay), p.hour, p.minute, p.second) + (t % 1000);
    // the zone's offset at the new date (zones with daylight saving move it)
    const guess = moved - offset;
    const q: Record<string, number> = {};
    for (const { type, value } of fmt.formatToParts(guess)) q[type] = Number(value);
    const offset2 = Date.UTC(q.year, q.month - 1, q.day, q.hour, q.minute, q.second) + (guess % 1000) - guess;
    t = moved - offset2;
  }
  return new Date(t + d.days * 86_400_000 + d.ms);
}
