import { divisionCodeProblem, looksLikeDivisionCode, normalizeDistrictInput } from './gbt2260';

describe('GB/T 2260 division codes', () => {
  it.each(['330500', '330502', '330503', '330521', '330522', '330523', '110101', '820000', '330000'])(
    'accepts %s',
    (code) => expect(divisionCodeProblem(code)).toBeNull(),
  );

  it.each([
    ['33050', 'format'],
    ['3305021', 'format'],
    ['33O502', 'format'],
    ['', 'format'],
    ['000000', 'province'],
    ['990101', 'province'],
    ['100101', 'province'],
    ['330012', 'level'],
  ])('refuses %s (%s)', (code, problem) => expect(divisionCodeProblem(code)).toBe(problem));

  it('folds full-width digits and trims', () => {
    expect(normalizeDistrictInput(' ３３０５０２ ')).toBe('330502');
    expect(normalizeDistrictInput(' 吴兴区\u3000')).toBe('吴兴区');
  });

  it('tells a code from a name', () => {
    expect(looksLikeDivisionCode('330502')).toBe(true);
    expect(looksLikeDivisionCode('吴兴区')).toBe(false);
    expect(looksLikeDivisionCode('3305021')).toBe(false);
  });
});
