import { enterpriseSearch } from './enterprise-search';

describe('enterprise search terms', () => {
  it('a Chinese name part is only a name', () => {
    expect(enterpriseSearch(' 南太湖 ')).toEqual({
      namePattern: '%南太湖%',
      usccPattern: null,
      phonePattern: null,
    });
  });

  it('a USCC, typed with spaces, lower case or full width, is also its own prefix', () => {
    expect(enterpriseSearch('91330502ma2b7kq4xb').usccPattern).toBe('91330502MA2B7KQ4XB%');
    expect(enterpriseSearch('９１３３ ０５０２').usccPattern).toBe('91330502%');
    expect(enterpriseSearch('913305').usccPattern).toBe('913305%');
  });

  it('a phone, with spaces, hyphens or +, matches the beginning of the phone digits', () => {
    expect(enterpriseSearch('139-0572-1001').phonePattern).toBe('13905721001%');
    expect(enterpriseSearch('+86 139').phonePattern).toBe('86139%');
    expect(enterpriseSearch('139').phonePattern).toBe('139%');
  });

  it('digits may be a USCC or a phone: both are tried', () => {
    const s = enterpriseSearch('13905721001');
    expect(s.usccPattern).toBe('13905721001%');
    expect(s.phonePattern).toBe('13905721001%');
  });

  it('too short, or with characters a USCC never has, is a name only', () => {
    expect(enterpriseSearch('9')).toMatchObject({ usccPattern: null, phonePattern: null });
    expect(enterpriseSearch('13')).toMatchObject({ phonePattern: null });
    expect(enterpriseSearch('IO')).toMatchObject({ usccPattern: null });
    expect(enterpriseSearch('湖州9133')).toMatchObject({ usccPattern: null, phonePattern: null });
  });

  it('escapes LIKE wildcards in the name', () => {
    expect(enterpriseSearch('50%_\\').namePattern).toBe('%50\\%\\_\\\\%');
  });
});
