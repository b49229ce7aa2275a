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

  /**
   * What waits on the caller's desk, most urgent first (SPEC §5.1): a handler's department's open
   * assignments and supervisions owing an answer; the centre's new and returned appeals and pending
   * requests; the supervisors' assessment appeals and supervisions to close.
   */
  @Get()
  @Roles('handler', 'dispatcher', 'supervisor', 'admin')
  list(@Query() q: QueueQuery, @CurrentActor() actor: Actor) {
    return this.queue.list(q, actor);
  }
}
