import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsOptional, IsUUID } from 'class-validator';
import type { EntityManager } from 'typeorm';

/** An evidence file an action names (`attachmentIds`), as its event records it: no file name, only what identifies the bytes. */
export interface ClaimedAttachment {
  id: string;
  sha256: string;
  mediaType: string;
}

/**
 * SPEC §11: reply, supplement, staged-reply, plan and minutes bodies may name `attachmentIds`. Any action
 * that takes them calls `claim` inside its own transaction (the writer's step `m`): every id must name a
 * file of that appeal, else 400 VALIDATION_FAILED naming `attachmentIds`; the files are locked against
 * removal for the transaction and returned in the order given, for the action's event data. The
 * attachments room provides it (as the assignments room provides AssignmentRelease), so the appeal room
 * and the rooms of the loop use it without importing that room.
 */
export abstract class AttachmentRefs {
  abstract claim(
    m: EntityManager,
    appealId: string,
    ids: readonly string[] | undefined,
    purpose: 'evidence' | 'supplement' | 'reply' | 'minutes',
  ): Promise<ClaimedAttachment[]>;
}

/** The `attachmentIds` field of an action body (SPEC §11): up to 20 distinct file ids, checked by claim(). */
export const AttachmentIds = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: [String],
      format: 'uuid',
      description: 'files of this appeal (POST /appeals/{id}/attachments) the action refers to',
    }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(20),
    ArrayUnique(),
    IsUUID('all', { each: true }),
  );
