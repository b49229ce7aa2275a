import { instantInText } from '../../common/local-time';
import type { NoticeDraft } from '../appeals/appeal-writer';
import type { Appeal } from '../appeals/entities/appeal.entity';

/** What the enterprise and the lead are told of the follow-through (SPEC §9.1, §9.2). */
type AppealRef = Pick<Appeal, 'number' | 'title' | 'enterpriseId'>;

/** SPEC §9.2: a staged reply is shown to the enterprise and notified to it. */
export function stagedReplyNotice(
  appeal: AppealRef,
  content: string,
  nextFeedbackAt: Date | null,
): NoticeDraft {
  return {
    recipientType: 'enterprise',
    recipientId: appeal.enterpriseId,
    kind: 'appeal.staged_replied',
    title: `${appeal.number} 阶段性答复`,
    body: nextFeedbackAt ? `${content}（下次反馈：${instantInText(nextFeedbackAt)} 前）` : content,
  };
}

/** The lead told that the centre reached the enterprise on its behalf (a three-way call, SPEC §9.1). */
export function centreContactNotice(
  appeal: Pick<Appeal, 'number' | 'title'>,
  departmentId: string,
): NoticeDraft {
  return {
    recipientType: 'department',
    recipientId: departmentId,
    kind: 'contact.logged',
    title: `中心已联系企业 ${appeal.number}: ${appeal.title}`,
    body: '12345 中心已代为联系企业（三方通话），请继续办理。',
  };
}
