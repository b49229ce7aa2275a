import { meetingFigures, meetingsReport, MeetingCounts, zeroMeetingCounts } from './meeting-report';

const counts = (c: Partial<MeetingCounts>): MeetingCounts => ({ ...zeroMeetingCounts(), ...c });

describe('meeting figures (SPEC §8.1)', () => {
  it('feedback and closure over valid issues, satisfaction over rated ones', () => {
    // 5 issues: 1 withdrawn, 1 answered on the spot and closed, 2 replied, 1 reopened (in progress)
    const f = meetingFigures(
      counts({ issues: 5, resolvedOnSite: 1, invalid: 1, answered: 3, closed: 1, rated: 2, satisfied: 1 }),
    );
    expect(f).toEqual({
      issues: 5,
      resolvedOnSite: 1,
      answered: 3,
      feedbackRate: 3 / 4,
      closed: 1,
      closureRate: 1 / 4,
      rated: 2,
      satisfactionRate: 1 / 2,
    });
  });

  it('zero denominators give null, not 0 or 1', () => {
    expect(meetingFigures(zeroMeetingCounts())).toMatchObject({
      feedbackRate: null,
      closureRate: null,
      satisfactionRate: null,
    });
    // every issue withdrawn: nothing valid
    expect(meetingFigures(counts({ issues: 2, invalid: 2 })).feedbackRate).toBeNull();
  });

  it('the totals are the period’s, whatever page of meetings is beside them', () => {
    const at = new Date('2026-06-10T06:30:00Z');
    const row = (id: string, c: Partial<MeetingCounts>) => ({
      meetingId: id,
      title: id,
      heldAt: at,
      heldAtKey: at.toISOString(),
      district: null,
      districtName: null,
      leaderName: null,
      attendeeCount: 0,
      counts: counts(c),
    });
    const totals = {
      meetings: 2,
      enterprisesAttending: 11,
      attendeeCount: 13,
      counts: counts({ issues: 3, answered: 3, closed: 2, rated: 2, satisfied: 2 }),
    };
    const whole = meetingsReport(totals, [row('a', { issues: 3, answered: 3 }), row('b', {})]);
    const page = meetingsReport(totals, [row('b', {})]);
    expect(whole.totals).toEqual({
      meetings: 2,
      enterprisesAttending: 11,
      attendeeCount: 13,
      issues: 3,
      resolvedOnSite: 0,
      answered: 3,
      feedbackRate: 1,
      closed: 2,
      closureRate: 2 / 3,
      rated: 2,
      satisfactionRate: 1,
    });
    expect(page.totals).toEqual(whole.totals);
    expect(whole.items.map((i) => [i.meetingId, i.issues, i.feedbackRate])).toEqual([
      ['a', 3, 1],
      ['b', 0, null],
    ]);
    expect(page.items.map((i) => i.meetingId)).toEqual(['b']);
  });
});
