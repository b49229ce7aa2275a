import { randomUUID } from 'node:crypto';
import type { Appeal } from './appeal.entity';

/** What a filing decides; everything else of a new appeal is the same for every filing. */
export type FiledFields = Pick<
  Appeal,
  | 'number'
  | 'type'
  | 'categoryCode'
  | 'title'
  | 'content'
  | 'urgency'
  | 'district'
  | 'channel'
  | 'enterpriseId'
  | 'contactName'
  | 'contactPhone'
  | 'confidential'
  | 'meetingId'
  | 'eventCount'
  | 'createdBy'
  | 'createdAt'
>;

/** A just-filed (`submitted`) appeal: the filing's fields and the lifecycle's starting values. */
export function newAppeal(filed: FiledFields): Appeal {
  return {
    id: randomUUID(),
    ...filed,
    status: 'submitted',
    leadDepartmentId: null,
    reopenCount: 0,
    supervised: false,
    version: 1,
    eventHead: null,
    updatedAt: filed.createdAt,
    dispatchedAt: null,
    replyContent: null,
    replyOutcome: null,
    repliedAt: null,
    surveyDueAt: null,
    closedAt: null,
    closeReason: null,
    statusReason: null,
    latestSatisfaction: null,
    latestResolved: null,
    latestContacted: null,
    latestSurveyValid: true,
    assessmentAppeals: 0,
    assessmentAppealsApproved: 0,
    mergedIntoId: null,
    suggestedRouting: null,
    possibleDuplicates: null,
    routedAt: null,
    resolvedOnSpot: false,
    knowledgeSuggestions: null,
    knowledgeEntryIds: [],
    leaderName: null,
    leaderInstructions: null,
    contactPhoneHash: null,
    contactAnonymisedAt: null,
  };
}
