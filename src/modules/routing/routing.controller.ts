import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ParseIdPipe } from '../../infra/http/validation';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ReferenceListQuery } from '../../common/pagination';
import { Actor, CurrentActor, Roles } from '../auth/auth.decorators';
import { CreateRoutingRuleDto, UpdateRoutingRuleDto } from './routing.dto';
import { RoutingService } from './routing.service';

@ApiTags('routing')
@ApiBearerAuth()
@Controller('routing-rules')
export class RoutingController {
  constructor(private readonly routing: RoutingService) {}

  @Post()
  @Roles('admin')
  create(@Body() dto: CreateRoutingRuleDto, @CurrentActor() actor: Actor) {
    return this.routing.createRule(dto, actor);
  }

  /** Highest priority first: the order in which rules are tried. */
  @Get()
  @Roles('admin', 'dispatcher', 'supervisor')
  list(@Query() query: ReferenceListQuery) {
    return this.routing.listRules(query);
  }

  @Patch(':id')
  @Roles('admin')
  update(@Param('id', new ParseIdPipe()) id: string, @Body() dto: UpdateRoutingRuleDto) {
    return this.routing.updateRule(id, dto);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  async remove(@Param('id', new ParseIdPipe()) id: string): Promise<void> {
    await this.routing.deleteRule(id);
  }
}
