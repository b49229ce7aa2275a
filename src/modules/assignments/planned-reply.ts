import type { EventDraft, Step } from '../appeals/appeal-writer';

/** The plan of a reply with outcome `planned` (SPEC §9.3), as the reply's body gives it. */
export interface PlanOrder {
  content: string;
  promisedBy: string;
  nextFeedbackAt: string;
}

/**
 * What a planned reply (计划解决, SPEC §9.3) records besides the reply: the plan, in the reply's own
 * transaction with the appeal locked. The reply knows when a plan is made; the plans room, which owns
 * those rows and their rules, provides it.
 */
export abstract class PlannedReplies {
  /**
   * Checks the plan against the appeal's policy (400 naming `plan.*`) and inserts it; the events to log
   * after appeal.replied (plan.created).
   */
  abstract create(
    step: Step,
    reply: { assignmentId: string; departmentId: string },
    plan: PlanOrder,
  ): Promise<{ planId: string; after: EventDraft[] }>;
}
