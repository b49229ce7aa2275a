import { instantInText } from '../../common/local-time';
import type { NoticeDraft } from '../appeals/appeal-writer';
import type { Appeal } from '../appeals/entities/appeal.entity';

/** What the departments and the enterprise are told of a whistle (SPEC §12). Pure. */
type AppealRef = Pick<Appeal, 'number' | 'title' | 'enterpriseId'>;

export function summonNotice(
  appeal: AppealRef,
  departmentId: string,
  role: 'lead' | 'co',
  meetingAt: Date,
  location: string,
): NoticeDraft {
  return {
    recipientType: 'department',
    recipientId: departmentId,
    kind: 'whistle.summoned',
    title: `企业吹哨 ${appeal.number}: ${appeal.title}`,
    body:
      `${role === 'lead' ? '贵单位为牵头单位，请召集' : '请于会前报到并参加'}联合现场办公：` +
      `${instantInText(meetingAt)}，${location}。`,
  };
}

export function enterpriseWhistleNotice(appeal: AppealRef, title: string, body: string): NoticeDraft {
  return { recipientType: 'enterprise', recipientId: appeal.enterpriseId, kind: 'whistle', title, body };
}

export function commitmentNotice(
  appeal: AppealRef,
  departmentId: string,
  content: string,
  dueAt: Date,
): NoticeDraft {
  return {
    recipientType: 'department',
    recipientId: departmentId,
    kind: 'whistle.commitment',
    title: `吹哨承诺事项 ${appeal.number}`,
    body: `${content}（请于 ${instantInText(dueAt)} 前完成）`,
  };
}

/** The steps whose deadline a whistle timer watches, as people name them. */
export const WHISTLE_STEP_NAMES = {
  whistle_review: '吹哨审核',
  whistle_check_in: '吹哨报到',
  whistle_meeting: '吹哨联合会议',
  whistle_commitment: '吹哨承诺事项',
} as const;
export type WhistleStepName = keyof typeof WHISTLE_STEP_NAMES;

/** The note of a reminder (催办) or supervision (督办) a whistle timer opens. */
export const whistleOverdueNote = (step: WhistleStepName) => `${WHISTLE_STEP_NAMES[step]}超期，系统自动催办`;
export const commitmentOverdueNote = (content: string) => `吹哨承诺事项逾期未完成，系统自动督办：${content}`;

/** A whistle deadline's warning or overdue, told to the department it falls on. */
export function whistleDeadlineNotice(
  appeal: AppealRef,
  departmentId: string,
  step: WhistleStepName,
  overdue: boolean,
  at: Date,
): NoticeDraft {
  return {
    recipientType: 'department',
    recipientId: departmentId,
    kind: overdue ? 'deadline.overdue' : 'deadline.warning',
    title: `${overdue ? '超期' : '预警'} ${appeal.number}: ${WHISTLE_STEP_NAMES[step]}`,
    body: overdue
      ? `${WHISTLE_STEP_NAMES[step]}已于 ${instantInText(at)} 到期。`
      : `${WHISTLE_STEP_NAMES[step]}将于 ${instantInText(at)} 到期。`,
  };
}
