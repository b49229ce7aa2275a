import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ParseIdPipe } from '../../infra/http/validation';
import { Actor, CurrentActor, Roles } from '../auth/auth.decorators';
import {
  CreateKnowledgeDto,
  KnowledgeReasonDto,
  ListKnowledgeQuery,
  SearchKnowledgeQuery,
  UpdateKnowledgeDto,
} from './knowledge.dto';
import { KnowledgeService } from './knowledge.service';

/**
 * SPEC §10 知识库. Handlers draft their department's entries, dispatchers the centre's and review every
 * submission; everyone reads what is published, enterprises only public entries (others are 404 to them).
 */
@ApiTags('knowledge')
@ApiBearerAuth()
@Controller('knowledge')
export class KnowledgeController {
  constructor(private readonly knowledge: KnowledgeService) {}

  @Post()
  @Roles('handler', 'dispatcher')
  create(@Body() dto: CreateKnowledgeDto, @CurrentActor() actor: Actor) {
    return this.knowledge.create(dto, actor);
  }

  @Get()
  list(@Query() q: ListKnowledgeQuery, @CurrentActor() actor: Actor) {
    return this.knowledge.list(q, actor);
  }

  /** Published entries in force by Chinese words, best first. */
  @Get('search')
  search(@Query() q: SearchKnowledgeQuery, @CurrentActor() actor: Actor) {
    return this.knowledge.search(q, actor);
  }

  @Get(':id')
  get(@Param('id', new ParseIdPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.knowledge.get(id, actor);
  }

  @Patch(':id')
  @Roles('handler', 'dispatcher')
  update(
    @Param('id', new ParseIdPipe()) id: string,
    @Body() dto: UpdateKnowledgeDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.knowledge.update(id, dto, actor);
  }

  @Get(':id/versions')
  @Roles('handler', 'dispatcher', 'supervisor', 'admin')
  versions(@Param('id', new ParseIdPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.knowledge.versions(id, actor);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Roles('handler', 'dispatcher')
  submit(@Param('id', new ParseIdPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.knowledge.submit(id, actor);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Roles('dispatcher')
  publish(@Param('id', new ParseIdPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.knowledge.publish(id, actor);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles('dispatcher')
  reject(
    @Param('id', new ParseIdPipe()) id: string,
    @Body() dto: KnowledgeReasonDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.knowledge.reject(id, dto, actor);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Roles('handler', 'dispatcher')
  withdraw(
    @Param('id', new ParseIdPipe()) id: string,
    @Body() dto: KnowledgeReasonDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.knowledge.withdraw(id, dto, actor);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @Roles('handler', 'dispatcher')
  confirm(@Param('id', new ParseIdPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.knowledge.confirm(id, actor);
  }
}
