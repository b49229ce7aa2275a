/**
 * The rules of SPEC §7 that need no database: the three windows, which ratings may be contested, and
 * which supervision records take an answer or a close. Pure: no Nest, TypeORM or BullMQ.
 */
import { computeDeadline, type Clock, type WorkingCalendar } from '../calendar/working-calendar';

/** The windows of an SLA policy (SPEC §7), ISO 8601 durations on the policy's clock. */
export interface AssessmentWindows {
  clock: Clock;
  returnWithin: string;
  assessmentAppealWithin: string;
  supervisionAnswerWithin: string;
}

/** Seeded defaults (SPEC §7): return within 2 working days, contest within 3, answer within 3. */
export const DEFAULT_WINDOWS: Omit<AssessmentWindows, 'clock'> = Object.freeze({
  returnWithin: 'P2D',
  assessmentAppealWithin: 'P3D',
  supervisionAnswerWithin: 'P3D',
});

export type WindowName = Exclude<keyof AssessmentWindows, 'clock'>;

/**
 * The instant a window opened at `from` closes: the working-day rule of SPEC §3 on the working clock
 * (a window over a holiday counts only working days), wall-clock time on the natural clock.
 */
export function windowClosesAt(
  cal: WorkingCalendar,
  policy: AssessmentWindows,
  window: WindowName,
  from: Date,
): Date {
  return computeDeadline(cal, from, policy[window], policy.clock);
}

/** Open while `at` is not after the close (the close instant itself still counts). */
export function isWithinWindow(closesAt: Date, at: Date): boolean {
  return at.getTime() <= closesAt.getTime();
}

/** SPEC §7.2: only a rating that hurts the department can be contested. */
export function isContestable(survey: { satisfaction: string; resolved: boolean }): boolean {
  return survey.satisfaction === 'unsatisfied' || !survey.resolved;
}

export const SUPERVISION_LEVELS = ['reminder', 'supervision', 'notice'] as const;
export type SupervisionLevel = (typeof SUPERVISION_LEVELS)[number];
/** plan_feedback: a plan's missed feedback (a reminder); plan_overdue: its promise passed (SPEC §9.3). */
export const SUPERVISION_SOURCES = [
  'manual',
  'overdue',
  'reopen_limit',
  'escalation',
  'plan_feedback',
  'plan_overdue',
] as const;
export type SupervisionSource = (typeof SUPERVISION_SOURCES)[number];
export const SUPERVISION_STATUSES = ['open', 'answered', 'closed'] as const;
export type SupervisionStatus = (typeof SUPERVISION_STATUSES)[number];

interface SupervisionState {
  level: SupervisionLevel;
  status: SupervisionStatus;
  departmentId: string | null;
}

/**
 * Why a department may not answer this record now, or null (SPEC §7.3). A reminder (催办) needs no
 * answer; a supervision or a notice is answered once, by its department.
 */
export function answerProblem(s: SupervisionState): string | null {
  if (s.level === 'reminder') return 'a reminder needs no answer';
  if (s.departmentId === null) return 'this supervision names no department to answer it';
  if (s.status !== 'open') return `this ${s.level} is already ${s.status}`;
  return null;
}

/**
 * Why a supervisor may not close (销号) this record now, or null (SPEC §7.3): a supervision once it is
 * answered (or when it names no department, so nobody owes an answer), a notice or a reminder while not
 * yet closed.
 */
export function closeProblem(s: SupervisionState): string | null {
  if (s.status === 'closed') return `this ${s.level} is already closed`;
  if (s.level === 'supervision' && s.status !== 'answered' && s.departmentId !== null)
    return 'a supervision is closed once its department has answered it';
  return null;
}

/** Whether an answer at `at` meets its due; null when the record has no due (a notice). */
export function answeredOnTime(answerDueAt: Date | null, at: Date): boolean | null {
  return answerDueAt === null ? null : at.getTime() <= answerDueAt.getTime();
}
