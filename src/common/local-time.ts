/** A formatter of an instant's local date and time parts (24-hour clock) in a time zone; throws RangeError for an unknown zone. */
export function localPartsFormat(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Local calendar dates of a zone (Asia/Shanghai by default), by Intl: no machine time zone involved. */
export class LocalDays {
  private readonly fmt: Intl.DateTimeFormat;

  constructor(readonly timeZone = 'Asia/Shanghai') {
    this.fmt = localPartsFormat(timeZone);
  }

  private parts(t: number) {
    const p: Record<string, string> = {};
    for (const { type, value } of this.fmt.formatToParts(t)) p[type] = value;
    return p;
  }

  /** Offsets by quarter hour: zones change offset only on such boundaries, and responses format many instants. */
  private readonly offsets = new Map<number, number>();

  /** zone offset at instant t, in ms */
  private offsetAt(t: number): number {
    const quarter = Math.floor(t / 900_000);
    let off = this.offsets.get(quarter);
    if (off === undefined) {
      if (this.offsets.size > 10_000) this.offsets.clear();
      off = this.computeOffset(quarter * 900_000);
      this.offsets.set(quarter, off);
    }
    return off;
  }

  private computeOffset(t: number): number {
    const p = this.parts(t);
    const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
    return wall - (t - (((t % 1000) + 1000) % 1000));
  }

  /** YYYY-MM-DD of an instant in the zone (from the cached offset, as formatMs: no Intl call per instant) */
  dateOf(at: Date): string {
    const t = at.getTime();
    if (Number.isNaN(t)) throw new RangeError('Invalid time value');
    return new Date(t + this.offsetAt(t)).toISOString().slice(0, 10);
  }

  /** the instant of local midnight starting `date` */
  startOf(date: string): Date {
    const wall = Date.parse(`${date}T00:00:00Z`);
    const guess = wall - this.offsetAt(wall);
    return new Date(wall - this.offsetAt(guess));
  }

  /** ISO 8601 with the zone's offset, e.g. 2026-05-01T00:00:00+08:00 */
  format(at: Date): string {
    return this.iso(at, false);
  }

  /** ISO 8601 with milliseconds and the zone's offset, e.g. 2026-05-01T09:30:00.000+08:00: how responses carry instants. */
  formatMs(at: Date): string {
    return this.iso(at, true);
  }

  /** YYYY-MM-DD HH:mm, local: how a text people read gives an instant (SPEC §5.1). */
  text(at: Date): string {
    const local = new Date(at.getTime() + this.offsetAt(at.getTime())).toISOString();
    return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
  }

  /**
   * A query value as an instant: a date without a time means local calendar days — as a start, that
   * day's local midnight; as an end (`to`), the next day's, so the whole day is included. An instant
   * stays as it is.
   */
  queryInstant(value: string, end: 'start' | 'end'): Date {
    if (!DATE_ONLY.test(value)) return new Date(value);
    const next = new Date(Date.parse(`${value}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    return this.startOf(end === 'end' ? next : value);
  }

  private iso(at: Date, ms: boolean): string {
    const t = at.getTime();
    const off = Math.round(this.offsetAt(t) / 60_000);
    const local = new Date(t + off * 60_000).toISOString().slice(0, ms ? 23 : 19);
    const abs = Math.abs(off);
    const sign = off >= 0 ? '+' : '-';
    return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  }
}

/**
 * An instant inside a text for people (a notice). Texts are made by pure functions that do not know the
 * calendar zone, so the instant is written as a marker, and the notifier renders every marker as local
 * YYYY-MM-DD HH:mm when it stores the text (SPEC §5.1).
 */
export const instantInText = (at: Date): string => `⟦${at.toISOString()}⟧`;

/** Every instant marker of `text` in local time. */
export function renderInstants(text: string, days: LocalDays): string {
  return text.replace(/⟦([^⟧]+)⟧/g, (_, iso: string) => days.text(new Date(iso)));
}
