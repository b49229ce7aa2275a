import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock';
import { AppealWriter, SYSTEM_ACTOR } from '../appeals/appeal-writer';
import { DeadlineLog, FiredBy } from '../appeals/deadlines/deadline-log';

/** The return visit's window (SPEC §2): an appeal not rated within it closes as not_rated. */
@Injectable()
export class SurveyWindow {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly writer: AppealWriter,
    private readonly log: DeadlineLog,
  ) {}

  /** SPEC §2: no survey within the window closes the appeal as not_rated. */
  async close(appealId: string, by: FiredBy = 'wake-up'): Promise<boolean> {
    let fired: { at: Date; now: Date } | undefined;
    const { outcome } = await this.writer.change(
      appealId,
      SYSTEM_ACTOR,
      undefined,
      async ({ appeal, now }) => {
        if (appeal.status !== 'replied' || !appeal.surveyDueAt || appeal.surveyDueAt > now) return null;
        fired = { at: new Date(appeal.surveyDueAt), now };
        return {
          action: 'close_not_rated',
          patch: { closedAt: now, closeReason: 'not_rated' },
          data: { closeReason: 'not_rated' },
        };
      },
    );
    if (outcome !== 'changed' || !fired) return false;
    this.log.fired([{ kind: 'survey_close', appealId, at: fired.at }], fired.now, by);
    return true;
  }

  /** Closes up to `batch` appeals whose window has lapsed, the oldest first; how many it closed. */
  async sweep(batch: number): Promise<number> {
    let closed = 0;
    const unrated: { id: string }[] = await this.db.query(
      `SELECT id FROM appeals WHERE status = 'replied' AND survey_due_at <= $1 ORDER BY survey_due_at LIMIT ${batch}`,
      [this.clock.now()],
    );
    for (const u of unrated) if (await this.close(u.id, 'sweep')) closed++;
    return closed;
  }
}
