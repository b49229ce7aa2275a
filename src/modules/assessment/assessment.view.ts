import type { AssessmentAppeal } from './entities/assessment-appeal.entity';

/** An assessment appeal (考核申诉) as the appeal shows it to the government side (SPEC §7.2). */
export function assessmentAppealView(x: AssessmentAppeal) {
  return {
    id: x.id,
    status: x.status,
    surveyId: x.surveyId,
    departmentId: x.departmentId,
    reason: x.reason,
    explanation: x.explanation,
    recontacted: x.recontacted,
    createdAt: x.createdAt,
    decidedAt: x.decidedAt,
    decisionNote: x.decisionNote,
  };
}
