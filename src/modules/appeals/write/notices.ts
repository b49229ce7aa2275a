import type { OutgoingNotification } from '../../notifications/notifier';
import type { AppealStatus } from '../../workflow/appeal-state-machine';
import type { TimerSpec } from '../deadlines/deadline-timers';
import type { Appeal } from '../entities/appeal.entity';
import type { Assignment } from '../entities/assignment.entity';
import type { ReturnRequest, Supervision } from '../entities/side-records.entity';

/**
 * Every text the service sends to people (SPEC §5 notifications), in one place. Pure: the writer adds
 * the instant and the appeal id.
 */
type AppealRef = Pick<Appeal, 'id' | 'number' | 'title' | 'enterpriseId'>;
type Draft = Omit<OutgoingNotification, 'at' | 'appealId'>;

/** A department's new assignment (主办 or 协办) with its deadlines. */
export function newAssignmentNotice(
  appeal: AppealRef,
  a: Pick<Assignment, 'departmentId' | 'role' | 'ackDueAt' | 'replyDueAt'>,
): Draft {
  const lead = a.role === 'lead';
  return {
    recipientType: 'department',
    recipientId: a.departmentId,
    kind: 'assignment.new',
    title: `新${lead ? '主办' : '协办'}件 ${appeal.number}: ${appeal.title}`,
    body: `请于 ${a.ackDueAt.toISOString()} 前签收, ${a.replyDueAt.toISOString()} 前${lead ? '答复' : '提交协办意见'}。`,
  };
}

/** 预警 / 超期 of one assignment's step. */
export function deadlineNotice(
  appeal: Pick<Appeal, 'number' | 'title'>,
  departmentId: string,
  spec: Pick<TimerSpec, 'event' | 'step'>,
  dueAt: Date,
): Draft {
  const overdue = spec.event === 'deadline.overdue';
  return {
    recipientType: 'department',
    recipientId: departmentId,
    kind: spec.event,
    title: `${overdue ? '超期' : '预警'} ${appeal.number}: ${appeal.title}`,
    body: `${stepName(spec.step)}时限 ${dueAt.toISOString()}${overdue ? ' 已过，已自动督办。' : ' 将至。'}`,
  };
}

/** The note of an automatic supervision. */
export const overdueSupervisionNote = (step: TimerSpec['step']) =>
  `超期未${stepName(step)}: automatic supervision`;
export const reopenLimitSupervisionNote = (reopenCount: number) =>
  `不满意且已重办 ${reopenCount} 次: closed at the reopen limit and supervised`;

const LEVEL_NAMES: Record<Supervision['level'], string> = {
  reminder: '催办',
  supervision: '督办',
  notice: '通报',
};

/** A supervision record opened on the department (SPEC §7.3). */
export function supervisionNotice(
  appeal: Pick<Appeal, 'number' | 'title'>,
  v: Pick<Supervision, 'level' | 'departmentId' | 'note' | 'answerDueAt'>,
): Draft {
  return {
    recipientType: 'department',
    recipientId: v.departmentId!,
    kind: `supervision.${v.level}`,
    title: `${LEVEL_NAMES[v.level]} ${appeal.number}: ${appeal.title}`,
    body: v.answerDueAt ? `${v.note}（请于 ${v.answerDueAt.toISOString()} 前答复）` : v.note,
  };
}

/** The note of a notice opened for an unanswered supervision. */
export const escalationNote = (v: Pick<Supervision, 'answerDueAt'>) =>
  `督办逾期未答复 (answer due ${v.answerDueAt?.toISOString() ?? '—'}): 通报`;

/** The centre's decision on a department's return request (SPEC §7.1). */
export function returnDecisionNotice(
  appeal: Pick<Appeal, 'number' | 'title'>,
  r: Pick<ReturnRequest, 'departmentId'>,
  approved: boolean,
  why: string | null,
): Draft {
  return {
    recipientType: 'department',
    recipientId: r.departmentId,
    kind: approved ? 'return.approved' : 'return.denied',
    title: `退单${approved ? '已同意' : '未同意'} ${appeal.number}: ${appeal.title}`,
    body: approved ? '退单申请已同意。' : `退单申请未同意，请继续办理。${why ? `理由: ${why}` : ''}`,
  };
}

const stepName = (step: TimerSpec['step']) => (step === 'acknowledge' ? '签收' : '答复');

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
