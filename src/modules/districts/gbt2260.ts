/**
 * GB/T 2260 administrative division codes, pure: six digits — province (2), city (2), county (2) — whose
 * first two digits name a province-level division. No Nest, TypeORM or SQL here.
 */

/** The province-level divisions' first two digits (GB/T 2260-2007 and its later editions). */
export const PROVINCE_PREFIXES: readonly string[] =
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82'.split(
    ' ',
  );

export type DivisionCodeProblem = 'format' | 'province' | 'level';

/** null when `code` is a GB/T 2260 code; otherwise what is wrong with it. */
export function divisionCodeProblem(code: string): DivisionCodeProblem | null {
  if (!/^[0-9]{6}$/.test(code)) return 'format';
  if (!PROVINCE_PREFIXES.includes(code.slice(0, 2))) return 'province';
  // a county under no city (xx00yy with yy ≠ 00) does not exist: directly administered counties use 90
  if (code.slice(2, 4) === '00' && code.slice(4) !== '00') return 'level';
  return null;
}

/** Full-width digits folded to ASCII and surrounding spaces dropped: what a person typed, as stored. */
export function normalizeDistrictInput(value: string): string {
  return value.replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).trim();
}

/** A value that looks like a code (six digits) rather than a name. */
export function looksLikeDivisionCode(value: string): boolean {
  return /^[0-9]{6}$/.test(value);
}
