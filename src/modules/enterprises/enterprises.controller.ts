import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ParseIdPipe } from '../../infra/http/validation';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Public, Roles } from '../auth/auth.decorators';
import { CreateEnterpriseDto, ListEnterprisesQuery, RegisterEnterpriseDto } from './enterprises.dto';
import { RegistrationLimit } from '../../infra/http/throttle.guard';
import { EnterprisesService } from './enterprises.service';

@ApiTags('enterprises')
@Controller('enterprises')
export class EnterprisesController {
  constructor(private readonly service: EnterprisesService) {}

  /** Public, with its own stricter limit per client address (REGISTRATIONS_PER_HOUR). */
  @Public()
  @RegistrationLimit()
  @Post('register')
  register(@Body() dto: RegisterEnterpriseDto) {
    return this.service.register(dto);
  }

  /** SPEC §5.1: a dispatcher registers a caller's enterprise (no account) to file for it. */
  @ApiBearerAuth()
  @Roles('dispatcher')
  @Post()
  create(@Body() dto: CreateEnterpriseDto) {
    return this.service.create(dto);
  }

  /** The centre finds an enterprise by name, USCC or contact phone (`q`); enterprises and handlers get 403. */
  @ApiBearerAuth()
  @Roles('dispatcher', 'supervisor', 'admin')
  @Get()
  list(@Query() query: ListEnterprisesQuery) {
    return this.service.list(query);
  }

  @ApiBearerAuth()
  @Roles('enterprise', 'dispatcher', 'supervisor', 'admin')
  @Get(':id')
  get(@Param('id', new ParseIdPipe()) id: string, @CurrentActor() actor: Actor) {
    return this.service.get(id, actor);
  }
}
