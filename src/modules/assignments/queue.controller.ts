import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Roles } from '../auth/auth.decorators';
import { QueueQuery } from './assignments.dto';
import { QueueService } from './queue.service';

@ApiTags('appeals')
@ApiBearerAuth()
@Controller('queue')
export class QueueController {
  constructor(private readonly queue: QueueService) {}

  /** A handler's working queue: its department's open assignments, soonest deadline first. */
  @Get()
  @Roles('handler')
  list(@Query() q: QueueQuery, @CurrentActor() actor: Actor) {
    return this.queue.list(q, actor);
  }
}
