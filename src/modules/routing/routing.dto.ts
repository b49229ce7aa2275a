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
import { DistrictField } from '../districts/districts.dto';

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

  /** a GB/T 2260 code or the district's exact name; stored as the code */
  @DistrictField()
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

/** A routing rule as the API answers it: names beside its department ids, category and district codes. */
export interface RoutingRuleView {
  id: string;
  priority: number;
  categoryCode: string | null;
  categoryName: string | null;
  keywords: string[];
  district: string | null;
  districtName: string | null;
  leadDepartmentId: string;
  leadDepartmentName: string | null;
  coDepartmentIds: string[];
  coDepartments: { id: string; name: string | null }[];
  autoDispatch: boolean;
  enabled: boolean;
  createdBy: string | null;
  createdAt: Date;
}
