/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters from 0-9A-HJ-NPQRTUWXY (no I, O, S, V, Z).
 * Characters 1-17 are weighted by 3^i mod 31; the 18th is the check character
 * ALPHABET[(31 − Σ value·weight mod 31) mod 31].
 */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type UsccProblem = 'length' | 'alphabet' | 'check';

/** Spaces and hyphens stripped, full-width folded to half-width, upper-cased. */
export function normalizeUscc(input: string): string {
  return input
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000-]/g, '')
    .toUpperCase();
}

export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(first17[i]);
    if (value < 0) throw new Error(`not a USCC character: ${first17[i]}`);
    sum += value * USCC_WEIGHTS[i];
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

/** null when valid; otherwise what is wrong. Expects a normalized code. */
export function usccProblem(code: string): UsccProblem | null {
  if (code.length !== 18) return 'length';
  for (const c of code) if (!USCC_ALPHABET.includes(c)) return 'alphabet';
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}/.test(code)) return 'alphabet';
  return usccCheckCharacter(code.slice(0, 17)) === code[17] ? null : 'check';
}

export function isValidUscc(code: string): boolean {
  return usccProblem(code) === null;
}
