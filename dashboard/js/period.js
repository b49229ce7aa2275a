// Dates on screen and in the URL are local days (YYYY-MM-DD) of the service's calendar time zone; the
// period's end day is included. The report routes take instants with [from, to): to is the next day's start.

export function today(timeZone) {
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
}

export function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function isDay(s) {
  return (
    typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`))
  );
}

/** The zone's UTC offset on that day, as +08:00. */
function offset(day, timeZone) {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(
    new Date(`${day}T12:00:00Z`),
  );
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  return /GMT([+-]\d{2}:\d{2})/.exec(name)?.[1] ?? '+00:00';
}

/** The instant a local day starts. */
export function startOf(day, timeZone) {
  return `${day}T00:00:00${offset(day, timeZone)}`;
}

/** The default period: the current month up to and including today. */
export function defaultPeriod(timeZone) {
  const to = today(timeZone);
  return { from: `${to.slice(0, 8)}01`, to };
}

/** Quick picks for the period. */
export function presets(timeZone) {
  const t = today(timeZone);
  const monthStart = `${t.slice(0, 8)}01`;
  const lastMonthEnd = addDays(monthStart, -1);
  return [
    { label: '近 7 天', from: addDays(t, -6), to: t },
    { label: '本月', from: monthStart, to: t },
    { label: '上月', from: `${lastMonthEnd.slice(0, 8)}01`, to: lastMonthEnd },
    { label: '本年', from: `${t.slice(0, 4)}-01-01`, to: t },
  ];
}

/** An instant as the line writes times for people (common/time.js, shared with the workbench). */
export { localTime } from '../common/time.js';

/** Days in the period, both ends included. */
export function spanDays(from, to) {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/**
 * The trend's granularity when none is chosen: by day up to six weeks, by week up to half a year, by
 * month beyond — a chart of a few dozen bars, never hundreds.
 */
export function autoInterval(from, to) {
  const days = spanDays(from, to);
  return days <= 42 ? 'day' : days <= 183 ? 'week' : 'month';
}
