import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A district, county or city (行政区划) by its GB/T 2260 six-digit code: reference data (SPEC §5.1).
 * Appeals, enterprises, meetings, routing rules and the report rollups store the code; people read the
 * name beside it. Seeded for the demo city (湖州市 and its districts and counties); admins add more.
 */
@Entity('districts')
@Check('ck_districts_code', `"code" ~ '^[0-9]{6}$'`)
export class District {
  @PrimaryColumn({ type: 'varchar', length: 6, primaryKeyConstraintName: 'pk_districts' })
  code: string;

  /** Unique: a district is found by its exact name as well as by its code. */
  @Index('uq_districts_name', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  name: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
