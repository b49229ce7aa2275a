import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsOptional,
  ValidationArguments,
  IsString,
  Length,
  Matches,
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { DistrictField } from '../districts/districts.dto';
import { USERNAME } from '../users/users.dto';
import { normalizeUscc, usccProblem } from './uscc';
import { NotBlank } from '../../common/not-blank';

@ValidatorConstraint({ name: 'uscc' })
class UsccConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && usccProblem(value) === null;
  }
  defaultMessage(args?: ValidationArguments): string {
    const problem = typeof args?.value === 'string' ? usccProblem(args.value) : 'length';
    return {
      length: 'uscc must have 18 characters',
      alphabet: 'uscc uses characters outside 0-9A-HJ-NPQRTUWXY (or positions 3-8 are not digits)',
      check: 'uscc check character does not match (GB 32100-2015)',
    }[problem ?? 'check'];
  }
}

export const PHONE = /^\+?[0-9][0-9 -]{5,30}$/;

export class RegisterEnterpriseDto {
  @ApiProperty({ example: '湖州市示例科技有限公司' })
  @IsString()
  @Length(2, 200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  @ApiProperty({ example: '91330100716105852F', description: '统一社会信用代码, GB 32100-2015' })
  @IsString()
  @Transform(({ value }) => (typeof value === 'string' ? normalizeUscc(value) : value))
  @Validate(UsccConstraint)
  uscc: string;

  /** a GB/T 2260 code or the district's exact name; stored as the code (SPEC §5.1) */
  @DistrictField()
  district?: string;

  @ApiPropertyOptional({ example: '制造业' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @NotBlank()
  industry?: string;

  @ApiProperty()
  @IsString()
  @Length(1, 64)
  @NotBlank()
  contactName: string;

  @ApiProperty({ example: '13800000000' })
  @IsString()
  @Matches(PHONE, { message: 'contactPhone must be a phone number' })
  contactPhone: string;

  @ApiProperty()
  @IsString()
  @Matches(USERNAME, { message: 'username must be 3-64 letters, digits, _ . or -' })
  username: string;

  @ApiProperty({ minLength: 8 })
  @IsString()
  @Length(8, 128)
  password: string;
}

/** POST /enterprises: a caller's enterprise registered by a dispatcher, without an account (SPEC §5.1). */
export class CreateEnterpriseDto extends OmitType(RegisterEnterpriseDto, ['username', 'password'] as const) {}

export class ListEnterprisesQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'a part of the name, the USCC or its beginning, or the contact phone or its beginning',
    example: '南太湖',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'q must not be blank' })
  q?: string;
}

/** An enterprise as the API answers it: the district's name beside its code (SPEC §5.1). */
export interface EnterpriseView {
  id: string;
  name: string;
  uscc: string;
  district: string | null;
  districtName: string | null;
  industry: string | null;
  contactName: string;
  contactPhone: string;
  createdAt: Date;
}
