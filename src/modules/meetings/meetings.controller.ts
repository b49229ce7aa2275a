import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ParseIdPipe } from '../../infra/http/validation';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Roles } from '../auth/auth.decorators';
import { CreateMeetingDto, FileIssuesDto, ListMeetingsQuery } from './meetings.dto';
import { MeetingsService } from './meetings.service';

/** SPEC §8.1 政企恳谈会. Handlers get 403; an enterprise sees the meetings it attended. */
@ApiTags('meetings')
@ApiBearerAuth()
@Controller('meetings')
export class MeetingsController {
  constructor(private readonly meetings: MeetingsService) {}

  @Post()
  @Roles('dispatcher', 'supervisor')
  create(@Body() dto: CreateMeetingDto, @CurrentActor() actor: Actor) {
    return this.meetings.create(dto, actor);
  }

  @Get()
  @Roles('dispatcher', 'supervisor', 'admin', 'enterprise')
  list(@Query() q: ListMeetingsQuery, @CurrentActor() actor: Actor) {
    return this.meetings.list(q, actor);
  }

  @Get(':id')
  @Roles('dispatcher', 'supervisor', 'admin', 'enterprise')
  get(@Param('id', new ParseIdPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.meetings.get(id, actor);
  }

  /** 问题征集 → 任务交办: the meeting's issues filed as appeals, all or none (1–200 items). */
  @Post(':id/issues')
  @Roles('dispatcher')
  fileIssues(
    @Param('id', new ParseIdPipe()) id: string,
    @Body() dto: FileIssuesDto,
    @CurrentActor() actor: Actor,
  ) {
    return this.meetings.fileIssues(id, dto, actor);
  }
}
