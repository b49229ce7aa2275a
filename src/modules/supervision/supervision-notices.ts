import { instantInText } from '../../common/local-time';
import type { NoticeDraft } from '../appeals/appeal-writer';
import type { TimerSpec } from '../appeals/deadlines/deadline-timers';
import type { Appeal } from '../appeals/entities/appeal.entity';
import { stepName } from '../assignments/assignment-notices';
import type { Supervision } from './entities/supervision.entity';

/** The notes of the supervisions the system opens, and what the supervised department is told (SPEC §7.3). */
/** The note of an automatic supervision. */
export const overdueSupervisionNote = (step: TimerSpec['step']) => `超期未${stepName(step)}，系统自动督办`;
/** The note of an automatic reminder (SPEC §9.1, §9.2: a missed contact or staged reply). */
export const overdueReminderNote = (step: TimerSpec['step']) => `超期未${stepName(step)}，系统自动催办`;
export const reopenLimitSupervisionNote = (reopenCount: number) =>
  `不满意且已重办 ${reopenCount} 次，已按重办上限办结并督办`;

const LEVEL_NAMES: Record<Supervision['level'], string> = {
  reminder: '催办',
  supervision: '督办',
  notice: '通报',
};

/** A supervision record opened on the department (SPEC §7.3). */
export function supervisionNotice(
  appeal: Pick<Appeal, 'number' | 'title'>,
  v: Pick<Supervision, 'level' | 'departmentId' | 'note' | 'answerDueAt'>,
): NoticeDraft {
  return {
    recipientType: 'department',
    recipientId: v.departmentId!,
    kind: `supervision.${v.level}`,
    title: `${LEVEL_NAMES[v.level]} ${appeal.number}: ${appeal.title}`,
    body: v.answerDueAt ? `${v.note}（请于 ${instantInText(v.answerDueAt)} 前答复）` : v.note,
  };
}

/** The note of a notice (通报) opened for a supervision unanswered past its due. */
export const ESCALATION_NOTE = '督办逾期未答复，予以通报';
