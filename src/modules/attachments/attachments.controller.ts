import { Controller, Get, HttpCode, Param, Post, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ParseIdPipe } from '../../infra/http/validation';
import { Id, may } from '../appeals/appeal-routes';
import { Actor, CurrentActor } from '../auth/auth.decorators';
import { AttachmentsService } from './attachments.service';
import { ACCEPTED } from './sniff';
import { ATTACHMENT_PURPOSES } from './entities/attachment.entity';
import { contentDisposition } from './upload-stream';

const binary = { schema: { type: 'string', format: 'binary' } };

/** SPEC §11 evidence files. */
@ApiTags('attachments')
@ApiBearerAuth()
@Controller()
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post('appeals/:id/attachments')
  @may('add_attachment')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'JPEG, PNG, PDF, OFD, DOCX or XLSX' },
        purpose: { type: 'string', enum: [...ATTACHMENT_PURPOSES], default: 'evidence' },
      },
    },
  })
  upload(@Id() id: string, @Req() req: Request, @CurrentActor() actor: Actor) {
    return this.attachments.upload(id, req, actor);
  }

  @Get('appeals/:id/attachments')
  list(@Id() id: string, @CurrentActor() actor: Actor) {
    return this.attachments.list(id, actor);
  }

  @Get('attachments/:aid/content')
  @ApiOkResponse({
    description: '文件内容 (the file, as stored)',
    content: Object.fromEntries(Object.values(ACCEPTED).map((t) => [t, binary])),
  })
  async content(
    @Param('aid', new ParseIdPipe()) aid: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { file, body } = await this.attachments.content(aid, actor);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(body, {
      type: file.mediaType,
      length: file.size,
      disposition: contentDisposition(file.fileName),
    });
  }

  @Post('attachments/:aid/share')
  @HttpCode(200)
  @may('share_attachment')
  share(@Param('aid', new ParseIdPipe()) aid: string, @CurrentActor() actor: Actor) {
    return this.attachments.share(aid, actor);
  }
}
