import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ParseIdPipe } from '../../infra/http/validation';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { CreateUserDto, ListUsersQuery, UpdateUserDto } from './users.dto';
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

  /** Deactivate or reactivate, change role or department, rename (SPEC §5 accounts; resetting a password is AuthController's). */
  @Patch(':id')
  update(@Param('id', new ParseIdPipe()) id: string, @Body() dto: UpdateUserDto) {
    return this.service.update(id, dto);
  }

  @Get()
  list(@Query() query: ListUsersQuery) {
    return this.service.list(query);
  }
}
