import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Appeal } from '../../appeals/entities/appeal.entity';

export const ATTACHMENT_PURPOSES = ['evidence', 'supplement', 'reply', 'minutes'] as const;
export type AttachmentPurpose = (typeof ATTACHMENT_PURPOSES)[number];

/**
 * An evidence file of an appeal (SPEC §11). The bytes live in the attachment store under their SHA-256
 * and never change; this row says which appeal, under which name and type, filed by whom, and whether the
 * centre shared it with the departments (which matters on a confidential appeal only).
 */
@Entity('attachments')
@Check('ck_attachments_purpose', `"purpose" IN ('evidence','supplement','reply','minutes')`)
@Index('ix_attachments_appeal', ['appealId', 'createdAt'])
@Index('ix_attachments_sha256', ['sha256'])
export class Attachment {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_attachments' })
  id: string;

  @Column({ name: 'appeal_id', type: 'uuid' })
  appealId: string;

  /** the name the uploader gave, shown and offered as the download's name; never used to find the type */
  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName: string;

  /** read from the content (sniff.ts), never from the name */
  @Column({ name: 'media_type', type: 'varchar', length: 128 })
  mediaType: string;

  @Column({ type: 'int' })
  size: number;

  @Column({ type: 'varchar', length: 64 })
  sha256: string;

  @Column({ type: 'varchar', length: 16 })
  purpose: AttachmentPurpose;

  @Column({ name: 'uploaded_by', type: 'uuid' })
  uploadedBy: string;

  @Column({ name: 'uploader_role', type: 'varchar', length: 16 })
  uploaderRole: string;

  /** an image of a confidential appeal, stored without its EXIF, XMP and text metadata */
  @Column({ name: 'metadata_stripped', type: 'boolean', default: false })
  metadataStripped: boolean;

  /** when the centre shared the file with the departments (SPEC §11: confidential appeals) */
  @Column({ name: 'shared_at', type: 'timestamptz', nullable: true })
  sharedAt: Date | null;

  @Column({ name: 'shared_by', type: 'uuid', nullable: true })
  sharedBy: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => Appeal, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'appeal_id', foreignKeyConstraintName: 'fk_attachments_appeal' })
  appeal?: Appeal;
}
