import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { PageQuery } from '../../common/pagination';

const CODE = /^[A-Za-z0-9_.-]{1,32}$/;

export class CreateCategoryDto {
  @ApiProperty({ example: 'FIN.LOAN' })
  @IsString()
  @Matches(CODE, { message: 'code must be 1-32 letters, digits, _ . or -' })
  code: string;

  @ApiProperty({ example: '贷款审批' })
  @IsString()
  @Length(1, 128)
  name: string;

  @ApiPropertyOptional({ example: 'FIN' })
  @IsOptional()
  @IsString()
  @Matches(CODE, { message: 'parentCode must be a category code' })
  parentCode?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  defaultDepartmentId?: string;
}

export class ListCategoriesQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'only the direct children of this code' })
  @IsOptional()
  @IsString()
  @Matches(CODE)
  parentCode?: string;
}
