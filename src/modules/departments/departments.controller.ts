import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ParseIdPipe } from '../../infra/http/validation';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { CreateDepartmentDto, ListDepartmentsQuery } from './departments.dto';
import { DepartmentsService } from './departments.service';

@ApiTags('reference data')
@ApiBearerAuth()
@Controller('departments')
export class DepartmentsController {
  constructor(private readonly service: DepartmentsService) {}

  @Post()
  @Roles('admin')
  create(@Body() dto: CreateDepartmentDto) {
    return this.service.create(dto);
  }

  @Get()
  list(@Query() query: ListDepartmentsQuery) {
    return this.service.list(query);
  }

  @Get(':id')
  get(@Param('id', new ParseIdPipe()) id: string) {
    return this.service.view(id);
  }
}
