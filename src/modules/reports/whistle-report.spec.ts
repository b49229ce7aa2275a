import { whistleFigures, whistlesReport, WhistleRow } from './whistle-report';

const row = (p: Partial<WhistleRow>): WhistleRow => ({
  status: 'requested',
  leadDepartmentId: null,
  closedOnTime: false,
  rated: false,
  satisfied: false,
  ...p,
});

describe('the whistles report (SPEC §12), a hand-computed history', () => {
  // six whistles: one denied, one still requested, one cancelled, one held, two closed (one late);
  // three appeals rated, two of them satisfied
  const rows = [
    row({ status: 'denied', rated: true, satisfied: true }),
    row({ status: 'requested' }),
    row({ status: 'cancelled', leadDepartmentId: 'b' }),
    row({ status: 'held', leadDepartmentId: 'a' }),
    row({ status: 'closed', leadDepartmentId: 'a', closedOnTime: true, rated: true, satisfied: true }),
    row({ status: 'closed', leadDepartmentId: 'a', closedOnTime: false, rated: true, satisfied: false }),
  ];

  it('totals: whistles, taken up, closed, closed on time, satisfaction', () => {
    expect(whistleFigures(rows)).toEqual({
      whistles: 6,
      whistlesApproved: 4,
      whistlesClosed: 2,
      whistlesClosedOnTime: 1,
      whistleClosedOnTimeRate: 0.5,
      whistleRated: 3,
      whistleSatisfactionRate: 2 / 3,
    });
  });

  it('zero denominators are null', () => {
    expect(whistleFigures([])).toMatchObject({
      whistles: 0,
      whistleClosedOnTimeRate: null,
      whistleSatisfactionRate: null,
    });
  });

  it('rows by convening department, the most whistles first; unreviewed and denied ones have none', () => {
    const names = new Map([
      ['a', { code: 'A', name: '甲局' }],
      ['b', { code: 'B', name: '乙局' }],
    ]);
    const { items } = whistlesReport(rows, names);
    expect(items.map((i) => [i.code, i.whistles, i.whistlesClosed, i.whistlesClosedOnTime])).toEqual([
      ['A', 3, 2, 1],
      ['B', 1, 0, 0],
    ]);
  });
});
