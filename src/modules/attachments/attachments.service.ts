import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { readFile, readdir, stat, unlink, writeFile } from 'node:fs/promises';
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { DataSource, EntityManager, In } from 'typeorm';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/domain-error';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AppealReader } from '../appeals/appeal-reader';
import { AppealWriter } from '../appeals/appeal-writer';
import { AttachmentRefs, ClaimedAttachment } from '../appeals/attachment-refs';
import { Appeal } from '../appeals/entities/appeal.entity';
import { OPEN_ASSIGNMENT_SQL } from '../assignments/entities/assignment.entity';
import type { Actor } from '../auth/auth.decorators';
import { transition } from '../workflow/appeal-state-machine';
import { AttachmentStore } from './attachment-store';
import { attachmentView, mayReadFile } from './attachment.view';
import { ATTACHMENT_PURPOSES, Attachment, AttachmentPurpose } from './entities/attachment.entity';
import { sniffFile } from './sniff';
import { stripImageMetadata, UnreadableImage } from './strip-metadata';
import { cleanFileName, discard, receiveUpload, StagedFile } from './upload-stream';

/** A stored file no committed row names is removed once it is this old (an upload still committing is younger). */
export const ORPHAN_GRACE_MS = 60 * 60 * 1000;

/**
 * Evidence files (SPEC §11): upload (staged, hashed, typed from the content, images of confidential appeals
 * stripped of their metadata, stored once under the SHA-256, then the row and `attachment.added` through
 * the writer), the list, the download, the centre's sharing, the `attachmentIds` check other actions call
 * (AttachmentRefs), and the sweep of files whose row never committed.
 */
@Injectable()
export class AttachmentsService extends AttachmentRefs {
  private readonly logger = new Logger(AttachmentsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly reader: AppealReader,
    private readonly writer: AppealWriter,
    private readonly store: AttachmentStore,
  ) {
    super();
  }

  private get stagingDir(): string {
    return join(this.config.attachments.dir, 'staging');
  }

  async upload(appealId: string, req: Request, actor: Actor) {
    // who may, before a byte is read: scope (404), role and status (403 / 409)
    const before = await this.reader.getVisible(this.db.manager, appealId, actor);
    const allowed = transition(before.status, 'add_attachment', actor.role);
    if (!allowed.ok) throw new DomainError(allowed.error, allowed.message);
    await this.assertHolder(this.db.manager, before.id, actor);

    const { fields, file } = await receiveUpload(req, {
      maxBytes: this.config.attachments.maxBytes,
      stagingDir: this.stagingDir,
    });
    try {
      const purpose = fields.purpose ?? 'evidence';
      if (!(ATTACHMENT_PURPOSES as readonly string[]).includes(purpose))
        throw DomainError.validation('purpose must be one of evidence, supplement, reply, minutes', [
          { field: 'purpose', message: 'one of evidence, supplement, reply, minutes' },
        ]);
      if (!file || file.size === 0)
        throw DomainError.validation('a non-empty file is required', [
          { field: 'file', message: 'required' },
        ]);
      const sniffed = await sniffFile(file.path);
      if (!sniffed)
        throw new DomainError(
          'UNSUPPORTED_MEDIA_TYPE',
          'only JPEG, PNG, PDF, OFD, DOCX and XLSX files are accepted',
        );
      let stripped = false;
      if (before.confidential && (sniffed.kind === 'jpg' || sniffed.kind === 'png')) {
        await this.strip(file, sniffed.kind);
        stripped = true;
      }
      await this.assertRoom(this.db.manager, appealId, file.size);
      await this.store.put(file.sha256, file.path, file.size).catch((e: unknown) => {
        this.logger.warn(`storing ${file.sha256} failed: ${(e as Error).message}`);
        throw new DomainError('SERVICE_UNAVAILABLE', 'the file store cannot be reached now; retry');
      });
      const fileName = cleanFileName(file.fileName);
      const { returns } = await this.writer.change<Attachment>(
        appealId,
        actor,
        undefined,
        async ({ m, appeal, now, allow }) => {
          allow('add_attachment');
          await this.assertHolder(m, appeal.id, actor);
          // the appeal row is locked: two uploads cannot both pass the appeal's limit
          await this.assertRoom(m, appeal.id, file.size);
          const row = m.getRepository(Attachment).create({
            id: randomUUID(),
            appealId: appeal.id,
            fileName,
            mediaType: sniffed.mediaType,
            size: file.size,
            sha256: file.sha256,
            purpose: purpose as AttachmentPurpose,
            uploadedBy: actor.id,
            uploaderRole: actor.role,
            metadataStripped: stripped,
            sharedAt: null,
            sharedBy: null,
            createdAt: now,
          });
          await m.getRepository(Attachment).insert(row);
          return {
            action: 'add_attachment',
            returns: row,
            // the hash puts the file's bytes under the appeal's hash chain; no file name (it may name a person)
            data: {
              attachmentId: row.id,
              sha256: row.sha256,
              mediaType: row.mediaType,
              size: row.size,
              purpose: row.purpose,
              ...(stripped ? { metadataStripped: true } : {}),
            },
          };
        },
      );
      return attachmentView(returns!, before, actor);
    } finally {
      await discard(file);
    }
  }

  /** Rewrites the staged image without its metadata, and re-hashes it: the stored bytes are the stripped ones. */
  private async strip(file: StagedFile, kind: 'jpg' | 'png'): Promise<void> {
    let out: Buffer;
    try {
      // images are at most ATTACHMENT_MAX_BYTES, read whole only here, on confidential appeals
      out = stripImageMetadata(kind, await readFile(file.path));
    } catch (e) {
      if (e instanceof UnreadableImage)
        throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'the image could not be read');
      throw e;
    }
    await writeFile(file.path, out);
    file.size = out.length;
    file.sha256 = createHash('sha256').update(out).digest('hex');
  }

  /** A handler adds files only while its department holds an open lead or co assignment (SPEC §11). */
  private async assertHolder(m: EntityManager, appealId: string, actor: Actor): Promise<void> {
    if (actor.role !== 'handler') return;
    const [row] = await m.query(
      `SELECT 1 FROM assignments WHERE appeal_id = $1 AND department_id = $2 AND status IN ${OPEN_ASSIGNMENT_SQL} LIMIT 1`,
      [appealId, actor.departmentId],
    );
    if (!row) throw DomainError.forbidden('only a department with an open assignment adds files');
  }

  /** SPEC §11: at most ATTACHMENT_APPEAL_MAX_BYTES (default 50 MB) of files per appeal → 413. */
  private async assertRoom(m: EntityManager, appealId: string, size: number): Promise<void> {
    const [{ total }] = await m.query(
      `SELECT coalesce(sum(size), 0)::bigint AS total FROM attachments WHERE appeal_id = $1`,
      [appealId],
    );
    const limit = this.config.attachments.appealMaxBytes;
    if (Number(total) + size > limit)
      throw new DomainError('PAYLOAD_TOO_LARGE', `an appeal may have at most ${limit} bytes of files`, {
        maxBytes: limit,
        usedBytes: Number(total),
      });
  }

  async list(appealId: string, actor: Actor) {
    const appeal = await this.reader.getVisible(this.db.manager, appealId, actor);
    const rows = await this.db
      .getRepository(Attachment)
      .find({ where: { appealId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return {
      items: rows
        .filter((a) => mayReadFile(a, appeal, actor.role))
        .map((a) => attachmentView(a, appeal, actor)),
    };
  }

  /** The file's row and its bytes, for whoever may read the appeal (and, confidential, was shared it). */
  async content(id: string, actor: Actor): Promise<{ file: Attachment; body: Readable }> {
    const { file, appeal } = await this.visible(id, actor);
    if (!mayReadFile(file, appeal, actor.role)) throw DomainError.notFound('attachment');
    const body = await this.store.read(file.sha256).catch((e: unknown) => {
      this.logger.warn(`reading ${file.sha256} failed: ${(e as Error).message}`);
      throw new DomainError('SERVICE_UNAVAILABLE', 'the file store cannot be read now; retry');
    });
    return { file, body };
  }

  /** SPEC §11: the centre shares a file of a confidential appeal with the departments; recorded as an event. */
  async share(id: string, actor: Actor) {
    const { file, appeal } = await this.visible(id, actor);
    const { returns } = await this.writer.change<Attachment>(
      appeal.id,
      actor,
      undefined,
      async ({ m, now, allow }) => {
        allow('share_attachment');
        const row = await m.getRepository(Attachment).findOneByOrFail({ id: file.id });
        if (row.sharedAt !== null) return null;
        row.sharedAt = now;
        row.sharedBy = actor.id;
        await m.getRepository(Attachment).update({ id: row.id }, { sharedAt: now, sharedBy: actor.id });
        return {
          action: 'share_attachment',
          returns: row,
          data: { attachmentId: row.id, sha256: row.sha256 },
        };
      },
    );
    const row = returns ?? (await this.db.getRepository(Attachment).findOneByOrFail({ id }));
    return attachmentView(row, appeal, actor);
  }

  private async visible(id: string, actor: Actor): Promise<{ file: Attachment; appeal: Appeal }> {
    const file = await this.db.getRepository(Attachment).findOneBy({ id });
    if (!file) throw DomainError.notFound('attachment');
    try {
      return { file, appeal: await this.reader.getVisible(this.db.manager, file.appealId, actor) };
    } catch (e) {
      // outside the caller's scope the file does not exist either (SPEC §1)
      if (e instanceof DomainError && e.code === 'NOT_FOUND') throw DomainError.notFound('attachment');
      throw e;
    }
  }

  /** AttachmentRefs: every id must name a file of this appeal (SPEC §11 attachmentIds), else 400. */
  async claim(
    m: EntityManager,
    appealId: string,
    ids: readonly string[] | undefined,
    _purpose: AttachmentPurpose,
  ): Promise<ClaimedAttachment[]> {
    if (!ids || ids.length === 0) return [];
    const rows = await m.getRepository(Attachment).find({
      where: { id: In([...ids]), appealId },
      select: { id: true, sha256: true, mediaType: true },
      lock: { mode: 'pessimistic_read' },
    });
    const found = new Map(rows.map((r) => [r.id, r]));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0)
      throw DomainError.validation('attachmentIds must name files of this appeal', [
        { field: 'attachmentIds', message: 'must name files of this appeal' },
      ]);
    return ids.map((id) => {
      const r = found.get(id)!;
      return { id: r.id, sha256: r.sha256, mediaType: r.mediaType };
    });
  }

  /**
   * The maintenance sweep: stored files that no attachment row names and that are older than the grace
   * period (an upload whose transaction rolled back, or a process that died between storing and
   * committing), and staged parts left by an interrupted upload. Returns how many files it removed.
   */
  async sweepOrphans(now = this.clock.now()): Promise<number> {
    const cutoff = now.getTime() - ORPHAN_GRACE_MS;
    let removed = 0;
    let batch: string[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const named: { sha256: string }[] = await this.db.query(
        `SELECT DISTINCT sha256 FROM attachments WHERE sha256 = ANY($1)`,
        [batch],
      );
      const keep = new Set(named.map((r) => r.sha256));
      for (const sha of batch.filter((s) => !keep.has(s))) {
        await this.store.delete(sha);
        removed++;
      }
      batch = [];
    };
    for await (const o of this.store.list()) {
      if (o.modifiedAt.getTime() > cutoff) continue;
      batch.push(o.sha256);
      if (batch.length >= 500) await flush();
    }
    await flush();
    for (const name of await readdir(this.stagingDir).catch(() => [] as string[])) {
      const path = join(this.stagingDir, name);
      const s = await stat(path).catch(() => null);
      if (s && s.mtime.getTime() <= cutoff) {
        await unlink(path).catch(() => undefined);
        removed++;
      }
    }
    if (removed > 0) this.logger.log(`removed ${removed} orphaned attachment file(s)`);
    return removed;
  }
}
