import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Department } from '../departments/department.entity';
import { Enterprise } from '../enterprises/enterprise.entity';

export const ROLES = ['enterprise', 'dispatcher', 'handler', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

@Entity('users')
@Check('ck_users_role', `"role" IN ('enterprise', 'dispatcher', 'handler', 'supervisor', 'admin')`)
@Check('ck_users_handler_department', `"role" <> 'handler' OR "department_id" IS NOT NULL`)
@Check('ck_users_enterprise_link', `("role" = 'enterprise') = ("enterprise_id" IS NOT NULL)`)
/** usernames are unique whatever their case (SPEC §5.1): expression index, written by hand in the migration */
@Index('uq_users_username_lower', { synchronize: false })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('uq_users_username', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  username: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ type: 'varchar', length: 16 })
  role: Role;

  @Column({ name: 'display_name', type: 'varchar', length: 128, nullable: true })
  displayName: string | null;

  @Index('ix_users_department')
  @Column({ name: 'department_id', type: 'uuid', nullable: true })
  departmentId: string | null;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'department_id', foreignKeyConstraintName: 'fk_users_department' })
  department?: Department;

  @Index('ix_users_enterprise')
  @Column({ name: 'enterprise_id', type: 'uuid', nullable: true })
  enterpriseId: string | null;

  @ManyToOne(() => Enterprise, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'enterprise_id', foreignKeyConstraintName: 'fk_users_enterprise' })
  enterprise?: Enterprise;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /**
   * Carried in every token as `ver`; raised by deactivation, a password change or reset and a change of
   * role or department, which ends every token issued before it (the guard compares it on each request).
   */
  @Column({ name: 'token_version', type: 'int', default: 0 })
  tokenVersion: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
