import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AppealsModule } from '../appeals/appeals.module';
import { AttachmentRefs } from '../appeals/attachment-refs';
import { AttachmentStore, DirectoryStore, S3Store } from './attachment-store';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsProcessor } from './attachments.processor';
import { AttachmentsService } from './attachments.service';

/**
 * Evidence files (SPEC §11): upload, list, download, sharing, the `attachmentIds` check of other actions
 * and the orphan sweep. The store is the directory under ATTACHMENTS_DIR, or an S3-compatible bucket
 * when S3_BUCKET is set. Global only so that the appeal room and the rooms of the loop get AttachmentRefs
 * without importing this one.
 */
@Global()
@Module({
  imports: [AppealsModule],
  controllers: [AttachmentsController],
  providers: [
    AttachmentsService,
    AttachmentsProcessor,
    {
      provide: AttachmentStore,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.attachments.s3
          ? new S3Store(config.attachments.s3)
          : new DirectoryStore(config.attachments.dir),
    },
    { provide: AttachmentRefs, useExisting: AttachmentsService },
  ],
  exports: [AttachmentsService, AttachmentRefs],
})
export class AttachmentsModule {}
