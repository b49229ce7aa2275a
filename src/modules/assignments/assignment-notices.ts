import { instantInText } from '../../common/local-time';
import type { NoticeDraft } from '../appeals/appeal-writer';
import { contactFor } from '../appeals/disclosure';
import type { TimerSpec } from '../appeals/deadlines/deadline-timers';
import type { Appeal } from '../appeals/entities/appeal.entity';
import type { Assignment } from './entities/assignment.entity';
import type { ReturnRequest } from './entities/return-request.entity';

/** What a department is told of its assignments: a new one, its deadlines, the centre's decision on a return. */
type AppealRef = Pick<
  Appeal,
  'id' | 'number' | 'title' | 'enterpriseId' | 'confidential' | 'contactName' | 'contactPhone'
>;

/** A department's new assignment (主办 or 协办) with its deadlines. */
export function newAssignmentNotice(
  appeal: AppealRef,
  a: Pick<Assignment, 'departmentId' | 'role' | 'ackDueAt' | 'replyDueAt'>,
): NoticeDraft {
  const lead = a.role === 'lead';
  // SPEC §11: a department reads the contact masked (none on a confidential appeal, SPEC §2)
  const c = contactFor(appeal, { role: 'handler', departmentId: a.departmentId });
  const who = [c.contactName, c.contactPhone].filter(Boolean).join(' ');
  return {
    recipientType: 'department',
    recipientId: a.departmentId,
    kind: 'assignment.new',
    title: `新${lead ? '主办' : '协办'}件 ${appeal.number}: ${appeal.title}`,
    body:
      `请于 ${instantInText(a.ackDueAt)} 前签收，${instantInText(a.replyDueAt)} 前${lead ? '答复' : '提交协办意见'}。` +
      (who ? `联系人：${who}（完整联系方式在诉求详情中查看）。` : ''),
  };
}

/** 预警 / 超期 of one assignment's step. */
export function deadlineNotice(
  appeal: Pick<Appeal, 'number' | 'title'>,
  departmentId: string,
  spec: Pick<TimerSpec, 'event' | 'step' | 'opens'>,
  dueAt: Date,
): NoticeDraft {
  const overdue = spec.opens !== null;
  const done = spec.opens === 'reminder' ? ' 已过，已自动催办。' : ' 已过，已自动督办。';
  return {
    recipientType: 'department',
    recipientId: departmentId,
    kind: spec.event,
    title: `${overdue ? '超期' : '预警'} ${appeal.number}: ${appeal.title}`,
    body: `${stepName(spec.step)}时限 ${instantInText(dueAt)}${overdue ? done : ' 将至。'}`,
  };
}

/** The centre's decision on a department's return request (SPEC §7.1). */
export function returnDecisionNotice(
  appeal: Pick<Appeal, 'number' | 'title'>,
  r: Pick<ReturnRequest, 'departmentId'>,
  approved: boolean,
  why: string | null,
): NoticeDraft {
  return {
    recipientType: 'department',
    recipientId: r.departmentId,
    kind: approved ? 'return.approved' : 'return.denied',
    title: `退单${approved ? '已同意' : '未同意'} ${appeal.number}: ${appeal.title}`,
    body: approved ? '退单申请已同意。' : `退单申请未同意，请继续办理。${why ? `理由: ${why}` : ''}`,
  };
}

const STEP_NAMES: Record<TimerSpec['step'], string> = {
  acknowledge: '签收',
  reply: '答复',
  contact: '联系企业',
  staged_reply: '阶段性答复',
};
export const stepName = (step: TimerSpec['step']) => STEP_NAMES[step];
