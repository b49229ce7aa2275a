import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { ROLES, type Role } from './user.entity';

export const USERNAME = /^[A-Za-z0-9_.-]{3,64}$/;

export class CreateUserDto {
  @ApiProperty({ example: 'scjg_handler1' })
  @IsString()
  @Matches(USERNAME, { message: 'username must be 3-64 letters, digits, _ . or -' })
  username: string;

  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @Length(8, 128)
  password: string;

  @ApiProperty({ enum: ROLES.filter((r) => r !== 'enterprise') })
  @IsIn(ROLES.filter((r) => r !== 'enterprise'), {
    message: 'role must be dispatcher, handler, supervisor or admin (enterprises register themselves)',
  })
  role: Role;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 128)
  displayName?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'required for handlers' })
  @IsOptional()
  @IsUUID()
  departmentId?: string;
}

export class ListUsersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  departmentId?: string;
}

/** What the API shows of a user: never the password hash. */
export interface UserView {
  id: string;
  username: string;
  role: Role;
  displayName: string | null;
  departmentId: string | null;
  enterpriseId: string | null;
  active: boolean;
  createdAt: Date;
}
