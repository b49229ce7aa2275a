import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ParseIdPipe } from '../../infra/http/validation';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Roles } from '../auth/auth.decorators';
import { CreateWebhookDto, ListDeliveriesQuery, UpdateWebhookDto } from './webhooks.dto';
import { WebhooksService } from './webhooks.service';

const Id = () => Param('id', new ParseIdPipe());

/** SPEC §5 webhooks: admin only. */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('webhooks')
@Roles('admin')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  create(@Body() dto: CreateWebhookDto, @CurrentActor() actor: Actor) {
    return this.webhooks.create(dto, actor);
  }

  @Get()
  async list() {
    return { items: await this.webhooks.list() };
  }

  @Get(':id')
  get(@Id() id: string) {
    return this.webhooks.get(id);
  }

  @Patch(':id')
  update(@Id() id: string, @Body() dto: UpdateWebhookDto) {
    return this.webhooks.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Id() id: string): Promise<void> {
    await this.webhooks.remove(id);
  }

  /** Newest first, each with its attempts. */
  @Get(':id/deliveries')
  deliveries(@Id() id: string, @Query() q: ListDeliveriesQuery) {
    return this.webhooks.deliveries(id, q);
  }
}
