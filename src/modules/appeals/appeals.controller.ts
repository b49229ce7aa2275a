import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError } from '../../common/domain-error';
import { Actor, CurrentActor, Roles } from '../auth/auth.decorators';
import { rolesFor } from '../workflow/appeal-state-machine';
import { CentreActions } from './write/centre.actions';
import { DepartmentActions } from './write/department.actions';
import { EnterpriseActions } from './write/enterprise.actions';
import { SupervisorActions } from './write/supervisor.actions';
import {
  ActionDto,
  ApproveDto,
  AssessmentAppealDto,
  ContentDto,
  CreateAppealDto,
  DenyDto,
  DispatchDto,
  ExtensionDto,
  LeaderDto,
  ListAppealsQuery,
  MergeDto,
  NoteDto,
  QueueQuery,
  ReasonDto,
  ReplyDto,
  ReturnDto,
  SuperviseDto,
  SurveyDto,
} from './appeals.dto';
import { AppealsService } from './appeals.service';

type Role = Exclude<Actor['role'], 'system'>;
/** The transition table decides who may call each action (403 for any other role). */
const may = (...actions: Parameters<typeof rolesFor>) =>
  Roles(...rolesFor(...actions).filter((r): r is Role => r !== 'system'));
const Id = () => Param('id', new ParseUUIDPipe());

@ApiTags('appeals')
@ApiBearerAuth()
@Controller('appeals')
export class AppealsController {
  constructor(
    private readonly appeals: AppealsService,
    private readonly centre: CentreActions,
    private readonly department: DepartmentActions,
    private readonly enterprise: EnterpriseActions,
    private readonly supervisor: SupervisorActions,
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

  @Get(':id/events')
  events(@Id() id: string, @CurrentActor() actor: Actor) {
    return this.appeals.listEvents(id, actor);
  }

  @Get(':id/events/verify')
  verify(@Id() id: string, @CurrentActor() actor: Actor) {
    return this.appeals.verify(id, actor);
  }

  @Post(':id/dispatch')
  @HttpCode(200)
  @may('dispatch')
  dispatch(@Id() id: string, @Body() dto: DispatchDto, @CurrentActor() actor: Actor) {
    return this.centre.dispatch(id, dto, actor);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @may('reject')
  reject(@Id() id: string, @Body() dto: ReasonDto, @CurrentActor() actor: Actor) {
    return this.centre.reject(id, dto, actor);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @may('resolve_on_spot')
  resolve(@Id() id: string, @Body() dto: ContentDto, @CurrentActor() actor: Actor) {
    return this.centre.resolveOnSpot(id, dto, actor);
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @may('acknowledge_lead', 'acknowledge_co')
  acknowledge(@Id() id: string, @Body() dto: ActionDto, @CurrentActor() actor: Actor) {
    return this.department.acknowledge(id, dto, actor);
  }

  /** SPEC §7.1: a return request (退单申请); the centre approves or denies it. */
  @Post(':id/return')
  @HttpCode(200)
  @may('request_return')
  returnAppeal(@Id() id: string, @Body() dto: ReturnDto, @CurrentActor() actor: Actor) {
    return this.department.requestReturn(id, dto, actor);
  }

  @Post(':id/returns/:rid/approve')
  @HttpCode(200)
  @may('approve_return_lead', 'approve_return_co')
  approveReturn(
    @Id() id: string,
    @Param('rid', new ParseUUIDPipe()) rid: string,
    @Body() dto: ApproveDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.centre.decideReturn(id, rid, 'approve', dto, actor);
  }

  @Post(':id/returns/:rid/deny')
  @HttpCode(200)
  @may('deny_return')
  denyReturn(
    @Id() id: string,
    @Param('rid', new ParseUUIDPipe()) rid: string,
    @Body() dto: DenyDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.centre.decideReturn(id, rid, 'deny', dto, actor);
  }

  /** SPEC §7.2: the lead department of a rated round contests the rating (考核申诉). */
  @Post(':id/assessment-appeals')
  @may('file_assessment_appeal')
  fileAssessmentAppeal(@Id() id: string, @Body() dto: AssessmentAppealDto, @CurrentActor() actor: Actor) {
    return this.department.fileAssessmentAppeal(id, dto, actor);
  }

  @Post(':id/assessment-appeals/:aid/approve')
  @HttpCode(200)
  @may('approve_assessment_appeal')
  approveAssessmentAppeal(
    @Id() id: string,
    @Param('aid', new ParseUUIDPipe()) aid: string,
    @Body() dto: ApproveDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.supervisor.decideAssessmentAppeal(id, aid, 'approve', dto, actor);
  }

  @Post(':id/assessment-appeals/:aid/deny')
  @HttpCode(200)
  @may('deny_assessment_appeal')
  denyAssessmentAppeal(
    @Id() id: string,
    @Param('aid', new ParseUUIDPipe()) aid: string,
    @Body() dto: DenyDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.supervisor.decideAssessmentAppeal(id, aid, 'deny', dto, actor);
  }

  @Post(':id/progress')
  @HttpCode(200)
  @may('progress')
  progress(@Id() id: string, @Body() dto: NoteDto, @CurrentActor() actor: Actor) {
    return this.department.progress(id, dto, actor);
  }

  @Post(':id/opinion')
  @HttpCode(200)
  @may('opinion')
  opinion(@Id() id: string, @Body() dto: ContentDto, @CurrentActor() actor: Actor) {
    return this.department.opinion(id, dto, actor);
  }

  @Post(':id/extensions')
  @may('request_extension')
  requestExtension(@Id() id: string, @Body() dto: ExtensionDto, @CurrentActor() actor: Actor) {
    return this.department.requestExtension(id, dto, actor);
  }

  @Post(':id/extensions/:eid/approve')
  @HttpCode(200)
  @may('approve_extension')
  approve(
    @Id() id: string,
    @Param('eid', new ParseUUIDPipe()) eid: string,
    @Body() dto: ActionDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.centre.decideExtension(id, eid, 'approve', dto, actor);
  }

  @Post(':id/extensions/:eid/deny')
  @HttpCode(200)
  @may('deny_extension')
  deny(
    @Id() id: string,
    @Param('eid', new ParseUUIDPipe()) eid: string,
    @Body() dto: DenyDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.centre.decideExtension(id, eid, 'deny', dto, actor);
  }

  @Post(':id/reply')
  @HttpCode(200)
  @may('reply')
  reply(@Id() id: string, @Body() dto: ReplyDto, @CurrentActor() actor: Actor) {
    return this.department.reply(id, dto, actor);
  }

  @Post(':id/survey')
  @HttpCode(200)
  @may('survey_close', 'survey_reopen', 'survey_close_reopen_limit')
  survey(@Id() id: string, @Body() dto: SurveyDto, @CurrentActor() actor: Actor) {
    return this.enterprise.survey(id, dto, actor);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @may('withdraw')
  withdraw(@Id() id: string, @Body() dto: ReasonDto, @CurrentActor() actor: Actor) {
    return this.enterprise.withdraw(id, dto, actor);
  }

  @Post(':id/merge')
  @HttpCode(200)
  @may('merge')
  merge(@Id() id: string, @Body() dto: MergeDto, @CurrentActor() actor: Actor) {
    return this.centre.merge(id, dto, actor);
  }

  @Post(':id/supervise')
  @HttpCode(200)
  @may('supervise')
  supervise(@Id() id: string, @Body() dto: SuperviseDto, @CurrentActor() actor: Actor) {
    return this.supervisor.supervise(id, dto, actor);
  }

  @Post(':id/leader')
  @HttpCode(200)
  @may('assign_leader', 'instruct_leader')
  leader(@Id() id: string, @Body() dto: LeaderDto, @CurrentActor() actor: Actor) {
    return this.supervisor.leader(id, dto, actor);
  }

  @Post(':id/supplements')
  @HttpCode(200)
  @may('supplement')
  supplement(@Id() id: string, @Body() dto: ContentDto, @CurrentActor() actor: Actor) {
    return this.enterprise.supplement(id, dto, actor);
  }
}

@ApiTags('appeals')
@ApiBearerAuth()
@Controller('queue')
export class QueueController {
  constructor(private readonly appeals: AppealsService) {}

  /** A handler's working queue: its department's open assignments, soonest deadline first. */
  @Get()
  @Roles('handler')
  queue(@Query() q: QueueQuery, @CurrentActor() actor: Actor) {
    return this.appeals.queue(q, actor);
  }
}
