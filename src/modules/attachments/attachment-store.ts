import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createReadStream } from 'node:fs';
import { chmod, mkdir, readdir, rename, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { S3Config } from '../../config/app-config';

/** One stored file: its SHA-256 (the key) and when it was last written or refreshed. */
export interface StoredObject {
  sha256: string;
  modifiedAt: Date;
}

/**
 * Where evidence files live (SPEC §11), behind one interface: a directory (the default) or an
 * S3-compatible bucket (AWS S3, MinIO, Aliyun OSS). A file is stored once under its SHA-256 and never
 * changed. Uploads are staged in a local file first (AttachmentsService hashes and checks it there);
 * `put` then makes it visible whole or not at all: a rename within the directory, one PUT (which S3
 * makes visible only complete) for a bucket.
 */
export abstract class AttachmentStore {
  /**
   * Stores the staged file under its hash, consuming it. Storing a hash that is already there refreshes
   * its time (so the orphan sweep, which spares recent files, does not remove it under a new row).
   */
  abstract put(sha256: string, stagedPath: string, size: number): Promise<void>;
  /** The stored bytes, streamed; throws when absent. */
  abstract read(sha256: string): Promise<Readable>;
  abstract delete(sha256: string): Promise<void>;
  /** Every stored file. */
  abstract list(): AsyncIterable<StoredObject>;
}

const SHA256 = /^[0-9a-f]{64}$/;
function checkKey(sha256: string): void {
  // the key becomes a path or an object name: only a hash is ever one
  if (!SHA256.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
}

/** The directory store: `<dir>/objects/<first two hex>/<sha256>`, read-only once written. */
export class DirectoryStore extends AttachmentStore {
  constructor(private readonly dir: string) {
    super();
  }

  private path(sha256: string): string {
    checkKey(sha256);
    return join(this.dir, 'objects', sha256.slice(0, 2), sha256);
  }

  async put(sha256: string, stagedPath: string): Promise<void> {
    const target = this.path(sha256);
    await mkdir(join(this.dir, 'objects', sha256.slice(0, 2)), { recursive: true });
    const existing = await stat(target).catch(() => null);
    if (existing) {
      const now = new Date();
      await utimes(target, now, now);
      await unlink(stagedPath);
      return;
    }
    // staged under the same root, so this is one atomic rename: the file appears whole or not at all
    await chmod(stagedPath, 0o444);
    await rename(stagedPath, target);
  }

  async read(sha256: string): Promise<Readable> {
    const path = this.path(sha256);
    await stat(path);
    return createReadStream(path);
  }

  async delete(sha256: string): Promise<void> {
    await unlink(this.path(sha256)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }

  async *list(): AsyncIterable<StoredObject> {
    const root = join(this.dir, 'objects');
    const prefixes = await readdir(root).catch(() => [] as string[]);
    for (const prefix of prefixes) {
      for (const name of await readdir(join(root, prefix)).catch(() => [] as string[])) {
        if (!SHA256.test(name)) continue;
        const s = await stat(join(root, prefix, name)).catch(() => null);
        if (s) yield { sha256: name, modifiedAt: s.mtime };
      }
    }
  }
}

/** The S3-compatible store: object `<prefix><sha256>` in the bucket. */
export class S3Store extends AttachmentStore {
  private readonly client: S3Client;

  constructor(private readonly cfg: S3Config) {
    super();
    this.client = new S3Client({
      region: cfg.region,
      endpoint: cfg.endpoint,
      forcePathStyle: cfg.forcePathStyle,
      // the SDK's default since 2025 (CRC32 trailers, aws-chunked bodies) is not understood by every
      // S3-compatible server (older MinIO, OSS, s3rver): checksums only where an operation requires them
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      credentials:
        cfg.accessKeyId && cfg.secretAccessKey
          ? { accessKeyId: cfg.accessKeyId, secretAccessKey: cfg.secretAccessKey }
          : undefined,
    });
  }

  private key(sha256: string): string {
    checkKey(sha256);
    return `${this.cfg.prefix}${sha256}`;
  }

  async put(sha256: string, stagedPath: string, size: number): Promise<void> {
    try {
      // one PUT: the object becomes visible only once it is complete (S3's own guarantee)
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.cfg.bucket,
          Key: this.key(sha256),
          Body: createReadStream(stagedPath),
          ContentLength: size,
          ContentType: 'application/octet-stream',
        }),
      );
    } finally {
      await unlink(stagedPath).catch(() => undefined);
    }
  }

  async read(sha256: string): Promise<Readable> {
    const out = await this.client.send(
      new GetObjectCommand({ Bucket: this.cfg.bucket, Key: this.key(sha256) }),
    );
    return out.Body as Readable;
  }

  async delete(sha256: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.cfg.bucket, Key: this.key(sha256) }));
  }

  async *list(): AsyncIterable<StoredObject> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.cfg.bucket,
          Prefix: this.cfg.prefix,
          ContinuationToken: token,
        }),
      );
      for (const o of page.Contents ?? []) {
        const sha256 = (o.Key ?? '').slice(this.cfg.prefix.length);
        if (SHA256.test(sha256)) yield { sha256, modifiedAt: o.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  destroy(): void {
    this.client.destroy();
  }
}
