import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A registered enterprise (经营主体), identified by its 统一社会信用代码. */
@Entity('enterprises')
/** GET /enterprises?q= (SPEC §5.1): expression and operator-class indexes, written by hand in the migration */
@Index('ix_enterprises_name_trgm', { synchronize: false })
@Index('ix_enterprises_uscc_prefix', { synchronize: false })
@Index('ix_enterprises_phone_digits', { synchronize: false })
export class Enterprise {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Index('uq_enterprises_uscc', { unique: true })
  @Column({ type: 'char', length: 18 })
  uscc: string;

  /** GB/T 2260 code of its district (SPEC §5.1) */
  @Column({ type: 'varchar', length: 64, nullable: true })
  district: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  industry: string | null;

  @Column({ name: 'contact_name', type: 'varchar', length: 64 })
  contactName: string;

  @Column({ name: 'contact_phone', type: 'varchar', length: 32 })
  contactPhone: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
