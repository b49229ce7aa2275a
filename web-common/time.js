// Times as the line writes them for people, in the service's calendar zone (settings.json).

/** The parts (year … minute, 24-hour) of an instant's local wall time in the zone. */
export function localParts(date, timeZone) {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return Object.fromEntries(f.formatToParts(date).map((p) => [p.type, p.value]));
}

/** '2026-03-06 14:00' for an instant (ISO text or Date); '—' for none or an unreadable one. */
export function localTime(value, timeZone) {
  if (!value) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return '—';
  const p = localParts(d, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}
