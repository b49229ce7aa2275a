import { LocalDays } from '../../common/local-time';

/**
 * SPEC §5.1: every instant in a response carries the calendar zone's offset (2026-12-07T17:30:00.000+08:00
 * for Asia/Shanghai), not UTC's Z. Express's JSON replacer sees each value after Date#toJSON, but its
 * holder still has the Date: that is where it is recognised and written in local time.
 */
export function localTimeReplacer(timeZone: string) {
  const days = new LocalDays(timeZone);
  return function (this: Record<string, unknown>, key: string, value: unknown): unknown {
    const raw = this[key];
    return raw instanceof Date && !Number.isNaN(raw.getTime()) ? days.formatMs(raw) : value;
  };
}
