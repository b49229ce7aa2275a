import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  ValidateIf,
} from 'class-validator';
import { NotBlank } from '../../common/not-blank';
import { PageQuery } from '../../common/pagination';
import { ActionDto, toBool } from '../appeals/appeals.dto';
import { PLAN_STATUSES, type PlanStatus } from './entities/plan.entity';
import { AttachmentIds } from '../appeals/attachment-refs';

/** SPEC §9.3: the lead department's progress on its plan, and when it reports next. */
export class PlanUpdateDto extends ActionDto {
  @ApiProperty()
  @IsString()
  @Length(1, 20000)
  @NotBlank()
  content: string;

  @ApiProperty({ format: 'date-time', description: 'at most planFeedbackEvery from now' })
  @IsISO8601({ strict: true })
  nextFeedbackAt: string;
}

/** SPEC §9.3: the plan carried out. */
export class PlanFulfilDto extends ActionDto {
  @ApiProperty({ description: 'what was done' })
  @IsString()
  @Length(1, 20000)
  @NotBlank()
  content: string;

  /** SPEC §11: evidence of the fulfilment, files of the appeal */
  @AttachmentIds()
  attachmentIds?: string[];
}

/** SPEC §9.3: the enterprise (or a dispatcher after a phone call) confirms the plan's outcome. */
export class PlanConfirmDto extends ActionDto {
  @ApiProperty()
  @IsBoolean()
  resolved: boolean;

  @ApiPropertyOptional({ description: 'required when resolved is false (why not)' })
  @ValidateIf((o: PlanConfirmDto) => o.resolved === false || o.comment !== undefined)
  @IsDefined()
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  comment?: string;
}

export class PlanQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PLAN_STATUSES })
  @IsOptional()
  @IsIn(PLAN_STATUSES)
  status?: PlanStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  departmentId?: string;

  @ApiPropertyOptional({ description: 'true: open plans past their promise; false: the others' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  overdue?: boolean;
}
