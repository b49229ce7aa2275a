import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { ROLES, type Role } from './user.entity';
import { NotBlank } from '../../common/not-blank';

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
  @NotBlank()
  displayName?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'required for handlers' })
  @IsOptional()
  @IsUUID()
  departmentId?: string;
}

/** Present: the field was sent; null is refused unless the field allows it. */
const Sent = () => ValidateIf((_, value) => value !== undefined);

const STAFF_ROLES = ROLES.filter((r) => r !== 'enterprise');

/**
 * PATCH /users/{id} (admin): deactivate or reactivate, move to another role or department, rename. A
 * change of `active`, `role` or `departmentId` ends the user's tokens. `departmentId: null` clears it
 * (not for handlers); `displayName: null` clears the name.
 */
export class UpdateUserDto {
  @ApiPropertyOptional()
  @Sent()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ enum: STAFF_ROLES })
  @Sent()
  @IsIn(STAFF_ROLES, { message: 'role must be dispatcher, handler, supervisor or admin' })
  role?: Role;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @IsUUID()
  departmentId?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, minLength: 1, maxLength: 128 })
  @ValidateIf((_, value) => value !== undefined && value !== null)
  @IsString()
  @Length(1, 128)
  @NotBlank()
  displayName?: string | null;
}

/** POST /users/{id}/password (admin): a new password; the user's tokens end. */
export class ResetPasswordDto {
  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @Length(8, 128)
  password: string;
}

/** POST /me/password: the caller's own; its tokens end and a fresh one is returned. */
export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @Length(1, 128)
  currentPassword: string;

  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @Length(8, 128)
  newPassword: string;
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
