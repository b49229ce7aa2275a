import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { ReferenceListQuery } from '../../common/pagination';
import { normalizeDistrictInput } from './gbt2260';

export class CreateDistrictDto {
  @ApiProperty({ example: '330502', description: 'GB/T 2260 six-digit code' })
  @IsString()
  @Transform(({ value }) => (typeof value === 'string' ? normalizeDistrictInput(value) : value))
  @Matches(/^[0-9]{6}$/, { message: 'code must be a GB/T 2260 six-digit code' })
  code: string;

  @ApiProperty({ example: '吴兴区' })
  @IsString()
  @Length(1, 64)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;
}

export class ListDistrictsQuery extends ReferenceListQuery {}

export interface DistrictView {
  code: string;
  name: string;
}

/**
 * A `district` field in a body or a query: a GB/T 2260 code or the district's exact name (SPEC §5.1).
 * The service resolves it to the code (DistrictsService.resolve) and refuses an unknown one with 400.
 */
export const DistrictField = () =>
  applyDecorators(
    ApiPropertyOptional({ example: '330502', description: 'GB/T 2260 code, or the exact name (吴兴区)' }),
    IsOptional(),
    IsString(),
    Length(1, 64),
  );
