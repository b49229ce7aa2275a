import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Department } from '../../departments/department.entity';
import { Whistle } from './whistle.entity';

/**
 * A department summoned by an approved whistle (SPEC §12, 部门报到): the lead (convener) and each co
 * department. Its check-in timer is `check_in_due_at` (the meeting) with a warning before it, each with
 * a `*_fired_at` mark set once (SPEC §3).
 */
@Entity('whistle_departments')
@Check('ck_whistle_departments_role', `"role" IN ('lead','co')`)
@Index('uq_whistle_departments', ['whistleId', 'departmentId'], { unique: true })
@Index('ix_whistle_departments_department', ['departmentId'])
@Index('ix_whistle_departments_check_in_due', ['checkInDueAt'], { where: `"checked_in_at" IS NULL` })
export class WhistleDepartment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'whistle_id', type: 'uuid' })
  whistleId: string;

  @Column({ name: 'appeal_id', type: 'uuid' })
  appealId: string;

  @Column({ name: 'department_id', type: 'uuid' })
  departmentId: string;

  @Column({ type: 'varchar', length: 8 })
  role: 'lead' | 'co';

  @Column({ name: 'summoned_at', type: 'timestamptz' })
  summonedAt: Date;

  @Column({ name: 'check_in_due_at', type: 'timestamptz' })
  checkInDueAt: Date;

  @Column({ name: 'check_in_warn_at', type: 'timestamptz', nullable: true })
  checkInWarnAt: Date | null;

  @Column({ name: 'check_in_warn_fired_at', type: 'timestamptz', nullable: true })
  checkInWarnFiredAt: Date | null;

  @Column({ name: 'check_in_overdue_fired_at', type: 'timestamptz', nullable: true })
  checkInOverdueFiredAt: Date | null;

  @Column({ name: 'checked_in_at', type: 'timestamptz', nullable: true })
  checkedInAt: Date | null;

  @Column({ name: 'checked_in_by', type: 'uuid', nullable: true })
  checkedInBy: string | null;

  @Column({ name: 'attendee_name', type: 'varchar', length: 128, nullable: true })
  attendeeName: string | null;

  @ManyToOne(() => Whistle, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'whistle_id', foreignKeyConstraintName: 'fk_whistle_departments_whistle' })
  whistle?: Whistle;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'department_id', foreignKeyConstraintName: 'fk_whistle_departments_department' })
  department?: Department;
}
