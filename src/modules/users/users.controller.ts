import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { CreateUserDto, ListUsersQuery } from './users.dto';
import { UsersService } from './users.service';

@ApiTags('reference data')
@ApiBearerAuth()
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly service: UsersService) {}

  @Post()
  create(@Body() dto: CreateUserDto) {
    return this.service.create(dto);
  }

  @Get()
  list(@Query() query: ListUsersQuery) {
    return this.service.list(query);
  }
}
