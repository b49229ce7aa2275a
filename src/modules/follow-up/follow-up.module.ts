import { Module } from '@nestjs/common';
import { AppealsModule } from '../appeals/appeals.module';
import { AssignmentsModule } from '../assignments/assignments.module';
import { CalendarModule } from '../calendar/calendar.module';
import { Contacts } from './contacts';
import { FollowUpController } from './follow-up.controller';
import { StagedReplies } from './staged-replies';

/** What the lead owes the enterprise while the case is open (SPEC §9.1, §9.2): first contact, staged replies. */
@Module({
  imports: [AppealsModule, AssignmentsModule, CalendarModule],
  controllers: [FollowUpController],
  providers: [Contacts, StagedReplies],
})
export class FollowUpModule {}
