import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { CreateDistrictDto, ListDistrictsQuery } from './districts.dto';
import { DistrictsService } from './districts.service';

/** SPEC §5.1: districts are reference data; every signed-in role reads them, admins add them. */
@ApiTags('reference data')
@ApiBearerAuth()
@Controller('districts')
export class DistrictsController {
  constructor(private readonly service: DistrictsService) {}

  @Post()
  @Roles('admin')
  create(@Body() dto: CreateDistrictDto) {
    return this.service.create(dto);
  }

  @Get()
  list(@Query() query: ListDistrictsQuery) {
    return this.service.list(query);
  }
}
