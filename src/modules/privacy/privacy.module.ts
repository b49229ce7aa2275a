import { Module } from '@nestjs/common';
import { AppealsModule } from '../appeals/appeals.module';
import { ContactsService } from './contacts.service';
import { PrivacyController } from './privacy.controller';
import { PrivacyProcessor } from './privacy.processor';

/** Personal data (SPEC §11): the audited contact reveal and the contact retention job. */
@Module({
  imports: [AppealsModule],
  controllers: [PrivacyController],
  providers: [ContactsService, PrivacyProcessor],
  exports: [ContactsService],
})
export class PrivacyModule {}
