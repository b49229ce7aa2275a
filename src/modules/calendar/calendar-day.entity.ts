import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * An explicit day of the official calendar (SPEC §3): a public holiday (a weekday off) or a make-up
 * working day (调休, a weekend day on). Every other day follows the week: Monday–Friday work.
 * Seeded with the State Council notices for 2024–2026; admins add next year's notice through the API.
 */
@Entity('calendar_days')
@Check('ck_calendar_days_kind', `"kind" IN ('holiday','workday')`)
export class CalendarDayRow {
  @PrimaryColumn({ type: 'date' })
  date: string;

  @Column({ type: 'varchar', length: 8 })
  kind: 'holiday' | 'workday';

  @Column({ type: 'varchar', length: 64, default: '' })
  name: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
