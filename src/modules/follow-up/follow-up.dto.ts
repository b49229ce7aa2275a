import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length } from 'class-validator';
import { NotBlank } from '../../common/not-blank';
import { ActionDto } from '../appeals/appeals.dto';
import { AttachmentIds } from '../appeals/attachment-refs';
import {
  CONTACT_METHODS,
  CONTACT_OUTCOMES,
  ContactMethod,
  ContactOutcome,
} from './entities/contact-attempt.entity';

/** POST /appeals/{id}/contacts (SPEC §9.1): one attempt to reach the enterprise. */
export class LogContactDto extends ActionDto {
  @ApiProperty({
    enum: CONTACT_METHODS,
    description: 'three_way_call: the centre connects department and enterprise',
  })
  @IsIn(CONTACT_METHODS)
  method: ContactMethod;

  @ApiProperty({ enum: CONTACT_OUTCOMES })
  @IsIn(CONTACT_OUTCOMES)
  outcome: ContactOutcome;

  @ApiPropertyOptional({
    example: '2026-06-10T10:05:00+08:00',
    description: 'when the attempt was made (default now); neither in the future nor before the dispatch',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;

  @ApiPropertyOptional({ description: 'internal: never shown to the enterprise' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  note?: string;
}

/** POST /appeals/{id}/staged-replies (SPEC §9.2): where the case stands, told to the enterprise. */
export class StagedReplyDto extends ActionDto {
  @ApiProperty({ example: '已联系自然资源局核实用地指标，预计两周内给出初步意见。' })
  @IsString()
  @Length(2, 20000)
  @NotBlank()
  content: string;

  @ApiPropertyOptional({
    example: '2026-06-20T17:30:00+08:00',
    description: 'when the enterprise will hear next (after now)',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  nextFeedbackAt?: string;

  /** SPEC §11: files of the appeal the staged reply refers to */
  @AttachmentIds()
  attachmentIds?: string[];
}
