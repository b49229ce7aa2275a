import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ParseIdPipe } from '../../infra/http/validation';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import { UsersService } from '../users/users.service';
import { Actor, CurrentActor, Public, Roles } from './auth.decorators';
import { ChangePasswordDto, ResetPasswordDto } from '../users/users.dto';
import { LoginDto } from './auth.dto';
import { AuthService } from './auth.service';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  /** Stricter than the general limit: 30 attempts a minute from one address, on top of the per-username lockout. */
  @Public()
  @Throttle({ default: { limit: 30, ttl: 60_000 } })
  @Post('auth/login')
  @HttpCode(200)
  login(@Body() dto: LoginDto) {
    return this.auth.login(dto.username, dto.password);
  }

  /** The caller's own password: every earlier token ends; the answer carries a fresh one. */
  @ApiBearerAuth()
  @Post('me/password')
  @HttpCode(200)
  changePassword(@CurrentActor() actor: Actor, @Body() dto: ChangePasswordDto) {
    return this.auth.changeOwnPassword(actor, dto.currentPassword, dto.newPassword);
  }

  /** An admin sets a user's password: the user's tokens end and a login lockout is lifted. */
  @ApiBearerAuth()
  @ApiTags('reference data')
  @Roles('admin')
  @Post('users/:id/password')
  @HttpCode(200)
  resetPassword(@Param('id', new ParseIdPipe()) id: string, @Body() dto: ResetPasswordDto) {
    return this.auth.resetPassword(id, dto.password);
  }

  @ApiBearerAuth()
  @Get('me')
  me(@CurrentActor() actor: Actor) {
    return this.users.get(actor.id);
  }
}
