import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A registered enterprise (经营主体), identified by its 统一社会信用代码. */
@Entity('enterprises')
export class Enterprise {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Index('uq_enterprises_uscc', { unique: true })
  @Column({ type: 'char', length: 18 })
  uscc: string;

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
