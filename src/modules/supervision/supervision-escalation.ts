import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { AppealWriter, Change, EventDraft, NoticeDraft } from '../appeals/appeal-writer';
import { PENDING_ESCALATION } from '../appeals/deadlines/deadline-alarms';
import { escalationRecord, SupervisionRecords } from './supervision-records';

/** Appeals escalated per transaction by the sweeper. */
const SWEEP_BATCH = 500;

/**
 * Escalation (SPEC §7.3): a supervision unanswered past its due opens a notice (通报) on the same
 * department, exactly once, with the guarantees of the §3 deadlines — its wake-up or the sweeper.
 */
@Injectable()
export class SupervisionEscalation {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly writer: AppealWriter,
    private readonly records: SupervisionRecords,
  ) {}

  /**
   * A supervision's wake-up (SPEC §7.3): escalates it to a notice if it is still unanswered past its
   * due; a wake-up before the due fails so BullMQ retries it, one after the fact does nothing.
   */
  async wake(supervisionId: string): Promise<boolean> {
    const rows: { early: boolean }[] = await this.db.query(
      `SELECT answer_due_at > $2 AS early FROM supervisions WHERE id = $1 AND ${PENDING_ESCALATION}`,
      [supervisionId, this.clock.now()],
    );
    if (rows.length === 0) return false;
    if (rows[0].early)
      throw new Error(`wake-up for supervision ${supervisionId} arrived before its answer due`);
    const n = await this.escalateDue(
      async (m, now) =>
        (
          await m.query(
            `SELECT appeal_id FROM supervisions WHERE id = $1 AND ${PENDING_ESCALATION} AND answer_due_at <= $2`,
            [supervisionId, now],
          )
        ).map((r: { appeal_id: string }) => r.appeal_id),
      supervisionId,
    );
    return n > 0;
  }

  /** Escalates everything due, many appeals per transaction; how many escalated. */
  async sweep(): Promise<number> {
    let escalated = 0;
    for (;;) {
      const n = await this.escalateDue(dueEscalations, undefined, true);
      escalated += n;
      if (n === 0) break;
    }
    return escalated;
  }

  /**
   * One transaction: lock the selected appeals, escalate their supervisions that are due (or only the
   * one named) — each exactly once, by the conditional UPDATE in SupervisionRecords.escalate — and hand
   * the events to the writer. Returns how many escalated.
   */
  private async escalateDue(
    select: (m: EntityManager, now: Date) => Promise<string[]>,
    onlyId?: string,
    skipLocked = false,
  ): Promise<number> {
    let count = 0;
    await this.writer.changeMany(
      select,
      async (steps) => {
        const changes = new Map<string, Change>();
        if (steps.length === 0) return changes;
        const { m, now } = steps[0];
        const appeals = steps.map((st) => st.appeal);
        const escalated = await this.records.escalate(m, appeals, now, onlyId);
        for (const appeal of appeals) {
          const mine = escalated.get(appeal.id);
          if (!mine) continue;
          count += mine.length;
          const events: EventDraft[] = [];
          const notify: NoticeDraft[] = [];
          for (const e of mine) {
            const r = escalationRecord(appeal, e);
            events.push(...r.events);
            notify.push(...r.notify);
          }
          const [first, ...after] = events;
          changes.set(appeal.id, {
            action: 'escalate_supervision',
            data: first.data,
            after,
            notify,
            patch: { supervised: true },
          });
        }
        return changes;
      },
      { skipLocked },
    );
    return count;
  }
}

/** Appeals with a supervision unanswered past its due, the longest overdue first (any appeal status). */
async function dueEscalations(m: EntityManager, now: Date): Promise<string[]> {
  const rows: { appeal_id: string }[] = await m.query(
    `SELECT appeal_id FROM supervisions WHERE ${PENDING_ESCALATION} AND answer_due_at <= $1
     GROUP BY appeal_id ORDER BY min(answer_due_at) LIMIT ${SWEEP_BATCH}`,
    [now],
  );
  return rows.map((r) => r.appeal_id);
}
