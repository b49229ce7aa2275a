import type { Supervision } from './entities/supervision.entity';

/** A supervision record as the API shows it (SPEC §7.3). */
export function toSupervisionView(v: Supervision) {
  return {
    id: v.id,
    appealId: v.appealId,
    departmentId: v.departmentId,
    level: v.level,
    source: v.source,
    note: v.note,
    status: v.status,
    answerDueAt: v.answerDueAt,
    answer: v.answer,
    answeredAt: v.answeredAt,
    answeredOnTime: v.answeredOnTime,
    escalatedAt: v.escalatedAt,
    escalatedFromId: v.escalatedFromId,
    closedAt: v.closedAt,
    closeNote: v.closeNote,
    createdAt: v.createdAt,
  };
}
export type SupervisionView = ReturnType<typeof toSupervisionView>;
