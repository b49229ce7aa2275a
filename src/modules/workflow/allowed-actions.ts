/**
 * Which actions a caller may take on one appeal now: what the workbench shows as buttons. Pure.
 *
 * Every answer starts from the transition table (`transition()` of appeal-state-machine.ts, the same
 * check the writer makes before any work); on top of it come the facts the table leaves to the services
 * (its header lists them): whether the caller's department holds an open assignment and as lead or co,
 * whether a request is already pending, whether a plan is fulfilled. What this cannot see — the windows
 * of SPEC §7 (a return asked too late), a return already asked and denied, a confidential appeal's
 * contact rules beyond "handlers do not call the filer" — the service still refuses with its error.
 */
import {
  type ActorRole,
  type AppealAction,
  type AppealStatus,
  surveyAction,
  transition,
} from './appeal-state-machine';

/** The caller's department's open assignment on the appeal (handlers only). */
export interface OwnAssignment {
  role: 'lead' | 'co';
  status: 'dispatched' | 'in_progress';
  /** its department has a return request pending (退单申请) */
  returnPending: boolean;
  /** an extension request of it is pending (延期申请) */
  extensionPending: boolean;
  /** its reply deadline has passed: extensions are asked for before it (SPEC §3) */
  replyDuePassed: boolean;
}

export interface CaseFacts {
  status: AppealStatus;
  role: ActorRole;
  confidential: boolean;
  reopenCount: number;
  maxReopens: number;
  own: OwnAssignment | null;
  /** the roles (lead / co) of the assignments whose return requests wait for the centre */
  pendingReturnRoles: ('lead' | 'co')[];
  /** an extension request waits for the centre or a supervisor */
  extensionPending: boolean;
  /** the appeal has an open lead assignment (the centre logs a contact on the lead's behalf) */
  openLead: boolean;
  /** the latest plan's status (SPEC §9.3), and whether it is the caller's department's */
  plan: { status: 'open' | 'fulfilled' | 'confirmed' | 'cancelled'; own: boolean } | null;
  /** a whistle is requested, approved or held (SPEC §12) */
  whistleActive: boolean;
  /** a supervision (督办) waits for the caller's department's answer */
  supervisionToAnswer: boolean;
  /** the appeal has a leader (领导领衔) */
  leaderLed: boolean;
}

/**
 * The actions a person may be shown, each with the fact it needs beyond the table. Timers' actions and
 * the ledgers kept by other tables (assessment appeals, a whistle after its request) are not here.
 */
const WHEN: Partial<Record<AppealAction, (f: CaseFacts) => boolean>> = {
  dispatch: () => true,
  reject: () => true,
  resolve_on_spot: () => true,
  acknowledge_lead: (f) => f.own?.role === 'lead' && f.own.status === 'dispatched',
  acknowledge_co: (f) => f.own?.role === 'co' && f.own.status === 'dispatched',
  request_return: (f) => f.own !== null && !f.own.returnPending,
  approve_return_lead: (f) => f.pendingReturnRoles.includes('lead'),
  approve_return_co: (f) => f.pendingReturnRoles.includes('co'),
  deny_return: (f) => f.pendingReturnRoles.length > 0,
  progress: (f) => f.own?.status === 'in_progress',
  opinion: (f) => f.own?.role === 'co' && f.own.status === 'in_progress',
  request_extension: (f) =>
    f.own?.role === 'lead' &&
    f.own.status === 'in_progress' &&
    !f.own.extensionPending &&
    !f.own.replyDuePassed,
  approve_extension: (f) => f.extensionPending,
  deny_extension: (f) => f.extensionPending,
  reply: (f) => f.own?.role === 'lead' && f.own.status === 'in_progress',
  survey_close: () => true,
  survey_reopen: (f) => surveyAction('unsatisfied', f.reopenCount, f.maxReopens) === 'survey_reopen',
  survey_close_reopen_limit: (f) =>
    surveyAction('unsatisfied', f.reopenCount, f.maxReopens) === 'survey_close_reopen_limit',
  withdraw: () => true,
  merge: () => true,
  supervise: () => true,
  supplement: () => true,
  assign_leader: () => true,
  instruct_leader: (f) => f.leaderLed,
  log_contact: (f) => (f.role === 'handler' ? f.own !== null && !f.confidential : f.openLead),
  staged_reply: (f) => f.own?.role === 'lead' && f.own.status === 'in_progress',
  answer_supervision: (f) => f.supervisionToAnswer,
  update_plan: (f) => f.plan?.own === true && f.plan.status === 'open',
  fulfil_plan: (f) => f.plan?.own === true && f.plan.status === 'open',
  confirm_plan: (f) => f.plan?.status === 'fulfilled',
  add_attachment: (f) => f.role !== 'handler' || f.own !== null,
  request_whistle: (f) => !f.whistleActive,
};

/** The actions the caller may take now, in the table's order. */
export function allowedActions(f: CaseFacts): AppealAction[] {
  return (Object.keys(WHEN) as AppealAction[]).filter(
    (action) => transition(f.status, action, f.role).ok && WHEN[action]!(f),
  );
}
