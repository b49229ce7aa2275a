import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { DomainError } from '../../common/domain-error';
import { Roles } from '../auth/auth.decorators';
import { CalendarService } from './calendar.service';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(s: string, field: string): string {
  const d = new Date(`${s}T00:00:00Z`);
  if (!DATE.test(s) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s) {
    throw DomainError.validation(`${field} must be a date YYYY-MM-DD`, [
      { field, message: 'not a calendar date' },
    ]);
  }
  return s;
}

export class PutDayDto {
  @ApiProperty({
    enum: ['holiday', 'workday'],
    description: 'holiday: a day off; workday: a make-up working day (调休)',
  })
  @IsIn(['holiday', 'workday'])
  kind: 'holiday' | 'workday';

  @ApiPropertyOptional({ example: '春节' })
  @IsOptional()
  @IsString()
  @Length(0, 64)
  name?: string;
}

export class DaysQuery {
  @ApiPropertyOptional({ example: '2026-01-01' })
  @IsOptional()
  @Matches(DATE)
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31' })
  @IsOptional()
  @Matches(DATE)
  to?: string;
}

export class DeadlineQuery {
  @ApiProperty({ example: '2026-04-30T16:00:00+08:00' })
  @IsISO8601({ strict: true })
  from: string;

  @ApiProperty({ example: 'P1D', description: 'ISO 8601 duration: P1D, PT2H, PT3S, P1DT4H …' })
  @IsString()
  @Length(2, 32)
  duration: string;

  @ApiProperty({ enum: ['working', 'natural'] })
  @IsIn(['working', 'natural'])
  clock: 'working' | 'natural';
}

@ApiTags('calendar')
@ApiBearerAuth()
@Controller('calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  /** The explicit days: public holidays and make-up working days (SPEC §5). */
  @Get('days')
  list(@Query() q: DaysQuery) {
    return this.calendar.listDays(q.from && validDate(q.from, 'from'), q.to && validDate(q.to, 'to'));
  }

  /** Enter or change a day, e.g. next year's notice the day it is published. */
  @Put('days/:date')
  @Roles('admin')
  put(@Param('date') date: string, @Body() dto: PutDayDto) {
    return this.calendar.putDay(validDate(date, 'date'), dto.kind, dto.name);
  }

  @Delete('days/:date')
  @Roles('admin')
  @HttpCode(204)
  async remove(@Param('date') date: string): Promise<void> {
    await this.calendar.deleteDay(validDate(date, 'date'));
  }

  /** SPEC §3: the deadline computation itself. */
  @Get('deadline')
  deadline(@Query() q: DeadlineQuery) {
    return this.calendar.deadline(new Date(q.from), q.duration, q.clock);
  }
}
