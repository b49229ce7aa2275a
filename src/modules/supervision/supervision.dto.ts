import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { ActionDto } from '../appeals/appeals.dto';
import {
  SUPERVISION_LEVELS,
  SUPERVISION_STATUSES,
  type SupervisionLevel,
  type SupervisionStatus,
} from '../workflow/assessment-rules';
import { NotBlank } from '../../common/not-blank';

/** SPEC §7.3: a supervisor's 催办 or 督办. */
export class SuperviseDto extends ActionDto {
  @ApiProperty()
  @IsString()
  @Length(1, 4000)
  @NotBlank()
  note: string;

  @ApiPropertyOptional({ enum: ['reminder', 'supervision'], default: 'supervision' })
  @IsOptional()
  @IsIn(['reminder', 'supervision'])
  level?: 'reminder' | 'supervision';

  @ApiPropertyOptional({ format: 'uuid', description: 'default: the lead department' })
  @IsOptional()
  @IsUUID()
  departmentId?: string;
}

export class SupervisionQuery extends PageQuery {
  @ApiPropertyOptional({ enum: SUPERVISION_STATUSES })
  @IsOptional()
  @IsIn(SUPERVISION_STATUSES)
  status?: SupervisionStatus;

  @ApiPropertyOptional({ enum: SUPERVISION_LEVELS })
  @IsOptional()
  @IsIn(SUPERVISION_LEVELS)
  level?: SupervisionLevel;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  departmentId?: string;
}

export class CloseSupervisionDto extends ActionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  note?: string;
}
