import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ReferenceListQuery } from '../../common/pagination';
import { Roles } from '../auth/auth.decorators';
import { CreateSlaPolicyDto } from './sla.dto';
import { SlaService } from './sla.service';

@ApiTags('deadlines')
@ApiBearerAuth()
@Controller('sla-policies')
export class SlaController {
  constructor(private readonly sla: SlaService) {}

  @Post()
  @Roles('admin')
  create(@Body() dto: CreateSlaPolicyDto) {
    return this.sla.create(dto);
  }

  @Get()
  @Roles('admin', 'dispatcher', 'supervisor')
  list(@Query() query: ReferenceListQuery) {
    return this.sla.list(query);
  }
}
