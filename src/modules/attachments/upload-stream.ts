import busboy from 'busboy';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '../../common/domain-error';

/** A file received into the staging directory: hashed and counted on the way, never held in memory whole. */
export interface StagedFile {
  path: string;
  size: number;
  sha256: string;
  /** as the client named it (decoded as UTF-8), not yet cleaned */
  fileName: string;
}

export interface ReceivedUpload {
  fields: Record<string, string>;
  file: StagedFile | null;
}

/**
 * Reads a multipart/form-data request (SPEC §11: `file` and `purpose`) with busboy, streaming the one file
 * to `<stagingDir>/<random>.part` while hashing it. More than `maxBytes` → 413 PAYLOAD_TOO_LARGE with the
 * staged part deleted (the rest of the body is read and dropped, so the answer reaches the client).
 */
export async function receiveUpload(
  req: IncomingMessage,
  opts: { maxBytes: number; stagingDir: string },
): Promise<ReceivedUpload> {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(type))
    throw DomainError.validation('the body must be multipart/form-data with a file', [
      { field: 'file', message: 'required' },
    ]);
  await mkdir(opts.stagingDir, { recursive: true });
  const fields: Record<string, string> = {};
  let staged: StagedFile | null = null;
  let tooLarge = false;
  let extraFile = false;
  const writes: Promise<void>[] = [];
  let bb: busboy.Busboy;
  try {
    bb = busboy({
      headers: req.headers,
      defParamCharset: 'utf8',
      limits: { files: 2, fileSize: opts.maxBytes, fields: 10, fieldSize: 1024, parts: 12 },
    });
  } catch {
    throw DomainError.validation('the body must be multipart/form-data with a file', [
      { field: 'file', message: 'required' },
    ]);
  }
  const done = new Promise<void>((resolve, reject) => {
    bb.on('field', (name, value) => {
      fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      if (name !== 'file' || staged) {
        extraFile = true;
        stream.resume();
        return;
      }
      const path = join(opts.stagingDir, `${randomUUID()}.part`);
      const hash = createHash('sha256');
      let size = 0;
      const file: StagedFile = { path, size: 0, sha256: '', fileName: info.filename ?? '' };
      staged = file;
      stream.on('limit', () => {
        tooLarge = true;
      });
      const tap = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          size += chunk.length;
          hash.update(chunk);
          cb(null, chunk);
        },
      });
      writes.push(
        pipeline(stream, tap, createWriteStream(path, { flags: 'wx', mode: 0o600 })).then(() => {
          file.size = size;
          file.sha256 = hash.digest('hex');
        }),
      );
    });
    bb.on('close', () => resolve());
    bb.on('error', (err) => reject(err instanceof Error ? err : new Error(String(err))));
  });
  req.pipe(bb);
  try {
    await done;
    await Promise.all(writes);
  } catch {
    await discard(staged);
    throw DomainError.validation('the multipart body could not be read', [
      { field: 'file', message: 'malformed' },
    ]);
  }
  if (tooLarge) {
    await discard(staged);
    throw new DomainError('PAYLOAD_TOO_LARGE', `a file may have at most ${opts.maxBytes} bytes`, {
      maxBytes: opts.maxBytes,
    });
  }
  if (extraFile) {
    await discard(staged);
    throw DomainError.validation('send exactly one file, in the field named file', [
      { field: 'file', message: 'exactly one' },
    ]);
  }
  return { fields, file: staged };
}

export async function discard(file: StagedFile | null): Promise<void> {
  if (file) await unlink(file.path).catch(() => undefined);
}

/**
 * The uploader's file name as stored and offered back: the last path segment, without control characters,
 * at most 255 characters; `file` when nothing is left. Pure.
 */
export function cleanFileName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = Array.from(last.replace(/[\u0000-\u001f\u007f]/g, '').trim())
    .slice(0, 255)
    .join('');
  return clean === '' || clean === '.' || clean === '..' ? 'file' : clean;
}

/**
 * `Content-Disposition: attachment` with an ASCII `filename` for old clients and the real name as RFC 5987
 * `filename*=UTF-8''…` (Chinese names). Pure.
 */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
