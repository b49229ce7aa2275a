import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ParseIdPipe } from '../../infra/http/validation';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Roles } from '../auth/auth.decorators';
import { ContentDto } from '../appeals/appeals.dto';
import { SupervisionActions } from './supervision.actions';
import { CloseSupervisionDto, SupervisionQuery } from './supervision.dto';
import { SupervisionsService } from './supervisions.service';

@ApiTags('supervision')
@ApiBearerAuth()
@Controller('supervisions')
export class SupervisionsController {
  constructor(
    private readonly supervisions: SupervisionsService,
    private readonly actions: SupervisionActions,
  ) {}

  @Get()
  @Roles('supervisor', 'dispatcher', 'handler')
  list(@Query() q: SupervisionQuery, @CurrentActor() actor: Actor) {
    return this.supervisions.list(q, actor);
  }

  /** A handler of the supervised department answers a supervision (督办) or a notice (通报). */
  @Post(':sid/answer')
  @HttpCode(200)
  @Roles('handler')
  answer(
    @Param('sid', new ParseIdPipe()) sid: string,
    @Body() dto: ContentDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.actions.answer(sid, dto, actor);
  }

  /** 销号 by a supervisor. */
  @Post(':sid/close')
  @HttpCode(200)
  @Roles('supervisor')
  close(
    @Param('sid', new ParseIdPipe()) sid: string,
    @Body() dto: CloseSupervisionDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.actions.close(sid, dto, actor);
  }
}
