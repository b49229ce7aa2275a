/**
 * The working-day calendar and deadline arithmetic of SPEC §3. Pure TypeScript: no Nest, TypeORM or
 * BullMQ, no clock, no machine time zone.
 *
 * Time zones. Every local date and wall-clock time is resolved in the calendar's own IANA zone
 * (default Asia/Shanghai) through Intl.DateTimeFormat, never through the process's TZ: `localDate`
 * formats the instant in the zone; a wall time (date + HH:MM) becomes an instant by asking Intl for
 * the zone's UTC offset around it (two passes, so a zone with daylight saving also comes out right
 * outside its transition hour). Asia/Shanghai has had no DST since 1991, so there the offset is a
 * constant +08:00; the general approach only costs a few Intl calls per day crossed.
 *
 * What the calendar knows. Only the days it is given: an explicit 'holiday' makes a day off, an
 * explicit 'workday' makes a day (a make-up Saturday/Sunday, 调休) working; every other day follows
 * Mon–Fri on, Sat/Sun off. A year whose State Council notice is not entered (2027 at the time of
 * writing) therefore runs on weekends only — it is not guessed. The admin enters each new notice
 * (published in November) through the calendar API, and the service rebuilds its WorkingCalendar.
 */
import { localPartsFormat } from '../../common/local-time';

export interface WorkingHours {
  /** local wall-clock intervals, 'HH:MM', ascending and non-overlapping; '24:00' may end the last */
  intervals: { start: string; end: string }[];
}

/** SPEC §3: 09:00–12:00 and 13:30–17:30. */
export const DEFAULT_WORKING_HOURS: WorkingHours = Object.freeze({
  intervals: Object.freeze([
    Object.freeze({ start: '09:00', end: '12:00' }),
    Object.freeze({ start: '13:30', end: '17:30' }),
  ]) as WorkingHours['intervals'],
});

export type Clock = 'working' | 'natural';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})$/;

/** Parses 'YYYY-MM-DD' strictly (2026-02-30 is rejected) into its UTC-midnight epoch ms. */
function dateToUtcMs(date: string): number {
  const m = DATE_RE.exec(date);
  const t = m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : NaN;
  if (!m || new Date(t).toISOString().slice(0, 10) !== date) throw new RangeError(`invalid date: ${date}`);
  return t;
}

function nextDate(date: string): string {
  return new Date(dateToUtcMs(date) + DAY).toISOString().slice(0, 10);
}

function minutesOf(hhmm: string): number {
  const m = TIME_RE.exec(hhmm);
  const minutes = m ? +m[1] * 60 + +m[2] : NaN;
  if (!m || +m[2] > 59 || minutes > 24 * 60) throw new RangeError(`invalid time of day: ${hhmm}`);
  return minutes;
}

function checkInstant(at: Date, what: string): number {
  const t = at instanceof Date ? at.getTime() : NaN;
  if (Number.isNaN(t)) throw new RangeError(`${what} is not a valid instant`);
  return t;
}

/** Days are explicit overrides: a 'holiday' on a weekday is off, a 'workday' on a weekend is on; otherwise Mon–Fri work, Sat/Sun off. */
export class WorkingCalendar {
  readonly timeZone: string;
  readonly hours: WorkingHours;
  private readonly overrides = new Map<string, 'holiday' | 'workday'>();
  /** working intervals as [startMinute, endMinute) after local midnight */
  private readonly minutes: [number, number][];
  private readonly parts: Intl.DateTimeFormat;

  /** A date listed twice takes its last kind (the service keeps one row per date anyway). */
  constructor(
    days: Iterable<{ date: string; kind: 'holiday' | 'workday' }>,
    opts: { timeZone?: string; hours?: WorkingHours } = {},
  ) {
    for (const d of days) {
      dateToUtcMs(d.date);
      if (d.kind !== 'holiday' && d.kind !== 'workday')
        throw new RangeError(`invalid day kind: ${String(d.kind)}`);
      this.overrides.set(d.date, d.kind);
    }
    this.timeZone = opts.timeZone ?? 'Asia/Shanghai';
    // throws RangeError for an unknown zone — at construction, not at the first deadline
    this.parts = localPartsFormat(this.timeZone);
    this.hours = opts.hours ?? DEFAULT_WORKING_HOURS;
    this.minutes = this.hours.intervals.map(({ start, end }) => [minutesOf(start), minutesOf(end)]);
    if (this.minutes.length === 0) throw new RangeError('working hours need at least one interval');
    this.minutes.forEach(([s, e], i) => {
      if (s >= e || (i > 0 && s < this.minutes[i - 1][1])) {
        throw new RangeError('working-hour intervals must be non-empty, ascending and non-overlapping');
      }
    });
  }

  isWorkingDay(date: string): boolean {
    const utc = dateToUtcMs(date);
    const override = this.overrides.get(date);
    if (override) return override === 'workday';
    const weekday = new Date(utc).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /** local calendar date (YYYY-MM-DD) of an instant in the calendar's zone */
  localDate(at: Date): string {
    const p = this.wallClock(checkInstant(at, 'date'));
    return `${p.year}-${p.month}-${p.day}`;
  }

  /**
   * SPEC §3 working-day rule: counting starts on the first working day AFTER the start instant's
   * local date — whatever the start day is (working or not) and whatever the hour (08:00 and 17:29
   * alike) — and the deadline is the close of working hours (end of the last interval) of the Nth
   * working day. N = 0 returns the start instant itself.
   */
  addWorkingDays(from: Date, n: number): Date {
    const start = checkInstant(from, 'from');
    if (!Number.isSafeInteger(n) || n < 0)
      throw new RangeError(`working days must be a whole number >= 0: ${n}`);
    if (n === 0) return new Date(start);
    let day = this.localDate(from);
    for (let counted = 0; counted < n;) {
      day = nextDate(day);
      if (this.isWorkingDay(day)) counted++;
    }
    return new Date(this.instantAt(day, this.minutes[this.minutes.length - 1][1]));
  }

  /**
   * SPEC §3 working-hour rule: consume working-hour intervals from the start instant; a start outside
   * working time (before opening, at lunch, at or after closing, on a day off) begins at the next
   * opening. The result may be exactly a closing time (17:30 + 0 left) — it never rolls over to the
   * next opening. Fractional hours are fine (ms is any non-negative number, rounded to the ms).
   */
  addWorkingDuration(from: Date, ms: number): Date {
    const start = checkInstant(from, 'from');
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`working duration must be >= 0 ms: ${ms}`);
    let left = Math.round(ms);
    if (left === 0) return new Date(start);
    // terminates: beyond the last override every Mon–Fri is a working day
    for (let day = this.localDate(from); ; day = nextDate(day)) {
      if (!this.isWorkingDay(day)) continue;
      for (const [open, close] of this.intervalsOn(day)) {
        const begin = Math.max(open, start);
        if (begin >= close) continue;
        if (left <= close - begin) return new Date(begin + left);
        left -= close - begin;
      }
    }
  }

  /** working milliseconds between two instants (for avgReplyWorkingHours later); 0 if to <= from */
  workingMsBetween(from: Date, to: Date): number {
    const a = checkInstant(from, 'from');
    const b = checkInstant(to, 'to');
    if (b <= a) return 0;
    let total = 0;
    const last = this.localDate(to);
    for (let day = this.localDate(from); day <= last; day = nextDate(day)) {
      if (!this.isWorkingDay(day)) continue;
      for (const [open, close] of this.intervalsOn(day))
        total += Math.max(0, Math.min(close, b) - Math.max(open, a));
    }
    return total;
  }

  /** The day's working intervals as instants [open, close) in epoch ms. */
  private intervalsOn(date: string): [number, number][] {
    return this.minutes.map(([s, e]) => [this.instantAt(date, s), this.instantAt(date, e)]);
  }

  private wallClock(t: number): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
    const p = { year: '', month: '', day: '', hour: '', minute: '', second: '' };
    for (const { type, value } of this.parts.formatToParts(t))
      if (type in p) p[type as keyof typeof p] = value;
    return p;
  }

  /** An instant as ISO 8601 in the calendar's zone, with its offset: 2026-05-06T17:30:00+08:00. */
  formatLocal(at: Date): string {
    const t = checkInstant(at, 'at');
    const p = this.wallClock(t);
    const offsetMin = Math.round(this.offsetAt(t) / MINUTE);
    const abs = Math.abs(offsetMin);
    const ms = ((t % 1000) + 1000) % 1000;
    const frac = ms ? `.${String(ms).padStart(3, '0')}` : '';
    const offset = `${offsetMin >= 0 ? '+' : '-'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${frac}${offset}`;
  }

  /** The zone's offset from UTC at instant t, in ms (+8 h for Asia/Shanghai). */
  private offsetAt(t: number): number {
    const p = this.wallClock(t);
    const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
    return wall - (t - (((t % 1000) + 1000) % 1000));
  }

  /**
   * The instant at which the zone's clocks show `minute` minutes past midnight of `date` (minute 1440
   * = next midnight). Two passes: guess with the offset at the wall time read as UTC, then correct
   * with the offset at the guess — exact for any zone except inside a DST gap or overlap hour.
   */
  private instantAt(date: string, minute: number): number {
    const wall = dateToUtcMs(date) + minute * MINUTE;
    const guess = wall - this.offsetAt(wall);
    const offset = this.offsetAt(guess);
    return wall - offset;
  }
}

/** Invalid ISO 8601 duration, or one this system refuses (years, months, fractional days). */
export class DurationError extends Error {
  override name = 'DurationError';
}

/**
 * Longest duration accepted (days + time part, a day counted as 24 h): a year is far beyond any SLA
 * and bounds the work per computation — on the working clock PT8784H is ~1,250 working days to walk
 * (~0.1 s), so a request cannot make the deadline endpoint spin.
 */
export const MAX_DURATION_DAYS = 366;

const DATE_UNITS = ['Y', 'M', 'W', 'D'] as const;
const TIME_UNITS = ['H', 'M', 'S'] as const;
const TIME_UNIT_MS = { H: HOUR, M: MINUTE, S: 1000 } as const;

/** Splits 'nXnY…' into components in designator order; only the last may carry a decimal fraction. */
function components(part: string, units: readonly string[], input: string) {
  const re = /(\d+)(?:[.,](\d+))?([A-Z])/y;
  const out: { unit: string; value: number; fractional: boolean }[] = [];
  let lastIndex = -1;
  while (re.lastIndex < part.length) {
    const m = re.exec(part);
    const index = m ? units.indexOf(m[3]) : -1;
    if (!m || index <= lastIndex) throw new DurationError(`invalid ISO 8601 duration: ${input}`);
    if (out.some((c) => c.fractional)) {
      throw new DurationError(
        `invalid ISO 8601 duration: ${input} (only the last component may have a fraction)`,
      );
    }
    lastIndex = index;
    out.push({ unit: m[3], value: Number(`${m[1]}.${m[2] ?? '0'}`), fractional: m[2] !== undefined });
  }
  return out;
}

/**
 * ISO 8601 durations: PnD, PTnH, PTnM, PTnS, PnDTnHnM…, PnW (= 7n days). Years and months are
 * rejected: their length varies, so "P1M" has no single meaning as a deadline. Days must be whole;
 * the time part may be fractional in its last component (PT1.5H, PT0.5S). The time part is not
 * normalised into days: PT36H stays 36 h — on the working clock that is 36 working hours.
 */
export function parseIsoDuration(s: string): { days: number; ms: number } {
  if (typeof s !== 'string' || !/^P[0-9A-Z.,]*$/.test(s))
    throw new DurationError(`invalid ISO 8601 duration: ${s}`);
  const [datePart, timePart, ...rest] = s.slice(1).split('T');
  if (rest.length > 0 || timePart === '' || (datePart === '' && timePart === undefined)) {
    throw new DurationError(`invalid ISO 8601 duration: ${s}`);
  }
  let days = 0;
  for (const c of components(datePart, DATE_UNITS, s)) {
    if (c.unit === 'Y' || c.unit === 'M') {
      throw new DurationError(
        `unsupported duration ${s}: years and months have no fixed length; use days (PnD) or weeks (PnW)`,
      );
    }
    if (c.fractional) throw new DurationError(`unsupported duration ${s}: days and weeks must be whole`);
    days += c.unit === 'W' ? 7 * c.value : c.value;
  }
  let ms = 0;
  for (const c of components(timePart ?? '', TIME_UNITS, s))
    ms += c.value * TIME_UNIT_MS[c.unit as 'H' | 'M' | 'S'];
  ms = Math.round(ms);
  if (days * DAY + ms > MAX_DURATION_DAYS * DAY) {
    throw new DurationError(`duration ${s} is longer than ${MAX_DURATION_DAYS} days`);
  }
  return { days, ms };
}

/**
 * The one entry point (SPEC §3). Working clock: the days via addWorkingDays (close of the Nth
 * working day after the start date), then the time part via addWorkingDuration from there — so
 * P1DT2H is 2 working hours past that close, i.e. 11:00 of the next working day. Natural clock:
 * wall-clock add, a day being 24 h.
 */
export function computeDeadline(cal: WorkingCalendar, from: Date, duration: string, clock: Clock): Date {
  const { days, ms } = parseIsoDuration(duration);
  const start = checkInstant(from, 'from');
  switch (clock) {
    case 'working':
      return cal.addWorkingDuration(cal.addWorkingDays(from, days), ms);
    case 'natural':
      return new Date(start + days * DAY + ms);
    default:
      throw new RangeError(`unknown clock: ${String(clock)}`);
  }
}

/**
 * The warning instant (SPEC §3 warnAt): `fraction` of the span from start to due, measured on the
 * same clock — working: that share of the working time in between; natural: of the wall time.
 * Never after `due`; a due at or before the start warns at the due itself.
 */
export function warnInstant(
  cal: WorkingCalendar,
  from: Date,
  due: Date,
  fraction: number,
  clock: Clock,
): Date {
  const start = checkInstant(from, 'from');
  const end = checkInstant(due, 'due');
  if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) {
    throw new RangeError(`warn fraction must be within [0, 1]: ${fraction}`);
  }
  if (end <= start) return new Date(end);
  switch (clock) {
    case 'working':
      return cal.addWorkingDuration(from, Math.round(cal.workingMsBetween(from, due) * fraction));
    case 'natural':
      return new Date(start + Math.round((end - start) * fraction));
    default:
      throw new RangeError(`unknown clock: ${String(clock)}`);
  }
}
