import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { bulkInsert, BulkColumn } from '../../infra/database/bulk-insert';
import type { EventDraft, NoticeDraft } from '../appeals/appeal-writer';
import { Appeal } from '../appeals/entities/appeal.entity';
import { SlaService } from '../sla/sla.service';
import type { AppealStatus } from '../workflow/appeal-state-machine';
import type { SupervisionLevel, SupervisionSource } from '../workflow/assessment-rules';
import { Supervision } from './entities/supervision.entity';
import { ESCALATION_NOTE, supervisionNotice } from './supervision-notices';

/** What opens a supervision record; the due and the id are worked out here. */
export interface SupervisionOrder {
  level: SupervisionLevel;
  source: SupervisionSource;
  departmentId: string | null;
  assignmentId?: string | null;
  note: string;
  createdBy: string | null;
  escalatedFromId?: string | null;
}

const COLUMNS: BulkColumn<Supervision>[] = [
  ['id', 'uuid', (v) => v.id],
  ['appeal_id', 'uuid', (v) => v.appealId],
  ['assignment_id', 'uuid', (v) => v.assignmentId],
  ['department_id', 'uuid', (v) => v.departmentId],
  ['level', 'text', (v) => v.level],
  ['source', 'text', (v) => v.source],
  ['note', 'text', (v) => v.note],
  ['status', 'text', (v) => v.status],
  ['answer_due_at', 'timestamptz', (v) => v.answerDueAt],
  ['escalated_from_id', 'uuid', (v) => v.escalatedFromId],
  ['created_by', 'uuid', (v) => v.createdBy],
  ['created_at', 'timestamptz', (v) => v.createdAt],
];

/** An escalation that fired: the supervision and the notice it opened. */
export interface Escalation {
  supervision: Supervision;
  notice: Supervision;
}

/**
 * Supervision records of SPEC §7.3 (催办 → 督办 → 通报): the one place they are opened — by a supervisor,
 * by a deadline, at the reopen limit, by escalation — and escalated. Runs inside the writer's
 * transaction with the appeal row locked; the writer records the events this returns.
 */
@Injectable()
export class SupervisionRecords {
  constructor(private readonly sla: SlaService) {}

  /**
   * Opens records on one or many appeals in one insert. A `supervision` with a department gets its
   * answer due from the appeal's SLA policy (supervisionAnswerWithin); other records owe no answer.
   */
  async open(m: EntityManager, items: { appeal: Appeal; order: SupervisionOrder }[], now: Date) {
    const rows: Supervision[] = [];
    for (const { appeal, order } of items) {
      const owesAnswer = order.level === 'supervision' && order.departmentId !== null;
      rows.push(
        m.getRepository(Supervision).create({
          id: randomUUID(),
          appealId: appeal.id,
          assignmentId: order.assignmentId ?? null,
          departmentId: order.departmentId,
          level: order.level,
          source: order.source,
          note: order.note,
          status: 'open',
          answerDueAt: owesAnswer
            ? await this.sla.windowClosesAt(m, appeal, 'supervisionAnswerWithin', now)
            : null,
          escalatedFromId: order.escalatedFromId ?? null,
          createdBy: order.createdBy,
          createdAt: now,
        }),
      );
    }
    await bulkInsert(m, 'supervisions', COLUMNS, rows);
    return rows;
  }

  /**
   * Escalates every supervision of these appeals that is unanswered past its due (or only the one
   * named): marks it escalated with one conditional UPDATE — so a supervision escalates once however
   * often this runs — and opens one notice (通报) on the same department for each.
   */
  async escalate(
    m: EntityManager,
    appeals: Appeal[],
    now: Date,
    onlyId?: string,
  ): Promise<Map<string, Escalation[]>> {
    const out = new Map<string, Escalation[]>();
    if (appeals.length === 0) return out;
    const params: unknown[] = [appeals.map((a) => a.id), now];
    if (onlyId) params.push(onlyId);
    const [rows]: [Record<string, unknown>[], number] = await m.query(
      `UPDATE supervisions SET escalated_at = $2
       WHERE appeal_id = ANY($1) AND level = 'supervision' AND status = 'open' AND escalated_at IS NULL
         AND answer_due_at <= $2 ${onlyId ? 'AND id = $3' : ''}
       RETURNING id`,
      params,
    );
    if (rows.length === 0) return out;
    const escalated = await m
      .getRepository(Supervision)
      .createQueryBuilder('v')
      .where('v.id IN (:...ids)', { ids: rows.map((r) => r.id as string) })
      .orderBy('v.answer_due_at')
      .addOrderBy('v.id')
      .getMany();
    const byId = new Map(appeals.map((a) => [a.id, a]));
    const notices = await this.open(
      m,
      escalated.map((v) => ({
        appeal: byId.get(v.appealId)!,
        order: {
          level: 'notice',
          source: 'escalation',
          departmentId: v.departmentId,
          assignmentId: v.assignmentId,
          note: ESCALATION_NOTE,
          createdBy: null,
          escalatedFromId: v.id,
        },
      })),
      now,
    );
    escalated.forEach((supervision, i) => {
      const list = out.get(supervision.appealId) ?? [];
      list.push({ supervision, notice: notices[i] });
      out.set(supervision.appealId, list);
    });
    return out;
  }
}

/** The appeal.supervised event of a record just opened (SPEC §7.3: data carries level and supervisionId). */
export function supervisedEvent(v: Supervision, status: AppealStatus): EventDraft {
  return {
    action: 'appeal.supervised',
    fromStatus: status,
    toStatus: status,
    data: supervisedData(v),
  };
}

export function supervisedData(v: Supervision): Record<string, unknown> {
  return {
    supervisionId: v.id,
    level: v.level,
    source: v.source,
    departmentId: v.departmentId,
    assignmentId: v.assignmentId,
    note: v.note,
    answerDueAt: v.answerDueAt,
    ...(v.escalatedFromId ? { escalatedFromId: v.escalatedFromId } : {}),
  };
}

/** supervision.escalated then appeal.supervised (the notice), and the department told. */
export function escalationRecord(
  appeal: Appeal,
  e: Escalation,
): { events: EventDraft[]; notify: NoticeDraft[] } {
  const same = { fromStatus: appeal.status, toStatus: appeal.status };
  return {
    events: [
      {
        action: 'supervision.escalated',
        ...same,
        data: {
          supervisionId: e.supervision.id,
          noticeId: e.notice.id,
          departmentId: e.supervision.departmentId,
          answerDueAt: e.supervision.answerDueAt,
        },
      },
      supervisedEvent(e.notice, appeal.status),
    ],
    notify: e.notice.departmentId ? [supervisionNotice(appeal, e.notice)] : [],
  };
}
