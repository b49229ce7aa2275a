import { LocalDays } from './local-time';

describe('LocalDays: instants and query values in the calendar zone', () => {
  const sh = new LocalDays('Asia/Shanghai');

  it('formats an instant with the zone offset, with and without milliseconds', () => {
    const at = new Date('2026-12-07T09:30:00.123Z');
    expect(sh.formatMs(at)).toBe('2026-12-07T17:30:00.123+08:00');
    expect(sh.format(at)).toBe('2026-12-07T17:30:00+08:00');
    expect(new Date(sh.formatMs(at)).getTime()).toBe(at.getTime());
  });

  it('writes the local YYYY-MM-DD HH:mm for texts, across the local midnight', () => {
    expect(sh.text(new Date('2026-12-06T16:30:00Z'))).toBe('2026-12-07 00:30');
    expect(sh.text(new Date('2026-12-06T15:59:59Z'))).toBe('2026-12-06 23:59');
  });

  it('reads a date-only `from` as the local midnight and a date-only `to` as the end of that local day', () => {
    expect(sh.queryInstant('2026-01-01', 'start').toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(sh.queryInstant('2026-01-31', 'end').toISOString()).toBe('2026-01-31T16:00:00.000Z');
    expect(sh.queryInstant('2026-01-31T10:00:00+08:00', 'end').toISOString()).toBe(
      '2026-01-31T02:00:00.000Z',
    );
  });

  it('follows a zone with daylight saving time through its change', () => {
    const ny = new LocalDays('America/New_York');
    expect(ny.formatMs(new Date('2026-03-08T06:59:00Z'))).toBe('2026-03-08T01:59:00.000-05:00');
    expect(ny.formatMs(new Date('2026-03-08T07:00:00Z'))).toBe('2026-03-08T03:00:00.000-04:00');
    expect(ny.startOf('2026-07-01').toISOString()).toBe('2026-07-01T04:00:00.000Z');
  });
});
