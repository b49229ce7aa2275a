import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Id, may } from '../appeals/appeal-routes';
import { Actor, CurrentActor } from '../auth/auth.decorators';
import { Contacts } from './contacts';
import { LogContactDto, StagedReplyDto } from './follow-up.dto';
import { StagedReplies } from './staged-replies';

/** SPEC §9.1 first contact and §9.2 staged replies, under /appeals/{id}. */
@ApiTags('follow-up')
@ApiBearerAuth()
@Controller('appeals')
export class FollowUpController {
  constructor(
    private readonly contacts: Contacts,
    private readonly staged: StagedReplies,
  ) {}

  @Post(':id/contacts')
  @may('log_contact')
  logContact(@Id() id: string, @Body() dto: LogContactDto, @CurrentActor() actor: Actor) {
    return this.contacts.log(id, dto, actor);
  }

  @Get(':id/contacts')
  listContacts(@Id() id: string, @CurrentActor() actor: Actor) {
    return this.contacts.list(id, actor);
  }

  @Post(':id/staged-replies')
  @may('staged_reply')
  stagedReply(@Id() id: string, @Body() dto: StagedReplyDto, @CurrentActor() actor: Actor) {
    return this.staged.post(id, dto, actor);
  }

  @Get(':id/staged-replies')
  listStagedReplies(@Id() id: string, @CurrentActor() actor: Actor) {
    return this.staged.list(id, actor);
  }
}
