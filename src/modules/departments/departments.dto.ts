import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { ReferenceListQuery } from '../../common/pagination';
import { DEPARTMENT_KINDS, type DepartmentKind } from './department.entity';
import { NotBlank } from '../../common/not-blank';

export class CreateDepartmentDto {
  @ApiProperty({ example: 'SJXJ', description: 'unique code, letters, digits, _ or -' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'code must be 1-32 letters, digits, _ or -' })
  code: string;

  @ApiProperty({ example: '市市场监督管理局' })
  @IsString()
  @Length(1, 128)
  @NotBlank()
  name: string;

  @ApiPropertyOptional({ enum: DEPARTMENT_KINDS, default: 'department' })
  @IsOptional()
  @IsIn(DEPARTMENT_KINDS)
  kind?: DepartmentKind;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  parentId?: string;
}

export class ListDepartmentsQuery extends ReferenceListQuery {
  @ApiPropertyOptional({ enum: DEPARTMENT_KINDS })
  @IsOptional()
  @IsIn(DEPARTMENT_KINDS)
  kind?: DepartmentKind;
}

/** A department as the API answers it: its parent's name beside the parent's id (SPEC §5.1). */
export interface DepartmentView {
  id: string;
  code: string;
  name: string;
  kind: DepartmentKind;
  parentId: string | null;
  parentName: string | null;
  createdAt: Date;
}
