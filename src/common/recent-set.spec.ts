import { RecentSet } from './recent-set';

describe('RecentSet', () => {
  it('remembers what was added', () => {
    const s = new RecentSet<string>(3);
    s.add('a');
    s.add('b');
    expect(s.has('a')).toBe(true);
    expect(s.has('b')).toBe(true);
    expect(s.has('c')).toBe(false);
    expect(s.size).toBe(2);
  });

  it('keeps only the latest `capacity` members, forgetting the oldest first', () => {
    const s = new RecentSet<number>(3);
    for (let i = 1; i <= 5; i++) s.add(i);
    expect([1, 2, 3, 4, 5].map((i) => s.has(i))).toEqual([false, false, true, true, true]);
    expect(s.size).toBe(3);
  });

  it('adding a member again does not make it younger', () => {
    const s = new RecentSet<string>(2);
    s.add('a');
    s.add('b');
    s.add('a');
    s.add('c');
    expect(s.has('a')).toBe(false);
    expect(s.has('b')).toBe(true);
    expect(s.has('c')).toBe(true);
  });

  it('refuses a capacity below one', () => {
    expect(() => new RecentSet(0)).toThrow();
    expect(() => new RecentSet(1.5)).toThrow();
  });
});
