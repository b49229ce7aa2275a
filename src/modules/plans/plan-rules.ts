/**
 * The rules of a planned resolution (计划解决, SPEC §9.3) that need no database: how far a promise and a
 * feedback may lie, which step a plan in a given status allows, and what counts as overdue. Pure: no
 * Nest, TypeORM or BullMQ.
 */
import { addCalendarDuration } from '../calendar/calendar-duration';
import type { PlanStatus } from './entities/plan.entity';

export interface FieldProblem {
  field: string;
  message: string;
}

/** The plan windows of the appeal's SLA policy (natural clock, calendar months allowed). */
export interface PlanWindows {
  planMaxWithin: string;
  planFeedbackEvery: string;
}

/**
 * SPEC §9.3: the promise lies after now and at most `planMaxWithin` after the reply; the next feedback
 * after now, at most `planFeedbackEvery` from now, and not after the promise. One problem per field.
 * `prefix` names the fields as the body has them (`plan.` inside a reply).
 */
export function planProblems(
  p: { promisedBy?: Date; nextFeedbackAt: Date },
  ctx: { now: Date; repliedAt: Date; windows: PlanWindows; timeZone: string },
  prefix = '',
): FieldProblem[] {
  const out: FieldProblem[] = [];
  const { now } = ctx;
  if (p.promisedBy) {
    const max = addCalendarDuration(ctx.repliedAt, ctx.windows.planMaxWithin, ctx.timeZone);
    if (p.promisedBy.getTime() <= now.getTime())
      out.push({ field: `${prefix}promisedBy`, message: 'must lie in the future' });
    else if (p.promisedBy.getTime() > max.getTime())
      out.push({
        field: `${prefix}promisedBy`,
        message: `must be at most ${ctx.windows.planMaxWithin} after the reply`,
      });
  }
  const every = addCalendarDuration(now, ctx.windows.planFeedbackEvery, ctx.timeZone);
  if (p.nextFeedbackAt.getTime() <= now.getTime())
    out.push({ field: `${prefix}nextFeedbackAt`, message: 'must lie in the future' });
  else if (p.nextFeedbackAt.getTime() > every.getTime())
    out.push({
      field: `${prefix}nextFeedbackAt`,
      message: `must be at most ${ctx.windows.planFeedbackEvery} from now`,
    });
  else if (p.promisedBy && p.nextFeedbackAt.getTime() > p.promisedBy.getTime())
    out.push({ field: `${prefix}nextFeedbackAt`, message: 'must not be after promisedBy' });
  return out;
}

export type PlanStep = 'update' | 'fulfil' | 'confirm';

/** Why a plan in this status does not allow this step now, or null (409 INVALID_TRANSITION). */
export function planStepProblem(status: PlanStatus, step: PlanStep): string | null {
  if (step === 'confirm') {
    if (status === 'fulfilled') return null;
    return status === 'open'
      ? 'the plan is not fulfilled yet; it is confirmed once fulfilled'
      : `the plan is already ${status}`;
  }
  return status === 'open' ? null : `the plan is already ${status}`;
}

/** SPEC §9.3 ledger: open with its promise passed. */
export function isPlanOverdue(p: { status: PlanStatus; promisedBy: Date }, now: Date): boolean {
  return p.status === 'open' && p.promisedBy.getTime() <= now.getTime();
}

/** Open with its next feedback passed and no update since. */
export function isFeedbackOverdue(p: { status: PlanStatus; nextFeedbackAt: Date }, now: Date): boolean {
  return p.status === 'open' && p.nextFeedbackAt.getTime() <= now.getTime();
}

/** The verdict recorded at fulfilment: by the promise (its instant itself still counts). */
export function fulfilledOnTime(promisedBy: Date, at: Date): boolean {
  return at.getTime() <= promisedBy.getTime();
}
