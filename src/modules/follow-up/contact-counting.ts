/**
 * When the lead's first contact counts (SPEC §9.1, DOMAIN §11.3): at its first `reached` attempt, or at
 * its second unreached attempt (`unreachable` or `left_message`) made at least one working hour after
 * the first unreached one — whichever comes first. Pure: the caller passes "one working hour after" on
 * the calendar (working-calendar.ts, PT1H working: 11:30 → 14:00 over lunch).
 */
export interface Attempt {
  at: Date;
  outcome: 'reached' | 'unreachable' | 'left_message';
}

export interface Counted<A extends Attempt> {
  /** the attempt at which the contact counts; its `at` is the contact's instant */
  attempt: A;
  rule: 'reached' | 'two_attempts';
}

/** The attempt at which the contact counts, or null while none does (attempts in any order). */
export function contactCountsAt<A extends Attempt>(
  attempts: readonly A[],
  oneWorkingHourAfter: (at: Date) => Date,
): Counted<A> | null {
  // by instant; equal instants keep the order they were logged in (a stable sort)
  const ordered = [...attempts].sort((x, y) => x.at.getTime() - y.at.getTime());
  let first: A | null = null;
  let enough: number | null = null;
  for (const a of ordered) {
    if (a.outcome === 'reached') return { attempt: a, rule: 'reached' };
    if (first === null) {
      first = a;
      enough = oneWorkingHourAfter(a.at).getTime();
    } else if (a.at.getTime() >= enough!) {
      return { attempt: a, rule: 'two_attempts' };
    }
  }
  return null;
}
