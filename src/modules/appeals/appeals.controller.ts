import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError } from '../../common/domain-error';
import { Actor, CurrentActor, Roles } from '../auth/auth.decorators';
import { AppealActions } from './appeal.actions';
import { Id, may } from './appeal-routes';
import {
  CreateAppealDto,
  LeaderDto,
  ListAppealsQuery,
  MergeDto,
  ReasonDto,
  ResolveDto,
  SupplementDto,
} from './appeals.dto';
import { AppealsService } from './appeals.service';

@ApiTags('appeals')
@ApiBearerAuth()
@Controller('appeals')
export class AppealsController {
  constructor(
    private readonly appeals: AppealsService,
    private readonly actions: AppealActions,
  ) {}

  @Post()
  @Roles('enterprise', 'dispatcher')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'a retry with the same key and body returns the first result (24 h)',
  })
  async file(
    @Body() dto: CreateAppealDto,
    @CurrentActor() actor: Actor,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (key !== undefined && !/^[\x21-\x7e]{1,128}$/.test(key)) {
      throw DomainError.validation('Idempotency-Key must be 1-128 visible ASCII characters', [
        { field: 'Idempotency-Key', message: 'malformed' },
      ]);
    }
    const { appeal, replayed } = await this.appeals.file(dto, actor, key);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return appeal;
  }

  @Get()
  list(@Query() q: ListAppealsQuery, @CurrentActor() actor: Actor) {
    return this.appeals.list(q, actor);
  }

  @Get(':id')
  get(@Id() id: string, @CurrentActor() actor: Actor) {
    return this.appeals.get(id, actor);
  }

  /**
   * What the caller may do on this appeal now — the buttons a desk shows. Each action is one of the
   * transition table's (docs/product.md): allowed for the caller's role in the appeal's status, and what
   * the table leaves to the services (the caller's department's open assignment, lead or co; a request
   * already pending; a fulfilled plan) holds. The windows of SPEC §7 are still checked when the action is
   * taken.
   */
  @Get(':id/actions')
  allowedActions(@Id() id: string, @CurrentActor() actor: Actor) {
    return this.appeals.allowedActions(id, actor);
  }

  @Get(':id/events')
  events(@Id() id: string, @CurrentActor() actor: Actor) {
    return this.appeals.listEvents(id, actor);
  }

  @Get(':id/events/verify')
  verify(@Id() id: string, @CurrentActor() actor: Actor) {
    return this.appeals.verify(id, actor);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @may('reject')
  reject(@Id() id: string, @Body() dto: ReasonDto, @CurrentActor() actor: Actor) {
    return this.actions.reject(id, dto, actor);
  }
  @Post(':id/resolve')
  @HttpCode(200)
  @may('resolve_on_spot')
  resolve(@Id() id: string, @Body() dto: ResolveDto, @CurrentActor() actor: Actor) {
    return this.actions.resolveOnSpot(id, dto, actor);
  }
  @Post(':id/merge')
  @HttpCode(200)
  @may('merge')
  merge(@Id() id: string, @Body() dto: MergeDto, @CurrentActor() actor: Actor) {
    return this.actions.merge(id, dto, actor);
  }
  @Post(':id/withdraw')
  @HttpCode(200)
  @may('withdraw')
  withdraw(@Id() id: string, @Body() dto: ReasonDto, @CurrentActor() actor: Actor) {
    return this.actions.withdraw(id, dto, actor);
  }
  @Post(':id/supplements')
  @HttpCode(200)
  @may('supplement')
  supplement(@Id() id: string, @Body() dto: SupplementDto, @CurrentActor() actor: Actor) {
    return this.actions.supplement(id, dto, actor);
  }
  @Post(':id/leader')
  @HttpCode(200)
  @may('assign_leader', 'instruct_leader')
  leader(@Id() id: string, @Body() dto: LeaderDto, @CurrentActor() actor: Actor) {
    return this.actions.leader(id, dto, actor);
  }
}
