import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ParseIdPipe } from '../../infra/http/validation';
import { may } from '../appeals/appeal-routes';
import { Actor, CurrentActor, Roles } from '../auth/auth.decorators';
import { WhistleActions } from './whistle.actions';
import {
  ApproveWhistleDto,
  CheckInDto,
  CloseWhistleDto,
  CompleteCommitmentDto,
  MinutesDto,
  WhistleQuery,
  WhistleReasonDto,
} from './whistles.dto';
import { WhistlesService } from './whistles.service';

const Wid = () => Param('wid', new ParseIdPipe());

/** SPEC §12 企业吹哨、部门报到: the ledger and the whistle's steps. */
@ApiTags('whistles')
@ApiBearerAuth()
@Controller('whistles')
export class WhistlesController {
  constructor(
    private readonly whistles: WhistlesService,
    private readonly actions: WhistleActions,
  ) {}

  @Get()
  @Roles('supervisor', 'dispatcher', 'handler')
  list(@Query() q: WhistleQuery, @CurrentActor() actor: Actor) {
    return this.whistles.list(q, actor);
  }

  @Get(':wid')
  @Roles('supervisor', 'dispatcher', 'handler', 'enterprise')
  get(@Wid() wid: string, @CurrentActor() actor: Actor) {
    return this.whistles.get(wid, actor);
  }

  @Post(':wid/approve')
  @HttpCode(200)
  @may('approve_whistle')
  approve(@Wid() wid: string, @Body() dto: ApproveWhistleDto, @CurrentActor() actor: Actor) {
    return this.actions.approve(wid, dto, actor);
  }

  @Post(':wid/deny')
  @HttpCode(200)
  @may('deny_whistle')
  deny(@Wid() wid: string, @Body() dto: WhistleReasonDto, @CurrentActor() actor: Actor) {
    return this.actions.deny(wid, dto, actor);
  }

  @Post(':wid/cancel')
  @HttpCode(200)
  @may('cancel_whistle')
  cancel(@Wid() wid: string, @Body() dto: WhistleReasonDto, @CurrentActor() actor: Actor) {
    return this.actions.cancel(wid, dto, actor);
  }

  @Post(':wid/check-in')
  @HttpCode(200)
  @may('check_in_whistle')
  checkIn(@Wid() wid: string, @Body() dto: CheckInDto, @CurrentActor() actor: Actor) {
    return this.actions.checkIn(wid, dto, actor);
  }

  @Post(':wid/minutes')
  @HttpCode(200)
  @may('record_whistle_minutes')
  minutes(@Wid() wid: string, @Body() dto: MinutesDto, @CurrentActor() actor: Actor) {
    return this.actions.minutes(wid, dto, actor);
  }

  @Post(':wid/commitments/:cid/complete')
  @HttpCode(200)
  @may('complete_whistle_commitment')
  complete(
    @Wid() wid: string,
    @Param('cid', new ParseIdPipe()) cid: string,
    @Body() dto: CompleteCommitmentDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.actions.complete(wid, cid, dto, actor);
  }

  /** 销号 by a supervisor. */
  @Post(':wid/close')
  @HttpCode(200)
  @may('close_whistle')
  close(@Wid() wid: string, @Body() dto: CloseWhistleDto, @CurrentActor() actor: Actor) {
    return this.actions.close(wid, dto, actor);
  }
}
