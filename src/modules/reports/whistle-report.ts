/**
 * The whistles report (SPEC §12), as Heze publishes its 企业吹哨 figures: whistles in the period, how many
 * were taken up, closed (销号), closed on time (按期办结), and the satisfaction of the appeals behind them
 * (满意率) — in total and by convening department. Pure: the rows come from ReportsRepository.whistleRows.
 */
import { ratio } from './report-formulas';

/** One whistle requested in the period, with what the report needs of it and its appeal. */
export interface WhistleRow {
  status: string;
  leadDepartmentId: string | null;
  /** closed, its meeting held by its due and every commitment completed by its own */
  closedOnTime: boolean;
  /** the appeal's latest survey is valid */
  rated: boolean;
  /** … and satisfied or basically satisfied */
  satisfied: boolean;
}

export type WhistleFigures = {
  whistles: number;
  whistlesApproved: number;
  whistlesClosed: number;
  whistlesClosedOnTime: number;
  whistleClosedOnTimeRate: number | null;
  whistleRated: number;
  whistleSatisfactionRate: number | null;
};

/** The figures of a set of whistles; approved counts every whistle taken up (approved, held, closed, cancelled). */
export function whistleFigures(rows: WhistleRow[]): WhistleFigures {
  const closed = rows.filter((r) => r.status === 'closed');
  const onTime = closed.filter((r) => r.closedOnTime).length;
  const rated = rows.filter((r) => r.rated);
  return {
    whistles: rows.length,
    whistlesApproved: rows.filter((r) => ['approved', 'held', 'closed', 'cancelled'].includes(r.status))
      .length,
    whistlesClosed: closed.length,
    whistlesClosedOnTime: onTime,
    whistleClosedOnTimeRate: ratio(onTime, closed.length),
    whistleRated: rated.length,
    whistleSatisfactionRate: ratio(rated.filter((r) => r.satisfied).length, rated.length),
  };
}

export const WHISTLE_FIGURES = [
  'whistles',
  'whistlesApproved',
  'whistlesClosed',
  'whistlesClosedOnTime',
  'whistleClosedOnTimeRate',
  'whistleRated',
  'whistleSatisfactionRate',
] as const;

/** Totals and one row per convening department (those with a whistle), by the most whistles first. */
export function whistlesReport(rows: WhistleRow[], departments: Map<string, { code: string; name: string }>) {
  const byLead = new Map<string, WhistleRow[]>();
  for (const r of rows)
    if (r.leadDepartmentId) byLead.set(r.leadDepartmentId, [...(byLead.get(r.leadDepartmentId) ?? []), r]);
  const items = [...byLead].map(([departmentId, mine]) => ({
    departmentId,
    code: departments.get(departmentId)?.code ?? null,
    name: departments.get(departmentId)?.name ?? null,
    ...whistleFigures(mine),
  }));
  items.sort((a, b) => b.whistles - a.whistles || String(a.code).localeCompare(String(b.code)));
  return { totals: whistleFigures(rows), items };
}
