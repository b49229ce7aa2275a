import type { OutgoingNotification } from '../notifications/notifier';
import type { NoticeDraft } from './appeal-writer';
import type { AppealStatus } from '../workflow/appeal-state-machine';
import type { Appeal } from './entities/appeal.entity';

/** What the enterprise is told of its appeal (SPEC §5 notifications). Pure: the writer adds them to a change. */
type AppealRef = Pick<Appeal, 'id' | 'number' | 'title' | 'enterpriseId'>;

const ENTERPRISE_TEXTS: Record<string, [string, string]> = {
  'appeal.dispatched': ['已转办', '您的诉求已转交承办单位办理。'],
  'appeal.replied': ['已答复', '承办单位已答复您的诉求，请查看并评价。'],
  'appeal.resolved_on_spot': ['已答复', '您的诉求已即时办结，请查看并评价。'],
  'appeal.closed': ['已办结', '您的诉求已办结。'],
};
const NOT_RATED_BODY = '回访期内未评价，诉求已办结（未评价）。';

/** SPEC §5: the enterprise hears when its appeal is dispatched, replied and closed. */
export function enterpriseNotice(
  appeal: AppealRef,
  event: string,
  to: AppealStatus,
  at: Date,
  closeReason?: string | null,
): OutgoingNotification[] {
  const hit = ENTERPRISE_TEXTS[event];
  if (!hit || (event === 'appeal.closed' && to !== 'closed')) return [];
  return [
    {
      recipientType: 'enterprise',
      recipientId: appeal.enterpriseId,
      kind: event,
      appealId: appeal.id,
      title: `${appeal.number} ${hit[0]}`,
      body: closeReason === 'not_rated' ? NOT_RATED_BODY : hit[1],
      at,
    },
  ];
}

/** SPEC §5.1: a progress note sent as public tells the enterprise. */
export function progressNotice(appeal: AppealRef, note: string): NoticeDraft {
  return {
    recipientType: 'enterprise',
    recipientId: appeal.enterpriseId,
    kind: 'appeal.progress_noted',
    title: `${appeal.number} 办理进展`,
    body: note,
  };
}
