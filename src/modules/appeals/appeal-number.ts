/**
 * The appeal number (SPEC §5): ZQT + yyyymmdd (the filing day in TZ_CALENDAR, AppealsService.numberDay())
 * + the value of appeal_number_seq zero-padded to a fixed 10 digits. Unique (one value per nextval), and
 * sorting as strings sorts by day, then by sequence value, which grows with every call, so a filing that
 * starts after another has finished sorts after it. Not gapless. Single and batch filing both take their
 * numbers from appealNumberSql().
 */
export const APPEAL_NUMBER_PREFIX = 'ZQT';
/** Digits of the sequence part: fixed, so numbers sort as strings. */
export const APPEAL_NUMBER_DIGITS = 10;

/** The SQL expression of a number, `day` being the SQL of the yyyymmdd text (a parameter), `value` of the sequence value. */
export function appealNumberOf(day: string, value: string): string {
  return `'${APPEAL_NUMBER_PREFIX}' || ${day}::text || lpad((${value})::text, ${APPEAL_NUMBER_DIGITS}, '0')`;
}

/** The SQL expression of a new number, taking the next value of appeal_number_seq. */
export function appealNumberSql(day: string): string {
  return appealNumberOf(day, "nextval('appeal_number_seq')");
}
