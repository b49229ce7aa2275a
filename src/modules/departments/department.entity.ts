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

export const DEPARTMENT_KINDS = ['department', 'district'] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

/** 承办单位: a functional department or a district government (SPEC §1). */
@Entity('departments')
@Check('ck_departments_kind', `"kind" IN ('department', 'district')`)
export class Department {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('uq_departments_code', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  code: string;

  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ type: 'varchar', length: 16, default: 'department' })
  kind: DepartmentKind;

  @Index('ix_departments_parent')
  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'fk_departments_parent' })
  parent?: Department;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
