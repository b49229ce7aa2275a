import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Id, may } from '../appeals/appeal-routes';
import { Actor, CurrentActor } from '../auth/auth.decorators';
import { WhistleActions } from './whistle.actions';
import { RequestWhistleDto } from './whistles.dto';

@ApiTags('whistles')
@ApiBearerAuth()
@Controller('appeals')
export class AppealWhistleController {
  constructor(private readonly actions: WhistleActions) {}

  /** 吹哨 on an open appeal → 201 with the whistle. */
  @Post(':id/whistle')
  @may('request_whistle')
  request(@Id() id: string, @Body() dto: RequestWhistleDto, @CurrentActor() actor: Actor) {
    return this.actions.request(id, dto, actor);
  }
}
