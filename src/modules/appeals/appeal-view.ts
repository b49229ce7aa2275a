import type { Actor } from '../auth/auth.decorators';
import { hidesFiler } from './confidentiality';
import { assessmentAppealView } from '../assessment/assessment.view';
import type { AssessmentAppeal } from '../assessment/entities/assessment-appeal.entity';
import type { Survey } from '../assessment/entities/survey.entity';
import { returnView, toAssignmentView } from '../assignments/assignment.view';
import type { Assignment } from '../assignments/entities/assignment.entity';
import type { ExtensionRequest } from '../assignments/entities/extension-request.entity';
import type { ReturnRequest } from '../assignments/entities/return-request.entity';
import type { Supervision } from '../supervision/entities/supervision.entity';
import { toSupervisionView } from '../supervision/supervision.view';
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
}

/**
 * What a caller sees of an appeal. SPEC §2: a confidential appeal hides its filer (hidesFiler decides
 * who may not see it). Routing suggestions and possible duplicates are shown to the centre only.
 * SPEC §7: the enterprise sees neither assessment appeals nor whether its rating still counts (its
 * survey looks as it always did), nor the supervision ledger (it sees `supervised`); a handler's
 * `pendingReturn` is its own department's request when it has one.
 */
export function toAppealView(p: AppealParts, viewer: Actor, now: Date) {
  const a = p.appeal;
  const hide = hidesFiler(a, viewer);
  // routing suggestions and duplicate flags are the centre's working notes: enterprises and handlers never see them
  const centre = viewer.role !== 'handler' && viewer.role !== 'enterprise';
  const government = viewer.role !== 'enterprise';
  const pending = p.pendingReturns ?? [];
  const pendingReturn =
    (viewer.role === 'handler' ? pending.find((r) => r.departmentId === viewer.departmentId) : undefined) ??
    pending[0] ??
    null;
  return {
    id: a.id,
    number: a.number,
    type: a.type,
    categoryCode: a.categoryCode,
    title: a.title,
    content: a.content,
    channel: a.channel,
    urgency: a.urgency,
    district: a.district,
    confidential: a.confidential,
    enterpriseId: hide ? null : a.enterpriseId,
    enterpriseName: hide ? null : p.enterpriseName,
    contactName: hide ? null : a.contactName,
    contactPhone: hide ? null : a.contactPhone,
    status: a.status,
    leadDepartmentId: a.leadDepartmentId,
    assignments: p.assignments.map((x) => toAssignmentView(x, now)),
    reopenCount: a.reopenCount,
    supervised: a.supervised,
    meetingId: a.meetingId,
    resolvedOnSpot: a.resolvedOnSpot,
    leaderLed: a.leaderName !== null,
    leader:
      a.leaderName === null
        ? null
        : {
            name: a.leaderName,
            instructions: (a.leaderInstructions ?? []).map((i) => ({
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
    surveyDueAt: a.surveyDueAt,
    survey: p.survey && {
      id: p.survey.id,
      satisfaction: p.survey.satisfaction,
      resolved: p.survey.resolved,
      comment: p.survey.comment,
      round: p.survey.round,
      createdAt: p.survey.createdAt,
      ...(government ? { valid: p.survey.valid } : {}),
    },
    pendingExtension: p.pendingExtension && {
      id: p.pendingExtension.id,
      assignmentId: p.pendingExtension.assignmentId,
      status: p.pendingExtension.status,
      days: p.pendingExtension.days,
      reason: p.pendingExtension.reason,
      requestedAt: p.pendingExtension.requestedAt,
    },
    pendingReturn: pendingReturn && returnView(pendingReturn),
    pendingReturns: pending.map(returnView),
    supervisions: government ? (p.supervisions ?? []).map(toSupervisionView) : [],
    ...(government ? { assessmentAppeals: (p.assessmentAppeals ?? []).map(assessmentAppealView) } : {}),
    statusReason: a.statusReason,
    mergedIntoId: a.mergedIntoId,
    suggestedRouting: centre ? (a.suggestedRouting ?? null) : null,
    possibleDuplicates: centre ? (a.possibleDuplicates ?? []) : [],
    routedAt: centre ? a.routedAt : null,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    dispatchedAt: a.dispatchedAt,
    closedAt: a.closedAt,
    closeReason: a.closeReason,
  };
}

export type AppealView = ReturnType<typeof toAppealView>;
