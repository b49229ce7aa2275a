import { MAX_BODY_DEPTH, nestedDeeperThan } from './body-depth';

const nest = (levels: number): unknown => {
  let v: unknown = 'x';
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

describe('nestedDeeperThan', () => {
  it('scalars and empty containers', () => {
    expect(nestedDeeperThan('x', 0)).toBe(false);
    expect(nestedDeeperThan(null, 0)).toBe(false);
    expect(nestedDeeperThan({}, 0)).toBe(true);
    expect(nestedDeeperThan({}, 1)).toBe(false);
    expect(nestedDeeperThan([], 1)).toBe(false);
  });

  it('exactly the limit passes, one more level does not, objects and arrays alike', () => {
    expect(nestedDeeperThan(nest(MAX_BODY_DEPTH), MAX_BODY_DEPTH)).toBe(false);
    expect(nestedDeeperThan(nest(MAX_BODY_DEPTH + 1), MAX_BODY_DEPTH)).toBe(true);
    expect(nestedDeeperThan({ wide: Array.from({ length: 1000 }, () => ({ a: 1 })) }, 3)).toBe(false);
  });

  it('the deep branch is found beside shallow ones', () => {
    expect(nestedDeeperThan({ a: 1, b: [1, 2], c: nest(40) }, MAX_BODY_DEPTH)).toBe(true);
  });

  it('100,000 levels without overflowing the stack', () => {
    expect(nestedDeeperThan(nest(100_000), MAX_BODY_DEPTH)).toBe(true);
  });
});
