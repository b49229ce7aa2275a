import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ParseIdPipe } from '../../infra/http/validation';
import { Actor, CurrentActor, Roles } from '../auth/auth.decorators';
import { may } from '../appeals/appeal-routes';
import { PlanConfirmDto, PlanFulfilDto, PlanQuery, PlanUpdateDto } from './plans.dto';
import { PlansService } from './plans.service';

/** Planned resolutions (计划解决, SPEC §9.3): the ledger, a plan, and its steps. */
@ApiTags('plans')
@ApiBearerAuth()
@Controller('plans')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Get()
  @Roles('supervisor', 'dispatcher', 'handler', 'enterprise')
  list(@Query() q: PlanQuery, @CurrentActor() actor: Actor) {
    return this.plans.list(q, actor);
  }

  @Get(':pid')
  @Roles('supervisor', 'dispatcher', 'handler', 'enterprise')
  get(@Param('pid', new ParseIdPipe()) pid: string, @CurrentActor() actor: Actor) {
    return this.plans.get(pid, actor);
  }

  /** 进展反馈 by the plan's department → 201 with the plan. */
  @Post(':pid/updates')
  @may('update_plan')
  update(
    @Param('pid', new ParseIdPipe()) pid: string,
    @Body() dto: PlanUpdateDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.plans.update(pid, dto, actor);
  }

  @Post(':pid/fulfil')
  @HttpCode(200)
  @may('fulfil_plan')
  fulfil(
    @Param('pid', new ParseIdPipe()) pid: string,
    @Body() dto: PlanFulfilDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.plans.fulfil(pid, dto, actor);
  }

  /** The enterprise, or a dispatcher recording a phone call. */
  @Post(':pid/confirm')
  @HttpCode(200)
  @may('confirm_plan')
  confirm(
    @Param('pid', new ParseIdPipe()) pid: string,
    @Body() dto: PlanConfirmDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.plans.confirm(pid, dto, actor);
  }
}
