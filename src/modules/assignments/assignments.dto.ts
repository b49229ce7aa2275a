import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayUnique,
  IsBoolean,
  IsDefined,
  IsIn,
  IsISO8601,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { ActionDto, ReasonDto, toBool } from '../appeals/appeals.dto';
import { REPLY_OUTCOMES, ReplyOutcome } from '../appeals/entities/appeal.entity';
import { CoDepartmentIds, LeadDepartmentId } from '../departments/department-refs';
import { type AssignmentStatus, OPEN_ASSIGNMENT } from './entities/assignment.entity';
import { NotBlank } from '../../common/not-blank';
import { AttachmentIds } from '../appeals/attachment-refs';

export class DispatchDto extends ActionDto {
  @LeadDepartmentId()
  leadDepartmentId: string;

  @CoDepartmentIds()
  @ArrayUnique()
  coDepartmentIds?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  note?: string;
}

/** SPEC §7.1: a return request, with the department the caller thinks the case belongs to. */
export class ReturnDto extends ReasonDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'the department that should handle it instead' })
  @IsOptional()
  @IsUUID()
  suggestedDepartmentId?: string;
}

export class ExtensionDto extends ActionDto {
  @ApiProperty({ minimum: 1, maximum: 60, description: 'more working days' })
  @IsInt()
  @Min(1)
  @Max(60)
  days: number;

  @ApiProperty()
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  reason: string;
}

/** SPEC §9.3: the plan of a planned reply (计划解决). */
export class PlanDto {
  @ApiProperty({ description: 'what will be done, by whom, in which steps' })
  @IsString()
  @Length(1, 20000)
  @NotBlank()
  content: string;

  @ApiProperty({
    format: 'date-time',
    description: 'the date promised; at most planMaxWithin after the reply',
  })
  @IsISO8601({ strict: true })
  promisedBy: string;

  @ApiProperty({ format: 'date-time', description: 'the next feedback; at most planFeedbackEvery from now' })
  @IsISO8601({ strict: true })
  nextFeedbackAt: string;
}

export class ReplyDto extends ActionDto {
  @ApiProperty()
  @IsString()
  @Length(1, 20000)
  @NotBlank()
  content: string;

  @ApiProperty({ enum: REPLY_OUTCOMES })
  @IsIn(REPLY_OUTCOMES)
  outcome: ReplyOutcome;

  @ApiPropertyOptional({ type: PlanDto, description: 'required with outcome planned, refused otherwise' })
  @ValidateIf((o: ReplyDto) => o.outcome === 'planned' || o.plan !== undefined)
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PlanDto)
  plan?: PlanDto;
  @AttachmentIds()
  attachmentIds?: string[];
}

export class QueueQuery extends PageQuery {
  @ApiPropertyOptional({ enum: OPEN_ASSIGNMENT })
  @IsOptional()
  @IsIn(OPEN_ASSIGNMENT)
  status?: Extract<AssignmentStatus, 'dispatched' | 'in_progress'>;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({
    description: 'what falls due by then: a date means the end of that local day, an instant stays as it is',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  dueBefore?: string;
}
