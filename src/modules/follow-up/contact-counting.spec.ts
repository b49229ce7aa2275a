import { OFFICIAL_DAYS } from '../calendar/official-days';
import { computeDeadline, WorkingCalendar } from '../calendar/working-calendar';
import { Attempt, contactCountsAt } from './contact-counting';

// SPEC §9.1: the lead's contact counts at its first `reached` attempt, or at its second unreached attempt
// made at least one working hour after the first (09:00–12:00, 13:30–17:30 on the official calendar).
const cal = new WorkingCalendar(OFFICIAL_DAYS);
const hourAfter = (at: Date) => computeDeadline(cal, at, 'PT1H', 'working');
const at = (local: string) => new Date(`${local}+08:00`);
const a = (local: string, outcome: Attempt['outcome'], id = local) => ({ id, at: at(local), outcome });
const counted = (attempts: ReturnType<typeof a>[]) => {
  const c = contactCountsAt(attempts, hourAfter);
  return c && { id: c.attempt.id, rule: c.rule };
};

describe('when the first contact counts (SPEC §9.1)', () => {
  it('no attempt, no contact', () => {
    expect(counted([])).toBeNull();
  });

  it('reached at once counts at that attempt', () => {
    expect(counted([a('2026-05-11T10:00', 'reached')])).toEqual({ id: '2026-05-11T10:00', rule: 'reached' });
  });

  it('one unreached attempt does not count, whatever its outcome', () => {
    expect(counted([a('2026-05-11T10:00', 'unreachable')])).toBeNull();
    expect(counted([a('2026-05-11T10:00', 'left_message')])).toBeNull();
  });

  it('two unreached attempts 30 minutes apart do not count', () => {
    expect(counted([a('2026-05-11T10:00', 'unreachable'), a('2026-05-11T10:30', 'unreachable')])).toBeNull();
  });

  it('two unreached attempts one working hour apart over lunch count at the second (11:30, 14:00)', () => {
    expect(counted([a('2026-05-11T11:30', 'unreachable'), a('2026-05-11T14:00', 'left_message')])).toEqual({
      id: '2026-05-11T14:00',
      rule: 'two_attempts',
    });
  });

  it('one minute short of the working hour does not count (11:30, 13:59 — wall-clock 2½ hours)', () => {
    expect(counted([a('2026-05-11T11:30', 'unreachable'), a('2026-05-11T13:59', 'unreachable')])).toBeNull();
  });

  it('exactly one working hour counts; it is measured from the first unreached attempt', () => {
    expect(
      counted([
        a('2026-05-11T09:00', 'unreachable'),
        a('2026-05-11T09:40', 'unreachable'),
        a('2026-05-11T10:00', 'unreachable'),
      ]),
    ).toEqual({ id: '2026-05-11T10:00', rule: 'two_attempts' });
  });

  it('an attempt outside working hours: the hour starts at the next opening', () => {
    // 20:00 Monday → one working hour after is 10:00 Tuesday
    expect(counted([a('2026-05-11T20:00', 'unreachable'), a('2026-05-12T09:59', 'unreachable')])).toBeNull();
    expect(counted([a('2026-05-11T20:00', 'unreachable'), a('2026-05-12T10:00', 'unreachable')])?.rule).toBe(
      'two_attempts',
    );
  });

  it('across the Labour Day holiday (1–5 May 2026): 30 minutes on the 30th, 30 on the 6th', () => {
    expect(counted([a('2026-04-30T17:00', 'unreachable'), a('2026-05-06T09:29', 'unreachable')])).toBeNull();
    expect(counted([a('2026-04-30T17:00', 'unreachable'), a('2026-05-06T09:30', 'unreachable')])?.id).toBe(
      '2026-05-06T09:30',
    );
  });

  it('a reached attempt before the second unreached one wins, and after it changes nothing', () => {
    expect(
      counted([
        a('2026-05-11T09:00', 'unreachable'),
        a('2026-05-11T09:30', 'reached'),
        a('2026-05-11T11:00', 'unreachable'),
      ]),
    ).toEqual({ id: '2026-05-11T09:30', rule: 'reached' });
    expect(
      counted([
        a('2026-05-11T09:00', 'unreachable'),
        a('2026-05-11T10:30', 'unreachable'),
        a('2026-05-11T11:00', 'reached'),
      ]),
    ).toEqual({ id: '2026-05-11T10:30', rule: 'two_attempts' });
  });

  it('attempts logged out of order (a backdated `at`) are taken by their instant', () => {
    expect(counted([a('2026-05-11T14:00', 'unreachable'), a('2026-05-11T11:30', 'unreachable')])?.id).toBe(
      '2026-05-11T14:00',
    );
    expect(counted([a('2026-05-11T15:00', 'reached'), a('2026-05-11T10:00', 'reached')])?.id).toBe(
      '2026-05-11T10:00',
    );
  });

  it('equal instants keep the order they were logged in', () => {
    expect(
      counted([a('2026-05-11T10:00', 'reached', 'first'), a('2026-05-11T10:00', 'reached', 'second')])?.id,
    ).toBe('first');
  });

  // every sequence of up to three attempts over a grid of instants and outcomes, against the rule read
  // literally: the earliest attempt that is reached, or unreached at least an hour after an earlier
  // unreached one (any earlier one: the first is the earliest, so it is the same condition)
  it('agrees with the rule read literally on every sequence of up to three attempts', () => {
    const instants = [
      '2026-05-11T08:30',
      '2026-05-11T09:00',
      '2026-05-11T10:00',
      '2026-05-11T11:59',
      '2026-05-11T12:30',
      '2026-05-11T14:00',
      '2026-05-11T17:45',
      '2026-05-12T10:00',
    ];
    const outcomes: Attempt['outcome'][] = ['reached', 'unreachable', 'left_message'];
    const singles = instants.flatMap((t) => outcomes.map((o) => a(t, o, `${t}/${o}`)));
    const literal = (xs: ReturnType<typeof a>[]) => {
      const hits = xs.filter(
        (x, i) =>
          x.outcome === 'reached' ||
          xs.some(
            (y, j) =>
              j !== i &&
              y.outcome !== 'reached' &&
              (y.at < x.at || (y.at.getTime() === x.at.getTime() && j < i)) &&
              x.at.getTime() >= hourAfter(y.at).getTime(),
          ),
      );
      hits.sort((x, y) => x.at.getTime() - y.at.getTime() || xs.indexOf(x) - xs.indexOf(y));
      return hits[0]?.id ?? null;
    };
    let n = 0;
    for (const x of singles)
      for (const y of [null, ...singles])
        for (const z of y ? [null, ...singles] : [null]) {
          const xs = [x, y, z].filter((v): v is ReturnType<typeof a> => v !== null);
          expect([xs.map((v) => v.id), counted(xs)?.id ?? null]).toEqual([xs.map((v) => v.id), literal(xs)]);
          n++;
        }
    expect(n).toBeGreaterThan(10_000);
  });
});
