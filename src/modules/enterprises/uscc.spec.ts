import { USCC_ALPHABET, isValidUscc, normalizeUscc, usccCheckCharacter, usccProblem } from './uscc';

// Published or independently computed valid codes (DOMAIN.md §5).
const VALID = ['91110000600037341L', '914403001922038216', '91330100716105852F', '91350100M000100Y43'];

describe('USCC check (GB 32100-2015)', () => {
  it.each(VALID)('accepts %s', (code) => {
    expect(usccProblem(code)).toBeNull();
    expect(isValidUscc(code)).toBe(true);
  });

  it('weights are 3^i mod 31', () => {
    const weights = Array.from({ length: 17 }, (_, i) => Number(3n ** BigInt(i) % 31n));
    expect(weights).toEqual([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]);
  });

  it.each(VALID)('rejects every wrong check character of %s', (code) => {
    const wrong = [...USCC_ALPHABET].filter((c) => c !== code[17]);
    expect(wrong).toHaveLength(30);
    for (const c of wrong) expect(usccProblem(code.slice(0, 17) + c)).toBe('check');
  });

  it('detects every single-character substitution in the body', () => {
    const code = VALID[0];
    for (let i = 0; i < 17; i++) {
      for (const c of USCC_ALPHABET) {
        if (c === code[i]) continue;
        const mutated = code.slice(0, i) + c + code.slice(i + 1);
        // positions 3-8 must stay digits; a letter there is an alphabet problem, anything else a check failure
        expect(usccProblem(mutated)).not.toBeNull();
      }
    }
  });

  it.each(['I', 'O', 'S', 'V', 'Z', 'a', '*', '中'])('rejects the character %s', (bad) => {
    expect(usccProblem(bad + VALID[0].slice(1))).toBe('alphabet');
  });

  it('requires the region code (positions 3-8) to be digits', () => {
    const body = '91A10000600037341';
    expect(usccProblem(body + usccCheckCharacter(body))).toBe('alphabet');
  });

  it.each(['', '9111000060003734', '91110000600037341', '91110000600037341L0'])(
    'rejects length %#',
    (code) => {
      expect(usccProblem(code)).toBe('length');
    },
  );

  it('accepts a letter authority code such as Y (other registrars)', () => {
    const body = 'Y1110000600037341';
    expect(isValidUscc(body + usccCheckCharacter(body))).toBe(true);
  });

  it('maps a remainder of 0 to the character 0', () => {
    // find a body whose weighted sum is a multiple of 31
    const body = '00000000000000000';
    expect(usccCheckCharacter(body)).toBe('0');
  });

  it('normalizes spaces, hyphens, full-width and case', () => {
    expect(normalizeUscc(' 9111-0000 6000 3734 1l ')).toBe('91110000600037341L');
    expect(normalizeUscc('９１１１００００６０００３７３４１Ｌ')).toBe('91110000600037341L');
  });
});
