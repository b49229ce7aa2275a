/**
 * The meetings report of SPEC §8.1, pure: a meeting's issue counts turned into its figures, and the
 * totals over meetings. No Nest, TypeORM or SQL here.
 *
 * - `issues`: appeals filed from the meeting; `resolvedOnSite`: those the centre answered at the meeting.
 * - `valid`: issues − rejected − withdrawn − merged (SPEC §4's `valid`: what was not refused, withdrawn by
 *   the enterprise or folded into another appeal — the issues the departments owe an answer).
 * - `answered` (已反馈): issues whose current status is replied or closed (a reopened issue is not
 *   answered until its new reply); `feedbackRate` = answered / valid.
 * - `closed`, `closureRate` = closed / valid; `rated` (a valid latest survey, SPEC §7.2),
 *   `satisfactionRate` = (satisfied + basically satisfied) / rated on each issue's latest survey — as §4.
 * Zero denominators give null (SPEC §4). The totals are the period's, counted over every meeting held in it
 * (not over a page of them): the repository sums them in SQL.
 */
import { ratio } from './report-formulas';

export interface MeetingCounts {
  issues: number;
  resolvedOnSite: number;
  /** rejected + withdrawn + merged */
  invalid: number;
  answered: number;
  closed: number;
  rated: number;
  satisfied: number;
}

export const MEETING_COUNT_KEYS: (keyof MeetingCounts)[] = [
  'issues',
  'resolvedOnSite',
  'invalid',
  'answered',
  'closed',
  'rated',
  'satisfied',
];

export function zeroMeetingCounts(): MeetingCounts {
  return { issues: 0, resolvedOnSite: 0, invalid: 0, answered: 0, closed: 0, rated: 0, satisfied: 0 };
}

export function addMeetingCounts(a: MeetingCounts, b: MeetingCounts): MeetingCounts {
  for (const k of MEETING_COUNT_KEYS) a[k] += b[k];
  return a;
}

export interface MeetingFigures {
  issues: number;
  resolvedOnSite: number;
  answered: number;
  feedbackRate: number | null;
  closed: number;
  closureRate: number | null;
  rated: number;
  satisfactionRate: number | null;
}

export function meetingFigures(c: MeetingCounts): MeetingFigures {
  const valid = c.issues - c.invalid;
  return {
    issues: c.issues,
    resolvedOnSite: c.resolvedOnSite,
    answered: c.answered,
    feedbackRate: ratio(c.answered, valid),
    closed: c.closed,
    closureRate: ratio(c.closed, valid),
    rated: c.rated,
    satisfactionRate: ratio(c.satisfied, c.rated),
  };
}

export interface MeetingRow {
  meetingId: string;
  title: string;
  heldAt: Date;
  /** heldAt to the microsecond (ISO 8601, UTC): the keyset position a page's cursor carries */
  heldAtKey: string;
  /** the district's GB/T 2260 code and, beside it, its name (SPEC §5.1) */
  district: string | null;
  districtName: string | null;
  leaderName: string | null;
  attendeeCount: number;
  counts: MeetingCounts;
}

/** What the totals of a period add up: its meetings, their attendance, and their issues' counts. */
export interface MeetingTotals {
  meetings: number;
  /** distinct enterprises that attended any of the meetings */
  enterprisesAttending: number;
  attendeeCount: number;
  counts: MeetingCounts;
}

/** The totals as the report answers them. */
export function meetingTotalsView(t: MeetingTotals) {
  return {
    meetings: t.meetings,
    enterprisesAttending: t.enterprisesAttending,
    attendeeCount: t.attendeeCount,
    ...meetingFigures(t.counts),
  };
}

/** One meeting's row of the report. */
export function meetingItem(r: MeetingRow) {
  return {
    meetingId: r.meetingId,
    title: r.title,
    heldAt: r.heldAt,
    district: r.district,
    districtName: r.districtName,
    leaderName: r.leaderName,
    ...meetingFigures(r.counts),
  };
}

/** {totals, items} of GET /reports/meetings: the period's totals beside the meetings of the page. */
export function meetingsReport(totals: MeetingTotals, rows: MeetingRow[]) {
  return { totals: meetingTotalsView(totals), items: rows.map(meetingItem) };
}
