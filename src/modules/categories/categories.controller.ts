import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { CreateCategoryDto, ListCategoriesQuery } from './categories.dto';
import { CategoriesService } from './categories.service';

@ApiTags('reference data')
@ApiBearerAuth()
@Controller('categories')
export class CategoriesController {
  constructor(private readonly service: CategoriesService) {}

  @Post()
  @Roles('admin')
  create(@Body() dto: CreateCategoryDto) {
    return this.service.create(dto);
  }

  @Get()
  list(@Query() query: ListCategoriesQuery) {
    return this.service.list(query);
  }
}
