import { claimStart, nextClaimFrom } from './routing-claim';

const t = (s: number) => new Date(Date.UTC(2026, 11, 7, 9, 0, s));

describe('routing claims: where the scan starts', () => {
  it('the first claim of a process scans from the start', () => {
    expect(claimStart(null, t(10))).toBeNull();
  });

  it('later claims start at the mark, or at their own appeal when it is older', () => {
    expect(claimStart(t(5), t(10))).toEqual(t(5));
    expect(claimStart(t(5), t(5))).toEqual(t(5));
    expect(claimStart(t(5), t(2))).toEqual(t(2));
  });

  it('after a claim that took others, the mark is the oldest it took', () => {
    expect(nextClaimFrom(null, t(10), t(3))).toEqual(t(3));
    expect(nextClaimFrom(t(5), t(10), t(6))).toEqual(t(6));
    // a straggler's claim started before the mark: the mark follows what it found
    expect(nextClaimFrom(t(2), t(2), t(4))).toEqual(t(4));
  });

  it('after a claim that took none, the mark moves to its own appeal, never back', () => {
    expect(nextClaimFrom(null, t(10), null)).toEqual(t(10));
    expect(nextClaimFrom(t(5), t(10), null)).toEqual(t(10));
    expect(nextClaimFrom(t(5), t(5), null)).toEqual(t(5));
    expect(nextClaimFrom(t(2), t(1), null)).toEqual(t(2));
  });
});
