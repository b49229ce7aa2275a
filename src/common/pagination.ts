import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { DomainError } from './domain-error';

/** The `limit` of a page: 1–100, a number from the query string. */
export function PageLimit(doc: { default?: number; description?: string } = { default: 20 }) {
  return applyDecorators(
    ApiPropertyOptional({ minimum: 1, maximum: 100, ...doc }),
    IsOptional(),
    Transform(({ value }) => (/^\d+$/.test(String(value)) ? Number(value) : value)),
    IsInt(),
    Min(1),
    Max(100),
  );
}

/** The `cursor` of a page: the opaque `nextCursor` of the previous one. */
export function PageCursor(description = 'opaque cursor from the previous page') {
  return applyDecorators(ApiPropertyOptional({ description }), IsOptional(), IsString(), MaxLength(512));
}

/** SPEC §5 lists: ?limit= (default 20, max 100) and an opaque cursor. */
export class PageQuery {
  @PageLimit()
  limit?: number;

  @PageCursor()
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A keyset position, serialised as base64url JSON so clients treat it as opaque. */
export function encodeCursor(position: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor<K extends string>(
  cursor: string | undefined,
  keys: K[],
): Record<K, string> | null {
  if (cursor === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw DomainError.validation('cursor is not valid', [{ field: 'cursor', message: 'malformed cursor' }]);
  }
  if (typeof parsed !== 'object' || parsed === null) {
    throw DomainError.validation('cursor is not valid', [{ field: 'cursor', message: 'malformed cursor' }]);
  }
  const out = {} as Record<K, string>;
  for (const k of keys) {
    const v = (parsed as Record<string, unknown>)[k];
    if (typeof v !== 'string' && typeof v !== 'number') {
      throw DomainError.validation('cursor is not valid', [{ field: 'cursor', message: 'malformed cursor' }]);
    }
    out[k] = String(v);
  }
  return out;
}

/** Takes limit+1 rows, returns a page and the cursor to the next one. */
export function toPage<T>(
  rows: T[],
  limit: number,
  positionOf: (row: T) => Record<string, string | number>,
): Page<T> {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  return { items, nextCursor: hasMore ? encodeCursor(positionOf(items[items.length - 1])) : null };
}

/** Most rows one page of a reference list carries (SPEC §5.1). */
export const REFERENCE_LIST_MAX = 1000;

/**
 * SPEC §5.1 "reference lists are whole": departments, categories, districts, SLA policies and routing
 * rules are small, so their GET answers every row unless `limit` (1–1000) asks for pages; the shape
 * stays SPEC §5's `{items, nextCursor}` (nextCursor null when every row is in).
 */
export class ReferenceListQuery {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: REFERENCE_LIST_MAX,
    description: 'rows per page; absent: every row in one answer',
  })
  @IsOptional()
  @Transform(({ value }) => (/^\d+$/.test(String(value)) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(REFERENCE_LIST_MAX)
  limit?: number;

  @ApiPropertyOptional({ description: 'opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

/** A keyset page of a reference list: every row when no limit was asked for. */
export function toReferencePage<T>(
  rows: T[],
  limit: number | undefined,
  positionOf: (row: T) => Record<string, string | number>,
): Page<T> {
  return limit === undefined ? { items: rows, nextCursor: null } : toPage(rows, limit, positionOf);
}
