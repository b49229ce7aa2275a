/**
 * The appeal lifecycle of SPEC §2 as one transition table. Pure: no Nest, TypeORM or BullMQ.
 *
 * The table answers "may this role do this action to an appeal in this status, and where does it go".
 * What it cannot know is left to the services: scope (an enterprise's own appeals, a handler's own
 * department → 404, SPEC §1), whether the handler's assignment is the lead or a co one (the service picks
 * `acknowledge_lead` or `acknowledge_co`, `approve_return_lead` or `approve_return_co`), one pending
 * extension or return request per assignment, the windows of SPEC §7, and versions.
 */
import { forbiddenActionMessage, invalidTransitionMessage } from '../../common/messages';

export const APPEAL_STATUSES = [
  'submitted',
  'dispatched',
  'in_progress',
  'returned',
  'replied',
  'closed',
  'rejected',
  'withdrawn',
  'merged',
] as const;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];

/** Still in the closed loop (SPEC §2): something is expected of the centre, a department or the enterprise. */
export const OPEN_STATUSES: readonly AppealStatus[] = Object.freeze([
  'submitted',
  'dispatched',
  'in_progress',
  'returned',
  'replied',
] as const);
/** Dispatched to departments and not yet answered: their assignments' steps and timers are running. */
export const WORKING_STATUSES: readonly AppealStatus[] = Object.freeze([
  'dispatched',
  'in_progress',
] as const);
/** The ends of the SPEC §2 diagram: no rule starts from these (a reopen happens from replied, before closing). */
export const TERMINAL_STATUSES: readonly AppealStatus[] = Object.freeze([
  'closed',
  'rejected',
  'withdrawn',
  'merged',
] as const);

/** The event actions of SPEC §5, in its order: what the hash-chained log records and webhooks carry. */
export const EVENT_ACTIONS = [
  'appeal.submitted',
  'appeal.dispatched',
  'appeal.rejected',
  'appeal.resolved_on_spot',
  'assignment.acknowledged',
  'assignment.returned',
  'appeal.progress_noted',
  'assignment.opinion_submitted',
  'extension.requested',
  'extension.approved',
  'extension.denied',
  'appeal.replied',
  'survey.recorded',
  'appeal.reopened',
  'appeal.closed',
  'appeal.withdrawn',
  'appeal.merged',
  'appeal.supervised',
  'appeal.supplemented',
  'deadline.warning',
  'deadline.overdue',
  // SPEC §7 the assessment rules
  'return.requested',
  'return.approved',
  'return.denied',
  'assessment_appeal.filed',
  'assessment_appeal.approved',
  'assessment_appeal.denied',
  'supervision.answered',
  'supervision.escalated',
  'supervision.closed',
  // SPEC §8.2 leader-led cases
  'appeal.leader_assigned',
  'appeal.leader_instructed',
  // SPEC §9 contact and follow-through
  'contact.logged',
  'assignment.contacted',
  'appeal.staged_replied',
  'deadline.contact_warning',
  'deadline.contact_overdue',
  'deadline.staged_overdue',
  // SPEC §9.3 planned resolution
  'plan.created',
  'plan.updated',
  'plan.fulfilled',
  'plan.confirmed',
  'plan.cancelled',
  'deadline.plan_feedback_overdue',
  'deadline.plan_overdue',
  // SPEC §11 evidence files and personal data
  'attachment.added',
  'attachment.shared',
  'contact.revealed',
  'contact.anonymised',
  // SPEC §12 企业吹哨、部门报到
  'whistle.requested',
  'whistle.approved',
  'whistle.denied',
  'whistle.cancelled',
  'whistle.checked_in',
  'whistle.held',
  'whistle.commitment_completed',
  'whistle.closed',
] as const;

export type ActorRole = 'enterprise' | 'dispatcher' | 'handler' | 'supervisor' | 'admin' | 'system';

export const APPEAL_ACTIONS = [
  'dispatch',
  'reject',
  'resolve_on_spot',
  'acknowledge_lead',
  'acknowledge_co',
  'request_return',
  'approve_return_lead',
  'approve_return_co',
  'deny_return',
  'progress',
  'opinion',
  'request_extension',
  'approve_extension',
  'deny_extension',
  'reply',
  'survey_close',
  'survey_reopen',
  'survey_close_reopen_limit',
  'close_not_rated',
  'withdraw',
  'merge',
  'supervise',
  'supplement',
  'deadline_warning',
  'deadline_overdue',
  'file_assessment_appeal',
  'approve_assessment_appeal',
  'deny_assessment_appeal',
  'answer_supervision',
  'close_supervision',
  'escalate_supervision',
  'assign_leader',
  'instruct_leader',
  'log_contact',
  'staged_reply',
  'deadline_contact_warning',
  'deadline_contact_overdue',
  'deadline_staged_overdue',
  'update_plan',
  'fulfil_plan',
  'confirm_plan',
  'plan_feedback_overdue',
  'plan_overdue',
  'add_attachment',
  'share_attachment',
  'reveal_contact',
  'anonymise_contact',
  'request_whistle',
  'approve_whistle',
  'deny_whistle',
  'cancel_whistle',
  'check_in_whistle',
  'record_whistle_minutes',
  'complete_whistle_commitment',
  'close_whistle',
  'whistle_deadline_warning',
  'whistle_deadline_overdue',
] as const;
export type AppealAction = (typeof APPEAL_ACTIONS)[number];

export interface TransitionRule {
  action: AppealAction;
  roles: readonly ActorRole[];
  from: readonly AppealStatus[];
  /** 'same': the action is recorded as an event but leaves the status where it is. */
  to: AppealStatus | 'same';
  /** The event action written to the hash-chained log (SPEC §5 "Event actions"). */
  event: string;
}

type Rule = Omit<TransitionRule, 'action'>;

const OPEN = OPEN_STATUSES;
/** The assessment ledger (SPEC §7.2, §7.3) outlives the case: a rating is contested and a supervision
 *  answered or closed whatever the appeal's status, and none of it moves the status. */
const ANY: readonly AppealStatus[] = APPEAL_STATUSES;
const WORKING = WORKING_STATUSES;
const CENTRE_OR_ENTERPRISE: readonly ActorRole[] = ['enterprise', 'dispatcher'];

const RULES: Record<AppealAction, Rule> = {
  // SPEC §2 Dispatch: the centre dispatches a new case, or re-dispatches one a lead department returned.
  // the system dispatches when an auto-dispatch routing rule matches a new appeal (automatic routing)
  dispatch: {
    roles: ['dispatcher', 'system'],
    from: ['submitted', 'returned'],
    to: 'dispatched',
    event: 'appeal.dispatched',
  },
  reject: {
    roles: ['dispatcher'],
    from: ['submitted', 'returned'],
    to: 'rejected',
    event: 'appeal.rejected',
  },
  // SPEC §2 即时办结: answered by the centre itself, straight to the return visit.
  resolve_on_spot: {
    roles: ['dispatcher'],
    from: ['submitted'],
    to: 'replied',
    event: 'appeal.resolved_on_spot',
  },

  // SPEC §2 Acknowledge: only the lead's 签收 moves the appeal; a co department's changes its assignment only.
  acknowledge_lead: {
    roles: ['handler'],
    from: ['dispatched'],
    to: 'in_progress',
    event: 'assignment.acknowledged',
  },
  acknowledge_co: { roles: ['handler'], from: WORKING, to: 'same', event: 'assignment.acknowledged' },
  // SPEC §7.1 Return review (退单审核): a department asks, the centre decides, and the clock keeps running
  // meanwhile. Approved for the lead, the case goes back to the centre; for a co department only its own
  // assignment ends. The approval's own event is assignment.returned, preceded by return.approved.
  request_return: { roles: ['handler'], from: WORKING, to: 'same', event: 'return.requested' },
  approve_return_lead: {
    roles: ['dispatcher'],
    from: WORKING,
    to: 'returned',
    event: 'assignment.returned',
  },
  approve_return_co: { roles: ['dispatcher'], from: WORKING, to: 'same', event: 'assignment.returned' },
  deny_return: { roles: ['dispatcher'], from: WORKING, to: 'same', event: 'return.denied' },
  progress: { roles: ['handler'], from: ['in_progress'], to: 'same', event: 'appeal.progress_noted' },
  opinion: { roles: ['handler'], from: WORKING, to: 'same', event: 'assignment.opinion_submitted' },

  // SPEC §2 Extension (延期): asked by the lead handler, decided by a dispatcher or a supervisor.
  request_extension: { roles: ['handler'], from: ['in_progress'], to: 'same', event: 'extension.requested' },
  approve_extension: {
    roles: ['dispatcher', 'supervisor'],
    from: ['in_progress'],
    to: 'same',
    event: 'extension.approved',
  },
  deny_extension: {
    roles: ['dispatcher', 'supervisor'],
    from: ['in_progress'],
    to: 'same',
    event: 'extension.denied',
  },

  // SPEC §2 Reply (答复): the lead handler's answer; the appeal waits for the return visit.
  reply: { roles: ['handler'], from: ['in_progress'], to: 'replied', event: 'appeal.replied' },

  // SPEC §2 Survey (回访): rated by the enterprise or recorded by a dispatcher after a phone visit.
  // Which of the three applies is surveyAction()'s decision.
  survey_close: { roles: CENTRE_OR_ENTERPRISE, from: ['replied'], to: 'closed', event: 'appeal.closed' },
  survey_reopen: {
    roles: CENTRE_OR_ENTERPRISE,
    from: ['replied'],
    to: 'in_progress',
    event: 'appeal.reopened',
  },
  survey_close_reopen_limit: {
    roles: CENTRE_OR_ENTERPRISE,
    from: ['replied'],
    to: 'closed',
    event: 'appeal.closed',
  },
  // SPEC §2: no survey within the survey window closes the appeal as not_rated (a timer, so 'system').
  close_not_rated: { roles: ['system'], from: ['replied'], to: 'closed', event: 'appeal.closed' },

  // SPEC §2 diagram: withdraw from submitted|dispatched|in_progress, merge from submitted|dispatched.
  withdraw: {
    roles: ['enterprise'],
    from: ['submitted', 'dispatched', 'in_progress'],
    to: 'withdrawn',
    event: 'appeal.withdrawn',
  },
  merge: { roles: ['dispatcher'], from: ['submitted', 'dispatched'], to: 'merged', event: 'appeal.merged' },

  // SPEC §2 Supervise (督办): by a supervisor, or automatically ('system') when an assignment is overdue.
  supervise: { roles: ['supervisor', 'system'], from: OPEN, to: 'same', event: 'appeal.supervised' },
  supplement: { roles: ['enterprise'], from: OPEN, to: 'same', event: 'appeal.supplemented' },

  // SPEC §3 deadlines (预警 / 超期): only while a department holds the case. A timer that fires after the
  // appeal moved on gets INVALID_TRANSITION, which its processor should treat as "nothing to do".
  deadline_warning: { roles: ['system'], from: WORKING, to: 'same', event: 'deadline.warning' },
  deadline_overdue: { roles: ['system'], from: WORKING, to: 'same', event: 'deadline.overdue' },

  // SPEC §7.2 考核申诉: the lead department contests a rating, a supervisor decides; the status stays.
  file_assessment_appeal: { roles: ['handler'], from: ANY, to: 'same', event: 'assessment_appeal.filed' },
  approve_assessment_appeal: {
    roles: ['supervisor'],
    from: ANY,
    to: 'same',
    event: 'assessment_appeal.approved',
  },
  deny_assessment_appeal: {
    roles: ['supervisor'],
    from: ANY,
    to: 'same',
    event: 'assessment_appeal.denied',
  },
  // SPEC §7.3 graded supervision: answered by the department, escalated to a notice by a timer when
  // unanswered by its due, closed (销号) by a supervisor.
  answer_supervision: { roles: ['handler'], from: ANY, to: 'same', event: 'supervision.answered' },
  close_supervision: { roles: ['supervisor'], from: ANY, to: 'same', event: 'supervision.closed' },
  escalate_supervision: { roles: ['system'], from: ANY, to: 'same', event: 'supervision.escalated' },
  // SPEC §8.2 领导领衔: a supervisor names the leader of an open case (or another leader) with an instruction
  // (批示); the same leader's further instructions are recorded as such. leaderAction() picks which.
  assign_leader: { roles: ['supervisor'], from: OPEN, to: 'same', event: 'appeal.leader_assigned' },
  instruct_leader: { roles: ['supervisor'], from: OPEN, to: 'same', event: 'appeal.leader_instructed' },
  // SPEC §9.1 首次联系: a department holding the case, or the centre on the lead's behalf, logs an attempt
  // to reach the enterprise; the lead's contact counts by the rule of follow-up/contact-counting.ts.
  log_contact: { roles: ['handler', 'dispatcher'], from: WORKING, to: 'same', event: 'contact.logged' },
  // SPEC §9.2 阶段性答复: the lead tells the enterprise where its case stands; the clock does not stop.
  staged_reply: { roles: ['handler'], from: ['in_progress'], to: 'same', event: 'appeal.staged_replied' },
  // SPEC §9 timers of the lead's follow-through: a missed contact or staged reply opens a reminder (催办).
  deadline_contact_warning: {
    roles: ['system'],
    from: WORKING,
    to: 'same',
    event: 'deadline.contact_warning',
  },
  deadline_contact_overdue: {
    roles: ['system'],
    from: WORKING,
    to: 'same',
    event: 'deadline.contact_overdue',
  },
  deadline_staged_overdue: { roles: ['system'], from: WORKING, to: 'same', event: 'deadline.staged_overdue' },
  // SPEC §9.3 计划解决: the plan lives on after the appeal is replied and closed. The lead department posts
  // its progress and fulfils it, the enterprise (or the centre by phone) confirms it, and its two timers
  // (feedback, promise) fire; none of it moves the status. plan.created rides on the reply, plan.cancelled
  // on the reopen.
  update_plan: { roles: ['handler'], from: ANY, to: 'same', event: 'plan.updated' },
  fulfil_plan: { roles: ['handler'], from: ANY, to: 'same', event: 'plan.fulfilled' },
  confirm_plan: { roles: CENTRE_OR_ENTERPRISE, from: ANY, to: 'same', event: 'plan.confirmed' },
  plan_feedback_overdue: {
    roles: ['system'],
    from: ANY,
    to: 'same',
    event: 'deadline.plan_feedback_overdue',
  },
  plan_overdue: { roles: ['system'], from: ANY, to: 'same', event: 'deadline.plan_overdue' },
  // SPEC §11 evidence files: the enterprise (its own appeal), the centre, or a handler whose department holds
  // an open assignment (the service checks that) add a file while the appeal is open; the centre shares a
  // file of a confidential appeal with the departments at any time. Neither moves the status.
  add_attachment: {
    roles: ['enterprise', 'dispatcher', 'handler'],
    from: OPEN,
    to: 'same',
    event: 'attachment.added',
  },
  share_attachment: { roles: ['dispatcher'], from: ANY, to: 'same', event: 'attachment.shared' },
  // SPEC §11 masked contacts: the audited reveal (a handler with an open assignment, or the centre) and the
  // retention job's anonymisation of an appeal that has ended.
  reveal_contact: { roles: ['handler', 'dispatcher'], from: ANY, to: 'same', event: 'contact.revealed' },
  anonymise_contact: { roles: ['system'], from: TERMINAL_STATUSES, to: 'same', event: 'contact.anonymised' },

  // SPEC §12 企业吹哨、部门报到: the enterprise (or the centre for it) asks on an open appeal; approval
  // re-dispatches the case to the convener (lead) and the summoned (co) departments, so it is allowed where
  // a dispatch or re-dispatch makes sense (not once replied). The rest belongs to the whistle's own table
  // (whistles/whistle-states.ts) and outlives the appeal's status, like the assessment ledger: a meeting's
  // commitments run for up to 3 months, whatever the appeal does meanwhile.
  request_whistle: { roles: CENTRE_OR_ENTERPRISE, from: OPEN, to: 'same', event: 'whistle.requested' },
  approve_whistle: {
    roles: ['dispatcher', 'supervisor'],
    from: ['submitted', 'dispatched', 'in_progress', 'returned'],
    to: 'dispatched',
    event: 'whistle.approved',
  },
  deny_whistle: { roles: ['dispatcher', 'supervisor'], from: ANY, to: 'same', event: 'whistle.denied' },
  cancel_whistle: { roles: ['dispatcher', 'supervisor'], from: ANY, to: 'same', event: 'whistle.cancelled' },
  check_in_whistle: { roles: ['handler'], from: ANY, to: 'same', event: 'whistle.checked_in' },
  record_whistle_minutes: { roles: ['handler'], from: ANY, to: 'same', event: 'whistle.held' },
  complete_whistle_commitment: {
    roles: ['handler'],
    from: ANY,
    to: 'same',
    event: 'whistle.commitment_completed',
  },
  close_whistle: { roles: ['supervisor'], from: ANY, to: 'same', event: 'whistle.closed' },
  // SPEC §12 + §3: a whistle's missed review, check-in, meeting or commitment (timers on its own rows)
  whistle_deadline_warning: { roles: ['system'], from: ANY, to: 'same', event: 'deadline.warning' },
  whistle_deadline_overdue: { roles: ['system'], from: ANY, to: 'same', event: 'deadline.overdue' },
};

/** Actions of the assessment ledger and the whistle's: allowed in every status, and none of them moves it. */
export const LEDGER_ACTIONS: readonly AppealAction[] = Object.freeze([
  'file_assessment_appeal',
  'approve_assessment_appeal',
  'deny_assessment_appeal',
  'answer_supervision',
  'close_supervision',
  'escalate_supervision',
  'update_plan',
  'fulfil_plan',
  'confirm_plan',
  'plan_feedback_overdue',
  'plan_overdue',
  // SPEC §12: the whistle's ledger after its request, kept by its own table (whistles/whistle-states.ts)
  'deny_whistle',
  'cancel_whistle',
  'check_in_whistle',
  'record_whistle_minutes',
  'complete_whistle_commitment',
  'close_whistle',
  'whistle_deadline_warning',
  'whistle_deadline_overdue',
] as const);

// 'admin' appears in no rule on purpose: admins manage reference data, not cases (SPEC §1).
export const TRANSITIONS: Readonly<Record<AppealAction, TransitionRule>> = Object.freeze(
  Object.fromEntries(
    APPEAL_ACTIONS.map((action) => [action, Object.freeze({ action, ...RULES[action] })]),
  ) as Record<AppealAction, TransitionRule>,
);

export type TransitionResult =
  | { ok: true; to: AppealStatus; event: string }
  | { ok: false; error: 'FORBIDDEN' | 'INVALID_TRANSITION'; message: string };

/**
 * Role is checked first (a role never allowed this action → FORBIDDEN), then the status
 * (→ INVALID_TRANSITION, 409 per SPEC §2). 'same' resolves to the current status.
 */
export function transition(status: AppealStatus, action: AppealAction, role: ActorRole): TransitionResult {
  const rule = TRANSITIONS[action];
  if (!rule.roles.includes(role)) {
    return { ok: false, error: 'FORBIDDEN', message: forbiddenActionMessage(role, action) };
  }
  if (!rule.from.includes(status)) {
    return {
      ok: false,
      error: 'INVALID_TRANSITION',
      message: invalidTransitionMessage(status, action),
    };
  }
  return { ok: true, to: rule.to === 'same' ? status : rule.to, event: rule.event };
}

export function isOpen(status: AppealStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/**
 * SPEC §2 Survey: satisfied / basically satisfied closes; unsatisfied reopens (重办) while fewer than
 * MAX_REOPENS reopens have happened, and past that closes with reason reopen_limit (and a supervision case).
 * reopenCount is the appeal's count so far; maxReopens from config (default 2).
 */
export function surveyAction(
  satisfaction: 'satisfied' | 'basically_satisfied' | 'unsatisfied',
  reopenCount: number,
  maxReopens: number,
): 'survey_close' | 'survey_reopen' | 'survey_close_reopen_limit' {
  if (satisfaction !== 'unsatisfied') return 'survey_close';
  return reopenCount < maxReopens ? 'survey_reopen' : 'survey_close_reopen_limit';
}

/**
 * SPEC §8.2: the first instruction makes the appeal leader-led (assign); another from the same leader adds
 * an instruction; one from another leader hands the case to that leader (assign again).
 */
export function leaderAction(
  currentLeader: string | null,
  leaderName: string,
): 'assign_leader' | 'instruct_leader' {
  return currentLeader !== null && currentLeader === leaderName ? 'instruct_leader' : 'assign_leader';
}

/** Roles the transition table allows for any of these actions: the controller's 403 check. */
export function rolesFor(...actions: AppealAction[]): ActorRole[] {
  return [...new Set(actions.flatMap((a) => TRANSITIONS[a].roles))];
}
