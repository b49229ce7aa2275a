import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Id, may } from '../appeals/appeal-routes';
import { Actor, CurrentActor } from '../auth/auth.decorators';
import { SupervisionActions } from './supervision.actions';
import { SuperviseDto } from './supervision.dto';

@ApiTags('supervision')
@ApiBearerAuth()
@Controller('appeals')
export class AppealSupervisionController {
  constructor(private readonly actions: SupervisionActions) {}

  @Post(':id/supervise')
  @HttpCode(200)
  @may('supervise')
  supervise(@Id() id: string, @Body() dto: SuperviseDto, @CurrentActor() actor: Actor) {
    return this.actions.supervise(id, dto, actor);
  }
}
