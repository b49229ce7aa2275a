import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
import { USERNAME } from '../users/users.dto';
import { normalizeUscc, usccProblem } from './uscc';

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
  name: string;

  @ApiProperty({ example: '91330100716105852F', description: '统一社会信用代码, GB 32100-2015' })
  @IsString()
  @Transform(({ value }) => (typeof value === 'string' ? normalizeUscc(value) : value))
  @Validate(UsccConstraint)
  uscc: string;

  @ApiPropertyOptional({ example: '吴兴区' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  district?: string;

  @ApiPropertyOptional({ example: '制造业' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  industry?: string;

  @ApiProperty()
  @IsString()
  @Length(1, 64)
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

export class ListEnterprisesQuery extends PageQuery {}
