import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsUUID } from 'class-validator';

/** A lead department (主办) named in a body: dispatch, routing rules. */
export const LeadDepartmentId = () => applyDecorators(ApiProperty({ format: 'uuid' }), IsUUID());

/** Co-handling departments (协办), at most 20. */
export const CoDepartmentIds = () =>
  applyDecorators(
    ApiPropertyOptional({ type: [String], format: 'uuid' }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(20),
    IsUUID('all', { each: true }),
  );
