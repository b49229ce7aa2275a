import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Id, may } from '../appeals/appeal-routes';
import { Actor, CurrentActor, Roles } from '../auth/auth.decorators';
import { ContactsService } from './contacts.service';

/** SPEC §11 personal data: the audited reveal of a filer's contact, and the retention ledger. */
@ApiTags('privacy')
@ApiBearerAuth()
@Controller()
export class PrivacyController {
  constructor(private readonly contacts: ContactsService) {}

  @Get('appeals/:id/contact')
  @may('reveal_contact')
  reveal(@Id() id: string, @CurrentActor() actor: Actor) {
    return this.contacts.reveal(id, actor);
  }

  @Get('retention')
  @Roles('admin')
  retention() {
    return this.contacts.status();
  }
}
