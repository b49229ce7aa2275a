import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { ReferenceListQuery } from '../../common/pagination';
import { NotBlank } from '../../common/not-blank';

const CODE = /^[A-Za-z0-9_.-]{1,32}$/;

export class CreateCategoryDto {
  @ApiProperty({ example: 'FIN.LOAN' })
  @IsString()
  @Matches(CODE, { message: 'code must be 1-32 letters, digits, _ . or -' })
  code: string;

  @ApiProperty({ example: '贷款审批' })
  @IsString()
  @Length(1, 128)
  @NotBlank()
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

export class ListCategoriesQuery extends ReferenceListQuery {
  @ApiPropertyOptional({
    description: 'only the direct children of this code (with tree: the tree under it)',
  })
  @IsOptional()
  @IsString()
  @Matches(CODE)
  parentCode?: string;

  @ApiPropertyOptional({
    description: 'the whole tree: each category with its children nested, in code order',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  tree?: boolean;
}

/** A category as the API answers it: names beside the parent's code and the default department's id. */
export interface CategoryView {
  id: string;
  code: string;
  name: string;
  parentCode: string | null;
  parentName: string | null;
  defaultDepartmentId: string | null;
  defaultDepartmentName: string | null;
  createdAt: Date;
}

/** A node of GET /categories?tree=true. */
export interface CategoryNode extends CategoryView {
  children: CategoryNode[];
}
