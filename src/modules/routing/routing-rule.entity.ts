import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Category } from '../categories/category.entity';
import { Department } from '../departments/department.entity';

/**
 * 智能分拨规则: which department(s) an incoming appeal goes to. Every condition the rule names must
 * hold (category or one of its ancestors, any keyword in title or content, district); among matching
 * rules the highest priority wins. autoDispatch false only suggests the routing to the dispatcher.
 */
@Entity('routing_rules')
@Index('ix_routing_rules_enabled_priority', ['enabled', 'priority'])
export class RoutingRule {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'int' })
  priority: number;

  @Column({ name: 'category_code', type: 'varchar', length: 32, nullable: true })
  categoryCode: string | null;

  @Column({ type: 'jsonb' })
  keywords: string[];

  @Column({ type: 'varchar', length: 64, nullable: true })
  district: string | null;

  @Column({ name: 'lead_department_id', type: 'uuid' })
  leadDepartmentId: string;

  @Column({ name: 'co_department_ids', type: 'jsonb' })
  coDepartmentIds: string[];

  @Column({ name: 'auto_dispatch', type: 'boolean' })
  autoDispatch: boolean;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => Category, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'category_code',
    referencedColumnName: 'code',
    foreignKeyConstraintName: 'fk_routing_rules_category',
  })
  category?: Category;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'lead_department_id', foreignKeyConstraintName: 'fk_routing_rules_lead_department' })
  leadDepartment?: Department;
}
