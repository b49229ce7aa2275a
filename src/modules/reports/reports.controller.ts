import { Body, Controller, Get, Headers, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError } from '../../common/domain-error';
import { Actor, CurrentActor, Roles } from '../auth/auth.decorators';
import { KNOWLEDGE_COLUMNS, meetingsCsv, reportCsv, summaryCsv, whistlesCsv } from './report-csv-views';
import {
  DistrictReportQuery,
  FilterQuery,
  MeetingsReportQuery,
  PutTargetsDto,
  RangeQuery,
  SummaryQuery,
  TrendQuery,
} from './reports.dto';
import { ReportsService } from './reports.service';

/** SPEC §5: `?format=csv` or `Accept: text/csv` answers CSV (UTF-8 with BOM). */
function wantsCsv(q: RangeQuery, accept: string | undefined): boolean {
  if (q.format) return q.format === 'csv';
  return /\btext\/csv\b/i.test(accept ?? '');
}

/**
 * Every report says where its figures were read and how old they are, in the JSON body (`freshness`)
 * and, for CSV too, in headers: X-Data-Source (primary or replica) and X-Data-Age (seconds).
 */
function stamped<T extends { freshness: { source: string; ageSeconds: number } }>(res: Response, body: T): T {
  res.setHeader('X-Data-Source', body.freshness.source);
  res.setHeader('X-Data-Age', String(body.freshness.ageSeconds));
  return body;
}

function sendCsv(res: Response, name: string, body: string): string {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
  return body;
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('summary')
  @Roles('supervisor', 'dispatcher', 'admin', 'handler')
  async summary(
    @Query() q: SummaryQuery,
    @CurrentActor() actor: Actor,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const body = stamped(res, await this.reports.summary(q, actor));
    return wantsCsv(q, accept) ? sendCsv(res, 'summary', summaryCsv(body)) : body;
  }

  @Get('departments')
  @Roles('supervisor', 'dispatcher', 'admin')
  async departments(
    @Query() q: FilterQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const body = stamped(res, await this.reports.departments(q));
    return wantsCsv(q, accept)
      ? sendCsv(
          res,
          'departments',
          reportCsv(
            ['departmentId', 'code', 'name', 'rank', 'insufficientSample', ...KNOWLEDGE_COLUMNS],
            body,
            'departments',
          ),
        )
      : body;
  }

  @Get('trend')
  @Roles('supervisor', 'dispatcher', 'admin')
  async trend(
    @Query() q: TrendQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const body = stamped(res, await this.reports.trend(q));
    return wantsCsv(q, accept) ? sendCsv(res, 'trend', reportCsv(['periodStart'], body)) : body;
  }

  /**
   * SPEC §8.1: meetings held in the period, the period's totals and one row per meeting — all of them, or
   * a page with `limit` / `cursor` (JSON only: a CSV export is whole).
   */
  @Get('meetings')
  @Roles('supervisor', 'dispatcher', 'admin')
  async meetings(
    @Query() q: MeetingsReportQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const csv = wantsCsv(q, accept);
    if (csv && (q.limit !== undefined || q.cursor !== undefined))
      throw DomainError.validation(
        'a CSV export holds every row; limit and cursor page the JSON answer',
        (['limit', 'cursor'] as const)
          .filter((k) => q[k] !== undefined)
          .map((field) => ({ field, message: 'not with CSV' })),
      );
    const body = stamped(res, await this.reports.meetings(q));
    return csv ? sendCsv(res, 'meetings', meetingsCsv(body)) : body;
  }

  /** SPEC §12: whistles requested in the period, as Heze publishes them; totals and by convening department. */
  @Get('whistles')
  @Roles('supervisor', 'dispatcher', 'admin')
  async whistles(
    @Query() q: DistrictReportQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const body = stamped(res, await this.reports.whistles(q));
    return wantsCsv(q, accept) ? sendCsv(res, 'whistles', whistlesCsv(body)) : body;
  }

  @Get('categories')
  @Roles('supervisor', 'dispatcher', 'admin')
  async categories(
    @Query() q: SummaryQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const body = stamped(res, await this.reports.categories(q));
    return wantsCsv(q, accept)
      ? sendCsv(res, 'categories', reportCsv(['categoryCode', 'name', 'share'], body, 'categories'))
      : body;
  }
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller('targets')
export class TargetsController {
  constructor(private readonly reports: ReportsService) {}

  @Get()
  @Roles('supervisor', 'dispatcher', 'admin')
  get() {
    return this.reports.targetsView();
  }

  @Put()
  @Roles('supervisor', 'admin')
  put(@Body() dto: PutTargetsDto, @CurrentActor() actor: Actor) {
    return this.reports.putTargets(dto, actor);
  }
}
