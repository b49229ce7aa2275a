// Times as the line writes them for people: local YYYY-MM-DD HH:mm of the service's calendar zone
// (common/time.js, shared with the dashboard), and back from a datetime-local field.

import { localParts, localTime as formatLocalTime } from '../common/time.js';

let zone = 'Asia/Shanghai';
export const setTimeZone = (z) => (zone = z);

const parts = (date) => localParts(date, zone);

/** '2026-03-06 14:00' for an instant (ISO text or Date); '—' for none. */
export const localTime = (v) => formatLocalTime(v, zone);
/** The local day of an instant: '2026-03-06'. */
export function localDay(v) {
  const p = parts(new Date(v));
  return `${p.year}-${p.month}-${p.day}`;
}
/** An <input type=datetime-local> value (local wall time of the zone) as an ISO instant with the offset. */
export function fromLocalInput(value) {
  if (!value) return undefined;
  // the zone's offset at that wall time: guess with the current offset, then correct once
  const guess = new Date(`${value}:00Z`);
  const p = parts(guess);
  const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute);
  const offset = asUtc - guess.getTime();
  return new Date(guess.getTime() - offset).toISOString();
}
