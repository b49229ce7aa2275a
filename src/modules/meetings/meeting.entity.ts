import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Department } from '../departments/department.entity';
import { Enterprise } from '../enterprises/enterprise.entity';
import { User } from '../users/user.entity';

/** 政企恳谈会: a meeting of the government with enterprises, whose issues are filed as appeals (SPEC §8.1). */
@Entity('meetings')
@Check('ck_meetings_attendee_count', `"attendee_count" >= 0`)
@Index('ix_meetings_held', ['heldAt', 'id'])
export class Meeting {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ name: 'held_at', type: 'timestamptz' })
  heldAt: Date;

  @Column({ type: 'varchar', length: 64, nullable: true })
  district: string | null;

  @Column({ name: 'host_department_id', type: 'uuid', nullable: true })
  hostDepartmentId: string | null;

  @Column({ name: 'leader_name', type: 'varchar', length: 64, nullable: true })
  leaderName: string | null;

  /** People who came (entrepreneurs); the number of enterprises when not given. */
  @Column({ name: 'attendee_count', type: 'int' })
  attendeeCount: number;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'host_department_id', foreignKeyConstraintName: 'fk_meetings_host_department' })
  hostDepartment?: Department;

  @ManyToOne(() => User, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'fk_meetings_created_by' })
  creator?: User;
}

/**
 * An enterprise that attended a meeting, with the meeting's heldAt and district and the heldAt of the
 * enterprise's previous attendance (over all meetings, and within that district) in (heldAt, meetingId)
 * order: an enterprise attended in [from, to) exactly when one of its attendances there has no previous
 * one before `from` (the meetings report's distinct attending enterprises, counted without grouping).
 * MeetingsService.create keeps the chain whole.
 */
@Entity('meeting_enterprises')
@Index('ix_meeting_enterprises_enterprise', ['enterpriseId'])
@Index('ix_meeting_enterprises_held', { synchronize: false })
@Index('ix_meeting_enterprises_district_held', { synchronize: false })
export class MeetingEnterprise {
  @PrimaryColumn({ name: 'meeting_id', type: 'uuid' })
  meetingId: string;

  @PrimaryColumn({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @Column({ name: 'held_at', type: 'timestamptz' })
  heldAt: Date;

  @Column({ type: 'varchar', length: 64, nullable: true })
  district: string | null;

  @Column({ name: 'prev_held_at', type: 'timestamptz', nullable: true })
  prevHeldAt: Date | null;

  @Column({ name: 'prev_held_at_in_district', type: 'timestamptz', nullable: true })
  prevHeldAtInDistrict: Date | null;

  @ManyToOne(() => Meeting, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'meeting_id', foreignKeyConstraintName: 'fk_meeting_enterprises_meeting' })
  meeting?: Meeting;

  @ManyToOne(() => Enterprise, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'enterprise_id', foreignKeyConstraintName: 'fk_meeting_enterprises_enterprise' })
  enterprise?: Enterprise;
}
