import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
} from 'class-validator';
import { CoDepartmentIds, LeadDepartmentId } from '../departments/department-refs';

export class CreateRoutingRuleDto {
  @ApiProperty({ description: 'the highest priority among matching rules wins', example: 100 })
  @IsInt()
  @Min(-1_000_000)
  @Max(1_000_000)
  priority: number;

  @ApiPropertyOptional({ description: 'matches this category and every category under it', example: 'FIN' })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  categoryCode?: string;

  @ApiPropertyOptional({
    description: 'matches when any keyword occurs in the title or the content',
    example: ['贷款', '贴息'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  keywords?: string[];

  @ApiPropertyOptional({ example: '吴兴区' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  district?: string;

  @LeadDepartmentId()
  leadDepartmentId: string;

  @CoDepartmentIds()
  coDepartmentIds?: string[];

  @ApiProperty({ description: 'dispatch at once as the system, or only suggest to the dispatcher' })
  @IsBoolean()
  autoDispatch: boolean;
}

export class UpdateRoutingRuleDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(-1_000_000)
  @Max(1_000_000)
  priority?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  autoDispatch?: boolean;
}
