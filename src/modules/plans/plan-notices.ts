import { instantInText } from '../../common/local-time';
import type { NoticeDraft } from '../appeals/appeal-writer';
import type { Appeal } from '../appeals/entities/appeal.entity';
import type { Plan } from './entities/plan.entity';

/** What the enterprise and the plan's department are told of a plan (SPEC §9.3). Pure. */
type AppealRef = Pick<Appeal, 'number' | 'title' | 'enterpriseId'>;

export const PLAN_FEEDBACK_REMINDER_NOTE = (at: Date) =>
  `计划解决未按期反馈进展（应于 ${instantInText(at)} 前反馈），系统自动催办`;
export const PLAN_OVERDUE_SUPERVISION_NOTE = (at: Date) =>
  `计划解决逾期未完成（承诺 ${instantInText(at)} 前解决），系统自动督办`;
export const PLAN_CANCELLED_ON_REOPEN = '诉求重办，原计划解决取消';

/** The enterprise hears of each step of its plan. */
export function planEnterpriseNotice(
  appeal: AppealRef,
  kind: 'plan.updated' | 'plan.fulfilled',
  plan: Pick<Plan, 'nextFeedbackAt'>,
  content: string,
): NoticeDraft {
  return {
    recipientType: 'enterprise',
    recipientId: appeal.enterpriseId,
    kind,
    title: `${appeal.number} ${kind === 'plan.updated' ? '计划解决进展' : '计划解决已完成，请确认'}`,
    body:
      kind === 'plan.updated' ? `${content}（下次反馈：${instantInText(plan.nextFeedbackAt)} 前）` : content,
  };
}

/** The department hears the enterprise's confirmation. */
export function planConfirmedNotice(
  appeal: AppealRef,
  plan: Pick<Plan, 'departmentId'>,
  resolved: boolean,
  comment: string | null,
): NoticeDraft {
  return {
    recipientType: 'department',
    recipientId: plan.departmentId,
    kind: 'plan.confirmed',
    title: `${appeal.number} 计划解决${resolved ? '已确认解决' : '确认未解决'}`,
    body: comment ?? (resolved ? '企业确认问题已按计划解决。' : '企业确认问题未解决。'),
  };
}
