import {
  compareRules,
  decideRouting,
  nearestDefault,
  normalizeKeywords,
  pickRule,
  RoutingInput,
  ruleMatches,
  RuleLike,
} from './routing-match';

let n = 0;
function rule(p: Partial<RuleLike> = {}): RuleLike {
  n += 1;
  return {
    id: `r${String(n).padStart(3, '0')}`,
    priority: 0,
    categoryCode: null,
    keywords: [],
    district: null,
    leadDepartmentId: 'LEAD',
    coDepartmentIds: [],
    autoDispatch: false,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
    ...p,
  };
}

const input: RoutingInput = {
  categoryPath: ['FIN_LOAN', 'FIN', 'ROOT'],
  title: '技改项目贷款贴息审批超时',
  content: '今年五月提交的ＥＳＧ贴息申请至今未有答复。',
  district: '吴兴区',
};

describe('ruleMatches', () => {
  it('a rule with no condition matches everything', () => {
    expect(ruleMatches(rule(), input)).toBe(true);
    expect(ruleMatches(rule(), { ...input, district: null, categoryPath: ['X'] })).toBe(true);
  });

  it.each([
    ['the category itself', 'FIN_LOAN', true],
    ['its parent', 'FIN', true],
    ['its grandparent', 'ROOT', true],
    ['a sibling', 'FIN_BOND', false],
    ['a category under it', 'FIN_LOAN_SUB', false],
  ])('category condition: %s', (_, code, expected) => {
    expect(ruleMatches(rule({ categoryCode: code }), input)).toBe(expected);
  });

  it.each([
    ['a keyword in the title', ['贴息'], true],
    ['a keyword in the content', ['答复'], true],
    ['any one of several', ['出口退税', '审批'], true],
    ['none of them', ['出口退税', '消防'], false],
    ['full-width text against an ASCII keyword, any case', ['esg'], true],
    ['a full-width keyword against full-width text', ['ＥＳＧ'], true],
    ['a keyword spanning title and content is not a match', ['超时今年'], false],
  ])('keyword condition: %s', (_, keywords, expected) => {
    expect(ruleMatches(rule({ keywords }), input)).toBe(expected);
  });

  it('blank keywords are no condition at all', () => {
    expect(ruleMatches(rule({ keywords: ['  ', ''] }), input)).toBe(true);
  });

  it.each([
    ['same district', '吴兴区', '吴兴区', true],
    ['another district', '南浔区', '吴兴区', false],
    ['an appeal without a district', '吴兴区', null, false],
  ])('district condition: %s', (_, ruleDistrict, appealDistrict, expected) => {
    expect(ruleMatches(rule({ district: ruleDistrict }), { ...input, district: appealDistrict })).toBe(
      expected,
    );
  });

  it('every named condition must hold', () => {
    const r = rule({ categoryCode: 'FIN', keywords: ['贴息'], district: '吴兴区' });
    expect(ruleMatches(r, input)).toBe(true);
    expect(ruleMatches(r, { ...input, district: '德清县' })).toBe(false);
    expect(ruleMatches(r, { ...input, categoryPath: ['TAX'] })).toBe(false);
    expect(ruleMatches(r, { ...input, title: '融资', content: '担保' })).toBe(false);
  });
});

describe('pickRule: who wins among matches', () => {
  it('no rules or no match gives null', () => {
    expect(pickRule([], input)).toBeNull();
    expect(pickRule([rule({ categoryCode: 'TAX' })], input)).toBeNull();
  });

  it('the highest priority wins, whatever the order of the rows', () => {
    const low = rule({ priority: 1, categoryCode: 'FIN_LOAN', keywords: ['贴息'], district: '吴兴区' });
    const high = rule({ priority: 9 });
    expect(pickRule([low, high], input)).toBe(high);
    expect(pickRule([high, low], input)).toBe(high);
  });

  it('negative priorities rank below zero', () => {
    const neg = rule({ priority: -1 });
    const zero = rule({ priority: 0 });
    expect(pickRule([neg, zero], input)).toBe(zero);
  });

  it('on equal priority the rule with more conditions wins', () => {
    const one = rule({ priority: 5, categoryCode: 'FIN' });
    const two = rule({ priority: 5, categoryCode: 'FIN', district: '吴兴区' });
    expect(pickRule([one, two], input)).toBe(two);
    expect(pickRule([two, one], input)).toBe(two);
  });

  it('then the nearer category', () => {
    const root = rule({ priority: 5, categoryCode: 'ROOT' });
    const leaf = rule({ priority: 5, categoryCode: 'FIN_LOAN' });
    expect(pickRule([root, leaf], input)).toBe(leaf);
    expect(pickRule([leaf, root], input)).toBe(leaf);
  });

  it('then the older rule, then the smaller id: never the row order', () => {
    const older = rule({ priority: 5, keywords: ['贴息'] });
    const newer = rule({ priority: 5, keywords: ['审批'] });
    expect(pickRule([newer, older], input)).toBe(older);
    const sameTime = new Date('2026-01-01T00:00:00Z');
    const a = rule({ id: 'a', createdAt: sameTime });
    const b = rule({ id: 'b', createdAt: sameTime });
    expect(pickRule([b, a], input)).toBe(a);
    expect(compareRules(input)(a, a)).toBe(0);
  });
});

describe('decideRouting', () => {
  const fallback = { categoryCode: 'FIN', departmentId: 'DEFAULT' };

  it('a matching rule gives its departments and its autoDispatch', () => {
    const r = rule({ leadDepartmentId: 'L', coDepartmentIds: ['C1', 'C2'], autoDispatch: true });
    expect(decideRouting([r], input, fallback)).toEqual({
      source: 'rule',
      rule: r,
      leadDepartmentId: 'L',
      coDepartmentIds: ['C1', 'C2'],
      autoDispatch: true,
    });
  });

  it('a lead listed among its own co-handlers is dropped from them', () => {
    const r = rule({ leadDepartmentId: 'L', coDepartmentIds: ['L', 'C'] });
    expect(decideRouting([r], input, null)).toMatchObject({ coDepartmentIds: ['C'] });
  });

  it('no match: the category default is only ever a suggestion', () => {
    expect(decideRouting([rule({ categoryCode: 'TAX' })], input, fallback)).toEqual({
      source: 'category_default',
      categoryCode: 'FIN',
      leadDepartmentId: 'DEFAULT',
      coDepartmentIds: [],
      autoDispatch: false,
    });
  });

  it('no match and no default: nothing', () => {
    expect(decideRouting([], input, null)).toEqual({ source: 'none' });
  });
});

describe('nearestDefault', () => {
  it('the category’s own default first, else the nearest ancestor’s, else none', () => {
    expect(
      nearestDefault([
        { code: 'A', defaultDepartmentId: 'DA' },
        { code: 'P', defaultDepartmentId: 'DP' },
      ]),
    ).toEqual({ categoryCode: 'A', departmentId: 'DA' });
    expect(
      nearestDefault([
        { code: 'A', defaultDepartmentId: null },
        { code: 'P', defaultDepartmentId: null },
        { code: 'G', defaultDepartmentId: 'DG' },
      ]),
    ).toEqual({ categoryCode: 'G', departmentId: 'DG' });
    expect(nearestDefault([{ code: 'A', defaultDepartmentId: null }])).toBeNull();
    expect(nearestDefault([])).toBeNull();
  });
});

describe('normalizeKeywords', () => {
  it('trims, folds width and case, drops blanks and repeats, keeps order', () => {
    expect(normalizeKeywords([' 贷款 ', 'ＥＳＧ', 'esg', '', '  ', '贷款', 'Tax'])).toEqual([
      '贷款',
      'esg',
      'tax',
    ]);
  });
});
