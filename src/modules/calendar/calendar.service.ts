import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Between, DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CalendarDayRow } from './calendar-day.entity';
import { Clock as DeadlineClock, computeDeadline, DurationError, WorkingCalendar } from './working-calendar';

/**
 * The working-day calendar as stored (SPEC §3). The pure WorkingCalendar is rebuilt only when the
 * table changes: a cheap fingerprint (row count, latest update) is read each time, so an edit made
 * through any API process applies everywhere at once.
 */
@Injectable()
export class CalendarService {
  private cached?: { fingerprint: string; calendar: WorkingCalendar };

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Inside a transaction pass its manager (one connection per transaction). */
  async calendar(m: EntityManager = this.db.manager): Promise<WorkingCalendar> {
    const [{ n, latest }] = await m.query(
      `SELECT count(*)::int AS n, max(updated_at) AS latest FROM calendar_days`,
    );
    const fingerprint = `${n}|${latest ? new Date(latest).toISOString() : ''}`;
    if (this.cached?.fingerprint !== fingerprint) {
      const rows = await m.getRepository(CalendarDayRow).find();
      const calendar = new WorkingCalendar(rows, {
        timeZone: this.config.calendarTimeZone,
        hours: { intervals: this.config.workingHours },
      });
      this.cached = { fingerprint, calendar };
    }
    return this.cached.calendar;
  }

  async listDays(
    from?: string,
    to?: string,
  ): Promise<{ items: { date: string; kind: string; name: string }[] }> {
    const where = from || to ? { date: Between(from ?? '0001-01-01', to ?? '9999-12-31') } : {};
    const rows = await this.db.getRepository(CalendarDayRow).find({ where, order: { date: 'ASC' } });
    return { items: rows.map((r) => ({ date: r.date, kind: r.kind, name: r.name })) };
  }

  async putDay(date: string, kind: 'holiday' | 'workday', name: string | undefined) {
    await this.db
      .createQueryBuilder()
      .insert()
      .into(CalendarDayRow)
      .values({ date, kind, name: name ?? '' })
      .orUpdate(['kind', 'name', 'updated_at'], ['date'])
      .execute();
    const row = await this.db.getRepository(CalendarDayRow).findOneByOrFail({ date });
    return { date: row.date, kind: row.kind, name: row.name };
  }

  async deleteDay(date: string): Promise<void> {
    const result = await this.db.getRepository(CalendarDayRow).delete({ date });
    if (!result.affected) throw DomainError.notFound('calendar day');
  }

  /** GET /calendar/deadline (SPEC §3). */
  async deadline(from: Date, duration: string, clock: DeadlineClock): Promise<{ dueAt: string }> {
    const calendar = await this.calendar();
    try {
      return {
        dueAt: calendar.formatLocal(computeDeadline(calendar, from, duration, clock)),
      };
    } catch (err) {
      if (err instanceof DurationError)
        throw DomainError.validation(err.message, [{ field: 'duration', message: err.message }]);
      throw err;
    }
  }
}
