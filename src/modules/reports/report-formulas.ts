/**
 * The report math of SPEC §4, pure: counter vectors, the metrics derived from them, targets, the
 * department ranking, local days and trend buckets. No Nest, TypeORM or SQL here.
 */
import { STORED_COUNTER_KEYS, StoredCounterKey } from './report-counters.sql';
import { LocalDays } from '../../common/local-time';

/**
 * Numerators and denominators; every report figure is a function of a sum of these: the stored
 * counters of report-counters.sql.ts (ackDue and replyDue plus their live parts) and overdueOpen,
 * which is live only.
 */
export type Counters = Record<StoredCounterKey | 'overdueOpen', number>;

export const COUNTER_KEYS: (keyof Counters)[] = [...STORED_COUNTER_KEYS, 'overdueOpen'];

export function zeroCounters(): Counters {
  return Object.fromEntries(COUNTER_KEYS.map((k) => [k, 0])) as unknown as Counters;
}

/** a − b, in place; returns a (a part taken out of a whole that contains it) */
export function subtractCounters(a: Counters, b: Partial<Counters>): Counters {
  for (const k of COUNTER_KEYS) a[k] -= Number(b[k] ?? 0);
  return a;
}

/** a += b, in place; returns a */
export function addCounters(a: Counters, b: Partial<Counters>): Counters {
  for (const k of COUNTER_KEYS) a[k] += Number(b[k] ?? 0);
  return a;
}

export interface ScoreWeights {
  responseRate: number;
  resolutionRate: number;
  satisfactionRate: number;
}

export const DEFAULT_WEIGHTS: ScoreWeights = {
  responseRate: 0.1,
  resolutionRate: 0.5,
  satisfactionRate: 0.4,
};

export interface Metrics {
  received: number;
  valid: number;
  rejected: number;
  withdrawn: number;
  merged: number;
  closed: number;
  rated: number;
  closureRate: number | null;
  responseRate: number | null;
  onTimeReplyRate: number | null;
  satisfactionRate: number | null;
  resolutionRate: number | null;
  oneTimeResolutionRate: number | null;
  overdueOpen: number;
  avgReplyWorkingHours: number | null;
  score: number | null;
  /** SPEC §7 */
  returnRate: number | null;
  returnsDenied: number;
  ratedAll: number;
  satisfactionRateAll: number | null;
  assessmentAppeals: number;
  assessmentAppealsApproved: number;
  supervisions: number;
  supervisionAnsweredOnTimeRate: number | null;
  notices: number;
  /** SPEC §9 */
  firstContactOnTimeRate: number | null;
  contactRate: number | null;
  stagedReplyOnTimeRate: number | null;
  /** SPEC §9.3, by the plan's department */
  planned: number;
  plansOpen: number;
  plansOverdue: number;
  planFulfilledOnTimeRate: number | null;
  plansConfirmedResolved: number;
  /** SPEC §10 */
  resolvedOnSpot: number;
  directResolutionRate: number | null;
  knowledgeCitedShare: number | null;
}

/** SPEC §12: the whistle figures by department, from its counters (zero denominators give null). */
export interface WhistleMetrics {
  whistlesSummoned: number;
  whistleCheckInRate: number | null;
  whistleCommitmentsOnTimeRate: number | null;
}

export function whistleMetricsOf(
  c: {
    summons: number;
    checkIns: number;
    checkInsDue: number;
    commitmentsOnTime: number;
    commitmentsDue: number;
  } = {
    summons: 0,
    checkIns: 0,
    checkInsDue: 0,
    commitmentsOnTime: 0,
    commitmentsDue: 0,
  },
): WhistleMetrics {
  return {
    whistlesSummoned: c.summons,
    whistleCheckInRate: ratio(c.checkIns, c.checkInsDue),
    whistleCommitmentsOnTimeRate: ratio(c.commitmentsOnTime, c.commitmentsDue),
  };
}

/** SPEC §4: a zero denominator gives null, never 0 or 1. */
export function ratio(n: number, d: number): number | null {
  return d === 0 ? null : n / d;
}

/** 100 × (w₁·response + w₂·resolution + w₃·satisfaction); null while any part is null. */
export function score(
  parts: { responseRate: number | null; resolutionRate: number | null; satisfactionRate: number | null },
  w: ScoreWeights,
): number | null {
  if (parts.responseRate === null || parts.resolutionRate === null || parts.satisfactionRate === null)
    return null;
  return (
    100 *
    (w.responseRate * parts.responseRate +
      w.resolutionRate * parts.resolutionRate +
      w.satisfactionRate * parts.satisfactionRate)
  );
}

export function metricsOf(c: Counters, w: ScoreWeights): Metrics {
  const valid = c.received - c.rejected - c.withdrawn - c.merged;
  const responseRate = ratio(c.ackOnTime, c.ackDue);
  const satisfactionRate = ratio(c.satisfied, c.rated);
  const resolutionRate = ratio(c.resolved, c.rated);
  const avg = ratio(c.replyWorkingSeconds, c.repliedLead);
  return {
    received: c.received,
    valid,
    rejected: c.rejected,
    withdrawn: c.withdrawn,
    merged: c.merged,
    closed: c.closed,
    rated: c.rated,
    closureRate: ratio(c.closed, valid),
    responseRate,
    onTimeReplyRate: ratio(c.replyOnTime, c.replyDue),
    satisfactionRate,
    resolutionRate,
    oneTimeResolutionRate: ratio(c.closedFirst, c.closed),
    overdueOpen: c.overdueOpen,
    avgReplyWorkingHours: avg === null ? null : avg / 3600,
    score: score({ responseRate, resolutionRate, satisfactionRate }, w),
    returnRate: ratio(c.leadReturned, c.leadDispatched),
    returnsDenied: c.returnsDenied,
    ratedAll: c.ratedAll,
    satisfactionRateAll: ratio(c.satisfiedAll, c.ratedAll),
    assessmentAppeals: c.assessmentAppeals,
    assessmentAppealsApproved: c.assessmentAppealsApproved,
    supervisions: c.supervisions,
    supervisionAnsweredOnTimeRate: ratio(c.supervisionsAnsweredOnTime, c.supervisionsAnswerDue),
    notices: c.notices,
    firstContactOnTimeRate: ratio(c.contactOnTime, c.contactDue),
    contactRate: ratio(c.contactConfirmed, c.contactAsked),
    stagedReplyOnTimeRate: ratio(c.stagedOnTime, c.stagedDue),
    planned: c.planned,
    plansOpen: c.plansOpen,
    plansOverdue: c.plansOverdue,
    planFulfilledOnTimeRate: ratio(c.plansFulfilledOnTime, c.plansFulfilDue),
    plansConfirmedResolved: c.plansConfirmedResolved,
    resolvedOnSpot: c.onSpot,
    directResolutionRate: ratio(c.onSpot, valid),
    knowledgeCitedShare: ratio(c.onSpotCited, c.onSpot),
  };
}

// ---- targets -------------------------------------------------------------------------------------

/** Metrics a target can be set for, and which way "met" points. */
export const TARGET_METRICS = {
  closureRate: 'min',
  responseRate: 'min',
  onTimeReplyRate: 'min',
  satisfactionRate: 'min',
  resolutionRate: 'min',
  oneTimeResolutionRate: 'min',
  score: 'min',
  avgReplyWorkingHours: 'max',
  overdueOpen: 'max',
  returnRate: 'max',
  satisfactionRateAll: 'min',
  supervisionAnsweredOnTimeRate: 'min',
  firstContactOnTimeRate: 'min',
  contactRate: 'min',
  stagedReplyOnTimeRate: 'min',
} as const satisfies Partial<Record<keyof Metrics, 'min' | 'max'>>;
export type TargetMetric = keyof typeof TARGET_METRICS;
export const TARGET_METRIC_NAMES = Object.keys(TARGET_METRICS) as TargetMetric[];

export interface TargetCheck {
  metric: TargetMetric;
  target: number;
  value: number | null;
  /** null when the value is null (nothing to judge) */
  met: boolean | null;
}

/** Rates and score must reach their target (≥); avgReplyWorkingHours and overdueOpen stay at or under it (≤). */
export function checkTargets(m: Metrics, thresholds: Partial<Record<TargetMetric, number>>): TargetCheck[] {
  return TARGET_METRIC_NAMES.filter((k) => typeof thresholds[k] === 'number').map((metric) => {
    const target = thresholds[metric]!;
    const value = m[metric];
    const met = value === null ? null : TARGET_METRICS[metric] === 'min' ? value >= target : value <= target;
    return { metric, target, value, met };
  });
}

/** {metric: met} for a row of a list report */
export function metMap(checks: TargetCheck[]): Record<string, boolean | null> {
  return Object.fromEntries(checks.map((c) => [c.metric, c.met]));
}

// ---- ranking -------------------------------------------------------------------------------------

export interface Rankable {
  score: number | null;
  satisfactionRate: number | null;
  rated: number;
  code: string;
}

/**
 * SPEC §4: by score desc, then satisfactionRate desc (nulls last in both, then code for a stable order);
 * departments with fewer rated appeals than minSample come after, unranked.
 */
export function rank<T extends Rankable>(
  rows: T[],
  minSample: number,
): (T & { rank: number | null; insufficientSample: boolean })[] {
  const desc = (a: number | null, b: number | null) =>
    a === b ? 0 : a === null ? 1 : b === null ? -1 : b - a;
  const order = (a: T, b: T) =>
    desc(a.score, b.score) || desc(a.satisfactionRate, b.satisfactionRate) || a.code.localeCompare(b.code);
  const ranked = rows.filter((r) => r.rated >= minSample).sort(order);
  const rest = rows.filter((r) => r.rated < minSample).sort(order);
  return [
    ...ranked.map((r, i) => ({ ...r, rank: i + 1, insufficientSample: false })),
    ...rest.map((r) => ({ ...r, rank: null, insufficientSample: true })),
  ];
}

// ---- local days ----------------------------------------------------------------------------------

const DAY_MS = 86_400_000;

export { LocalDays };

export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/**
 * [from, to) split into whole local days [firstDay, endDay) — answered by the rollups — and the
 * ragged edges before/after them — answered from the raw rows.
 */
export function splitRange(
  from: Date,
  to: Date,
  days: LocalDays,
): { wholeDays: [string, string] | null; edges: [Date, Date][] } {
  const d0 = days.dateOf(from);
  const first = days.startOf(d0).getTime() === from.getTime() ? d0 : addDays(d0, 1);
  const end = days.dateOf(to); // exclusive: the day containing `to` is whole only from its start to `to`
  if (first >= end) return { wholeDays: null, edges: [[from, to]] };
  const edges: [Date, Date][] = [];
  const firstStart = days.startOf(first);
  if (firstStart.getTime() > from.getTime()) edges.push([from, firstStart]);
  const endStart = days.startOf(end);
  if (endStart.getTime() < to.getTime()) edges.push([endStart, to]);
  return { wholeDays: [first, end], edges };
}

/**
 * A ragged edge of a period: `inside`, the part of one local day within [from, to), and `outside`, the
 * rest of that day. The counters of `inside` are either read from the raw rows directly, or as the
 * day's rollup minus the raw rows of `outside` — the same figure, as counters are sums over the
 * appeals of their day; whichever side holds fewer appeals is cheaper. `day` is null for a period
 * within one day or straddling one midnight only (no whole day in it): then `inside` is read directly.
 */
export interface RaggedEdge {
  day: string | null;
  inside: [Date, Date];
  outside: [Date, Date] | null;
}

/** splitRange with each edge's local day and the rest of that day (see RaggedEdge). */
export function raggedRange(
  from: Date,
  to: Date,
  days: LocalDays,
): { wholeDays: [string, string] | null; edges: RaggedEdge[] } {
  const { wholeDays, edges } = splitRange(from, to, days);
  if (!wholeDays) return { wholeDays, edges: edges.map((inside) => ({ day: null, inside, outside: null })) };
  return {
    wholeDays,
    edges: edges.map(([a, b]) => {
      if (a.getTime() === from.getTime()) {
        // [from, first whole day): the day of `from`, whose rest is [its start, from)
        const day = days.dateOf(from);
        return { day, inside: [a, b], outside: [days.startOf(day), from] };
      }
      // [start of the day of `to`, to): its rest is [to, the next day's start)
      const day = days.dateOf(to);
      return { day, inside: [a, b], outside: [to, days.startOf(addDays(day, 1))] };
    }),
  };
}

export type Interval = 'day' | 'week' | 'month';

/** The local date starting the bucket that contains `date` (ISO weeks start on Monday). */
export function bucketOf(date: string, interval: Interval): string {
  if (interval === 'day') return date;
  if (interval === 'month') return `${date.slice(0, 7)}-01`;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 Sunday
  return addDays(date, -((weekday + 6) % 7));
}

export function nextBucket(start: string, interval: Interval): string {
  if (interval === 'day') return addDays(start, 1);
  if (interval === 'week') return addDays(start, 7);
  const [y, m] = start.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** Every bucket start touching [from, to), empty ones included, in order. */
export function bucketsBetween(from: Date, to: Date, interval: Interval, days: LocalDays): string[] {
  const last = days.dateOf(new Date(to.getTime() - 1));
  const out: string[] = [];
  for (let b = bucketOf(days.dateOf(from), interval); b <= last; b = nextBucket(b, interval)) out.push(b);
  return out;
}
