import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateBy,
  ValidateIf,
  ValidationOptions,
} from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { DELIVERY_STATUSES, DeliveryStatus } from './webhook.entity';
import { ALL_EVENTS, eventFilterProblem, WEBHOOK_EVENTS, webhookUrlProblem } from './webhook-events';

/** http(s), with a host; private and loopback hosts allowed (SPEC §5: intranet receivers), link-local and cloud metadata not. */
function IsWebhookUrl(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isWebhookUrl',
      validator: {
        validate: (value) => webhookUrlProblem(value) === null,
        defaultMessage: (args) => `url ${webhookUrlProblem(args?.value) ?? 'is not valid'}`,
      },
    },
    options,
  );
}

/** A non-empty list of SPEC §5 event actions, or exactly ["*"]. */
function IsEventFilter(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isEventFilter',
      validator: {
        validate: (value) => eventFilterProblem(value) === null,
        defaultMessage: (args) => `events ${eventFilterProblem(args?.value) ?? 'is not valid'}`,
      },
    },
    options,
  );
}

/** For PATCH: absent means unchanged; null is not a value any field can take. */
const Present = () => ValidateIf((_, value) => value !== undefined);

const EVENTS_DOC: ApiPropertyOptions = {
  description: `event actions to deliver, or ["${ALL_EVENTS}"] for all`,
  example: ['appeal.dispatched', 'appeal.closed'],
  isArray: true,
  enum: [...WEBHOOK_EVENTS, ALL_EVENTS],
};
const SECRET_DOC = {
  description: 'HMAC-SHA256 key for X-Signature; 16-256 characters; never returned',
  minLength: 16,
  maxLength: 256,
};

const CONTACT_DOC = {
  description:
    "SPEC §11: deliveries carry the filer's contact name and phone whole only when true (default false: masked, as departments see them)",
};
const CONFIDENTIAL_DOC = {
  description:
    "deliveries of confidential appeals carry the filer's enterprise and contacts only when true (default false)",
};

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://oa.example.gov.cn/hooks/zqt', maxLength: 2048 })
  @IsString()
  @MaxLength(2048)
  @IsWebhookUrl()
  url: string;

  @ApiProperty(EVENTS_DOC)
  @IsEventFilter()
  events: string[];

  @ApiProperty(SECRET_DOC)
  @IsString()
  @Length(16, 256)
  secret: string;

  @ApiPropertyOptional(CONFIDENTIAL_DOC)
  @Present()
  @IsBoolean()
  confidentialAccess?: boolean;

  @ApiPropertyOptional(CONTACT_DOC)
  @Present()
  @IsBoolean()
  contactAccess?: boolean;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ maxLength: 2048 })
  @Present()
  @IsString()
  @MaxLength(2048)
  @IsWebhookUrl()
  url?: string;

  @ApiPropertyOptional(EVENTS_DOC)
  @Present()
  @IsEventFilter()
  events?: string[];

  @ApiPropertyOptional(SECRET_DOC)
  @Present()
  @IsString()
  @Length(16, 256)
  secret?: string;

  @ApiPropertyOptional({
    description: 're-enabling clears disabledReason and retries pending deliveries now',
  })
  @Present()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional(CONFIDENTIAL_DOC)
  @Present()
  @IsBoolean()
  confidentialAccess?: boolean;

  @ApiPropertyOptional(CONTACT_DOC)
  @Present()
  @IsBoolean()
  contactAccess?: boolean;
}

export class ListDeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}
