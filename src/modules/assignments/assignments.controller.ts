import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ParseIdPipe } from '../../infra/http/validation';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Id, may } from '../appeals/appeal-routes';
import { Actor, CurrentActor } from '../auth/auth.decorators';
import { ActionDto, ApproveDto, ContentDto, DenyDto, ProgressDto } from '../appeals/appeals.dto';
import { AssignmentActions } from './assignment.actions';
import { DispatchDto, ExtensionDto, ReplyDto, ReturnDto } from './assignments.dto';
import { Extensions } from './extensions';
import { Returns } from './returns';

@ApiTags('assignments')
@ApiBearerAuth()
@Controller('appeals')
export class AssignmentsController {
  constructor(
    private readonly actions: AssignmentActions,
    private readonly returns: Returns,
    private readonly extensions: Extensions,
  ) {}

  @Post(':id/dispatch')
  @HttpCode(200)
  @may('dispatch')
  dispatch(@Id() id: string, @Body() dto: DispatchDto, @CurrentActor() actor: Actor) {
    return this.actions.dispatch(id, dto, actor);
  }
  @Post(':id/acknowledge')
  @HttpCode(200)
  @may('acknowledge_lead', 'acknowledge_co')
  acknowledge(@Id() id: string, @Body() dto: ActionDto, @CurrentActor() actor: Actor) {
    return this.actions.acknowledge(id, dto, actor);
  }
  @Post(':id/progress')
  @HttpCode(200)
  @may('progress')
  progress(@Id() id: string, @Body() dto: ProgressDto, @CurrentActor() actor: Actor) {
    return this.actions.progress(id, dto, actor);
  }
  @Post(':id/opinion')
  @HttpCode(200)
  @may('opinion')
  opinion(@Id() id: string, @Body() dto: ContentDto, @CurrentActor() actor: Actor) {
    return this.actions.opinion(id, dto, actor);
  }
  @Post(':id/reply')
  @HttpCode(200)
  @may('reply')
  reply(@Id() id: string, @Body() dto: ReplyDto, @CurrentActor() actor: Actor) {
    return this.actions.reply(id, dto, actor);
  }
  /** SPEC §7.1: a return request (退单申请); the centre approves or denies it. */
  @Post(':id/return')
  @HttpCode(200)
  @may('request_return')
  returnAppeal(@Id() id: string, @Body() dto: ReturnDto, @CurrentActor() actor: Actor) {
    return this.returns.request(id, dto, actor);
  }
  @Post(':id/returns/:rid/approve')
  @HttpCode(200)
  @may('approve_return_lead', 'approve_return_co')
  approveReturn(
    @Id() id: string,
    @Param('rid', new ParseIdPipe()) rid: string,
    @Body() dto: ApproveDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.returns.decide(id, rid, 'approve', dto, actor);
  }
  @Post(':id/returns/:rid/deny')
  @HttpCode(200)
  @may('deny_return')
  denyReturn(
    @Id() id: string,
    @Param('rid', new ParseIdPipe()) rid: string,
    @Body() dto: DenyDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.returns.decide(id, rid, 'deny', dto, actor);
  }
  @Post(':id/extensions')
  @may('request_extension')
  requestExtension(@Id() id: string, @Body() dto: ExtensionDto, @CurrentActor() actor: Actor) {
    return this.extensions.request(id, dto, actor);
  }
  @Post(':id/extensions/:eid/approve')
  @HttpCode(200)
  @may('approve_extension')
  approveExtension(
    @Id() id: string,
    @Param('eid', new ParseIdPipe()) eid: string,
    @Body() dto: ActionDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.extensions.decide(id, eid, 'approve', dto, actor);
  }
  @Post(':id/extensions/:eid/deny')
  @HttpCode(200)
  @may('deny_extension')
  denyExtension(
    @Id() id: string,
    @Param('eid', new ParseIdPipe()) eid: string,
    @Body() dto: DenyDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.extensions.decide(id, eid, 'deny', dto, actor);
  }
}
