import {
  hidesFiler,
  isWebhook,
  linksFor,
  maskName,
  maskPhone,
  masksContact,
  NO_REFS,
  Refs,
  seesInternalNotes,
  seesKnowledgeSuggestions,
  seesWorkingNotes,
  Viewer,
} from './disclosure';
import { assessmentAppealView } from '../assessment/assessment.view';
import type { AssessmentAppeal } from '../assessment/entities/assessment-appeal.entity';
import type { Survey } from '../assessment/entities/survey.entity';
import { returnView, toAssignmentView } from '../assignments/assignment.view';
import type { Assignment } from '../assignments/entities/assignment.entity';
import type { ExtensionRequest } from '../assignments/entities/extension-request.entity';
import type { ReturnRequest } from '../assignments/entities/return-request.entity';
import type { ContactAttempt } from '../follow-up/entities/contact-attempt.entity';
import type { StagedReply } from '../follow-up/entities/staged-reply.entity';
import { contactView, stagedReplyView } from '../follow-up/follow-up.view';
import type { Supervision } from '../supervision/entities/supervision.entity';
import type { Plan } from '../plans/entities/plan.entity';
import { toPlanView } from '../plans/plan.view';
import { toSupervisionView } from '../supervision/supervision.view';
import { toWhistleView, type WhistleParts } from '../whistles/whistle.view';
import type { Appeal } from './entities/appeal.entity';

export interface AppealParts {
  appeal: Appeal;
  assignments: Assignment[];
  survey: Survey | null;
  pendingExtension: ExtensionRequest | null;
  enterpriseName: string | null;
  /** pending return requests (SPEC §7.1), oldest first */
  pendingReturns?: ReturnRequest[];
  /** every supervision record (SPEC §7.3), oldest first */
  supervisions?: Supervision[];
  /** every assessment appeal (SPEC §7.2), oldest first */
  assessmentAppeals?: AssessmentAppeal[];
  /** every contact attempt (SPEC §9.1), by instant */
  contacts?: ContactAttempt[];
  /** every staged reply (SPEC §9.2), oldest first */
  stagedReplies?: StagedReply[];
  /** every plan (SPEC §9.3), oldest first; the view shows the latest */
  plans?: Plan[];
  /** the latest whistle (SPEC §12) */
  whistle?: WhistleParts | null;
  /** which of the appeals it refers to (duplicates, merge target) are confidential */
  refs?: Refs;
  /** names shown beside ids (SPEC §5.1); absent on a view made before anything was read back */
  names?: Names;
}

/** The names the reader loads for a batch of appeals, one query per kind. */
export interface Names {
  /** department id → name */
  departments: Map<string, string>;
  /** category code → name */
  categories: Map<string, string>;
  /** a possible duplicate's appeal id → its lead department id */
  duplicateLeads: Map<string, string | null>;
}

/** `{id, name}` of a department, or null when there is no id. */
const departmentRef = (names: Names | undefined, id: string | null | undefined) =>
  id ? { id, name: names?.departments.get(id) ?? null } : null;
const departmentName = (names: Names | undefined, id: string | null | undefined) =>
  (id && names?.departments.get(id)) || null;

/**
 * What a viewer (a caller, or a webhook) sees of an appeal; the disclosure policy decides each part.
 * SPEC §2: a confidential appeal hides its filer (hidesFiler). SPEC §5.1: its links — duplicates, merges,
 * its meeting, its instant of filing — stay with the centre, supervisors and webhooks with confidential
 * access, and no confidential appeal is named among another's duplicates or as its merge target outside
 * them (linksFor). Routing suggestions and duplicates are the centre's working notes. The enterprise sees
 * no internal note (seesInternalNotes): no extension or return request, co opinion, return reason, leader
 * instruction, supervision or assessment appeal; whether its rating still counts is not shown to it.
 * A handler's `pendingReturn` is its own department's request when it has one.
 */
export function toAppealView(p: AppealParts, viewer: Viewer, now: Date) {
  const a = p.appeal;
  const names = p.names;
  const dep = (id: string | null | undefined) => departmentName(names, id);
  const hide = hidesFiler(a, viewer);
  const masked = masksContact(viewer);
  const internal = seesInternalNotes(viewer);
  const links = linksFor(a, p.refs ?? NO_REFS, viewer);
  const handlerDept = !isWebhook(viewer) && viewer.role === 'handler' ? viewer.departmentId : undefined;
  const pending = internal ? (p.pendingReturns ?? []) : [];
  const pendingReturn =
    (handlerDept !== undefined ? pending.find((r) => r.departmentId === handlerDept) : undefined) ??
    pending[0] ??
    null;
  return {
    id: a.id,
    number: a.number,
    type: a.type,
    categoryCode: a.categoryCode,
    categoryName: names?.categories.get(a.categoryCode) ?? null,
    title: a.title,
    content: a.content,
    channel: a.channel,
    urgency: a.urgency,
    district: a.district,
    confidential: a.confidential,
    enterpriseId: hide ? null : a.enterpriseId,
    enterpriseName: hide ? null : p.enterpriseName,
    contactName: hide ? null : masked ? maskName(a.contactName) : a.contactName,
    contactPhone: hide ? null : masked ? maskPhone(a.contactPhone) : a.contactPhone,
    status: a.status,
    leadDepartmentId: a.leadDepartmentId,
    leadDepartment: departmentRef(names, a.leadDepartmentId),
    assignments: p.assignments.map((x) => {
      const view = { ...toAssignmentView(x, now), departmentName: dep(x.departmentId) };
      return internal ? view : { ...view, opinion: null, returnReason: null };
    }),
    reopenCount: a.reopenCount,
    supervised: a.supervised,
    meetingId: links.meetingId,
    resolvedOnSpot: a.resolvedOnSpot,
    knowledgeEntryIds: internal ? a.knowledgeEntryIds : [],
    knowledgeSuggestions: seesKnowledgeSuggestions(viewer) ? (a.knowledgeSuggestions ?? []) : [],
    leaderLed: a.leaderName !== null,
    leader:
      a.leaderName === null
        ? null
        : {
            name: a.leaderName,
            instructions: (internal ? (a.leaderInstructions ?? []) : []).map((i) => ({
              text: i.text,
              at: i.at,
              leaderName: i.leaderName,
            })),
          },
    version: a.version,
    reply:
      a.replyContent === null
        ? null
        : { content: a.replyContent, outcome: a.replyOutcome, repliedAt: a.repliedAt },
    // SPEC §9.3: the plan of a planned reply, the latest one (a reopen cancels the one before)
    plan: latestPlan(p.plans, viewer, now, names, a),
    surveyDueAt: a.surveyDueAt,
    survey: p.survey && {
      id: p.survey.id,
      satisfaction: p.survey.satisfaction,
      resolved: p.survey.resolved,
      comment: p.survey.comment,
      round: p.survey.round,
      createdAt: p.survey.createdAt,
      ...(internal ? { valid: p.survey.valid } : {}),
    },
    pendingExtension: !internal
      ? null
      : p.pendingExtension && {
          id: p.pendingExtension.id,
          assignmentId: p.pendingExtension.assignmentId,
          status: p.pendingExtension.status,
          days: p.pendingExtension.days,
          reason: p.pendingExtension.reason,
          requestedAt: p.pendingExtension.requestedAt,
        },
    pendingReturn: pendingReturn && withDepartmentNames(returnView(pendingReturn), dep),
    pendingReturns: pending.map((r) => withDepartmentNames(returnView(r), dep)),
    supervisions: internal
      ? (p.supervisions ?? []).map((v) => ({ ...toSupervisionView(v), departmentName: dep(v.departmentId) }))
      : [],
    ...(internal ? { assessmentAppeals: (p.assessmentAppeals ?? []).map(assessmentAppealView) } : {}),
    // SPEC §9: attempts to reach the enterprise (the enterprise sees no staff note) and staged replies
    contacts: (p.contacts ?? []).map((c) => contactView(c, followUpViewer(viewer), a, dep(c.departmentId))),
    stagedReplies: (p.stagedReplies ?? []).map((r) =>
      stagedReplyView(r, followUpViewer(viewer), dep(r.departmentId)),
    ),
    // SPEC §12: the latest whistle, names beside ids; it names no user, so a confidential filer stays hidden
    whistle: p.whistle ? toWhistleView(p.whistle, names?.departments ?? new Map(), now, internal) : null,
    statusReason: a.statusReason,
    mergedIntoId: links.mergedIntoId,
    suggestedRouting: links.suggestedRouting && {
      ...links.suggestedRouting,
      leadDepartmentName: dep(links.suggestedRouting.leadDepartmentId),
      coDepartments: links.suggestedRouting.coDepartmentIds.map((id) => departmentRef(names, id)!),
    },
    possibleDuplicates: links.possibleDuplicates.map((d) => {
      const lead = names?.duplicateLeads.get(d.appealId) ?? null;
      return { ...d, leadDepartmentId: lead, leadDepartmentName: dep(lead) };
    }),
    routedAt: seesWorkingNotes(viewer) ? a.routedAt : null,
    createdAt: links.createdAt,
    updatedAt: a.updatedAt,
    dispatchedAt: a.dispatchedAt,
    closedAt: a.closedAt,
    closeReason: a.closeReason,
  };
}

export type AppealView = ReturnType<typeof toAppealView>;

/** A webhook reads the follow-through as the centre does. */
const followUpViewer = (viewer: Viewer) =>
  isWebhook(viewer) ? { role: 'dispatcher' } : { role: viewer.role, departmentId: viewer.departmentId };

/** A return request with the names of its department and of the one it suggests. */
function withDepartmentNames<T extends { departmentId: string; suggestedDepartmentId: string | null }>(
  r: T,
  dep: (id: string | null) => string | null,
) {
  return { ...r, departmentName: dep(r.departmentId), suggestedDepartmentName: dep(r.suggestedDepartmentId) };
}

/** The latest plan (SPEC §9.3) as the viewer sees it, or null. */
function latestPlan(
  plans: Plan[] | undefined,
  viewer: Viewer,
  now: Date,
  names: Names | undefined,
  a: Appeal,
) {
  const plan = plans && plans.length > 0 ? plans[plans.length - 1] : null;
  if (!plan) return null;
  return toPlanView(plan, viewer, now, {
    departmentName: departmentName(names, plan.departmentId),
    appealNumber: a.number,
    appealTitle: a.title,
  });
}
