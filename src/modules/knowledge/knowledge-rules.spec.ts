import {
  addMonths,
  entryProblems,
  isStale,
  mayAct,
  mayRead,
  normalizeKeywords,
  statusAt,
  titleKey,
} from './knowledge-rules';

const at = (s: string) => new Date(s);

describe('knowledge entry fields (SPEC §10)', () => {
  it('accepts a title of 128 characters and keywords of 20', () => {
    expect(entryProblems({ title: '稳'.repeat(128), keywords: ['岗'.repeat(20)] })).toEqual([]);
  });

  it('refuses a title over 128 characters, counted as characters not UTF-16 units', () => {
    expect(entryProblems({ title: '稳'.repeat(129), keywords: [] })).toEqual([
      { field: 'title', message: 'must be at most 128 characters' },
    ]);
    // 128 characters outside the BMP are 256 UTF-16 units and still fine
    expect(entryProblems({ title: '𠀀'.repeat(128), keywords: [] })).toEqual([]);
  });

  it('refuses a keyword over 20 characters, more than 20 keywords, a blank title', () => {
    expect(entryProblems({ title: '首贷', keywords: ['贷'.repeat(21)] })).toEqual([
      { field: 'keywords', message: 'each keyword must be at most 20 characters' },
    ]);
    expect(entryProblems({ title: '首贷', keywords: Array.from({ length: 21 }, (_, i) => `k${i}`) })).toEqual(
      [{ field: 'keywords', message: 'at most 20 keywords' }],
    );
    expect(entryProblems({ title: '  ', keywords: [] })).toEqual([
      { field: 'title', message: 'must not be blank' },
    ]);
  });

  it('refuses a keyword that is the title, whatever its case, width or spaces', () => {
    expect(entryProblems({ title: 'ＡＢＣ贷款', keywords: [' abc贷款 '] })).toEqual([
      { field: 'keywords', message: 'a keyword must not be the title' },
    ]);
    expect(titleKey(' ＡＢＣ贷款 ')).toBe('abc贷款');
  });

  it('normalizes keywords: trimmed, blanks and repeats dropped, first spelling kept', () => {
    expect(normalizeKeywords([' 首贷 ', '', '首贷', 'ABC', 'abc', '  '])).toEqual(['首贷', 'ABC']);
  });
});

describe('review due: months on the calendar in the zone (+08:00)', () => {
  it('six months on, same local day and time', () => {
    expect(addMonths(at('2026-03-15T02:00:00Z'), 6).toISOString()).toBe('2026-09-15T02:00:00.000Z');
  });
  it('a 31st lands on the last day of a shorter month', () => {
    expect(addMonths(at('2026-08-31T04:00:00Z'), 6).toISOString()).toBe('2027-02-28T04:00:00.000Z');
    expect(addMonths(at('2027-08-31T04:00:00Z'), 6).toISOString()).toBe('2028-02-29T04:00:00.000Z');
  });
  it('counts the local date, not the UTC one (23:30 local on the 31st is the 31st)', () => {
    // 2026-08-31T23:30+08:00 = 2026-08-31T15:30Z
    expect(addMonths(at('2026-08-31T15:30:00Z'), 6).toISOString()).toBe('2027-02-28T15:30:00.000Z');
    // 2026-01-31T20:00Z is 2026-02-01 04:00 local
    expect(addMonths(at('2026-01-31T20:00:00Z'), 1).toISOString()).toBe('2026-02-28T20:00:00.000Z');
  });
  it('crosses a year', () => {
    expect(addMonths(at('2026-11-10T00:00:00Z'), 6).toISOString()).toBe('2027-05-10T00:00:00.000Z');
  });
});

describe('status and stale at an instant', () => {
  const now = at('2026-06-01T00:00:00Z');
  const base = {
    status: 'published' as const,
    expiresAt: null as Date | null,
    reviewDueAt: at('2026-05-01T00:00:00Z') as Date | null,
    editedAt: null as Date | null,
  };
  it('a published entry past expiresAt is expired, and then not stale', () => {
    const e = { ...base, expiresAt: at('2026-06-01T00:00:00Z') };
    expect(statusAt(e, now)).toBe('expired');
    expect(isStale(e, now)).toBe(false);
    expect(statusAt({ ...base, expiresAt: at('2026-06-01T00:00:01Z') }, now)).toBe('published');
  });
  it('stale from reviewDueAt on, until an edit after it', () => {
    expect(isStale(base, now)).toBe(true);
    expect(isStale({ ...base, reviewDueAt: at('2026-06-01T00:00:00Z') }, now)).toBe(true);
    expect(isStale({ ...base, reviewDueAt: at('2026-06-01T00:00:01Z') }, now)).toBe(false);
    expect(isStale({ ...base, editedAt: at('2026-04-01T00:00:00Z') }, now)).toBe(true);
    expect(isStale({ ...base, editedAt: at('2026-05-02T00:00:00Z') }, now)).toBe(false);
  });
  it('drafts and withdrawn entries are never stale', () => {
    expect(isStale({ ...base, status: 'draft' }, now)).toBe(false);
    expect(isStale({ ...base, status: 'withdrawn' }, now)).toBe(false);
  });
});

describe('who may do what (SPEC §10)', () => {
  const dept = 'd1';
  const handler = { role: 'handler', departmentId: dept };
  const other = { role: 'handler', departmentId: 'd2' };
  const dispatcher = { role: 'dispatcher', departmentId: null };
  const supervisor = { role: 'supervisor', departmentId: null };
  const own = { sourceDepartmentId: dept };
  const centre = { sourceDepartmentId: null };

  it.each([
    ['edit', handler, own, true],
    ['edit', other, own, false],
    ['edit', dispatcher, own, false],
    ['edit', dispatcher, centre, true],
    ['edit', handler, centre, false],
    ['submit', handler, own, true],
    ['confirm', handler, own, true],
    ['confirm', dispatcher, own, false],
    ['publish', handler, own, false],
    ['publish', dispatcher, own, true],
    ['reject', dispatcher, centre, true],
    ['reject', supervisor, own, false],
    ['withdraw', handler, own, true],
    ['withdraw', dispatcher, own, true],
    ['withdraw', other, own, false],
    ['withdraw', supervisor, own, false],
  ] as const)('%s by %o on %o: %s', (action, who, entry, ok) => {
    expect(mayAct(action, who, entry)).toBe(ok);
  });

  it('enterprises read only public entries in force; handlers others’ only when in force', () => {
    const now = at('2026-06-01T00:00:00Z');
    const e = { sourceDepartmentId: dept, status: 'published' as const, public: false, expiresAt: null };
    const enterprise = { role: 'enterprise', departmentId: null };
    expect(mayRead(enterprise, e, now)).toBe(false);
    expect(mayRead(enterprise, { ...e, public: true }, now)).toBe(true);
    expect(mayRead(enterprise, { ...e, public: true, expiresAt: now }, now)).toBe(false);
    expect(mayRead(other, { ...e, status: 'draft' }, now)).toBe(false);
    expect(mayRead(handler, { ...e, status: 'draft' }, now)).toBe(true);
    expect(mayRead(other, e, now)).toBe(true);
    expect(mayRead(supervisor, { ...e, status: 'withdrawn' }, now)).toBe(true);
  });
});
