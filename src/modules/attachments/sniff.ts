import { fromBuffer } from 'file-type';
import { open } from 'node:fs/promises';

/**
 * SPEC §11: what a file is, read from its content, never its name. The accepted types and the media type
 * each is stored and served as. Anything else — an archive, an executable, HTML named `.pdf` — is refused.
 */
export const ACCEPTED = {
  jpg: 'image/jpeg',
  png: 'image/png',
  pdf: 'application/pdf',
  ofd: 'application/ofd',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
export type AcceptedKind = keyof typeof ACCEPTED;

export interface Sniffed {
  kind: AcceptedKind;
  mediaType: string;
}

/** How much of the head file-type reads (its own default sample size). */
const HEAD_BYTES = 4100;
/** The end-of-central-directory record is within the last 22 + 65,535 (comment) bytes of a zip. */
const EOCD_SEARCH = 22 + 0xffff;
/** A central directory larger than this, or with more entries, is not one of our office documents. */
const MAX_CENTRAL_DIRECTORY = 4 * 1024 * 1024;
const MAX_ENTRIES = 20_000;

/**
 * The kind of a zip container from the names of its entries (the central directory): OFD (GB/T 33190: the
 * entry file `OFD.xml` at the root), DOCX (OOXML: `[Content_Types].xml` and `word/document.xml`), XLSX
 * (`[Content_Types].xml` and `xl/workbook.xml`); any other zip is not accepted. Pure.
 */
export function zipKind(names: readonly string[]): AcceptedKind | null {
  const has = new Set(names);
  if (has.has('OFD.xml')) return 'ofd';
  if (has.has('[Content_Types].xml')) {
    if (has.has('word/document.xml')) return 'docx';
    if (has.has('xl/workbook.xml')) return 'xlsx';
  }
  return null;
}

/**
 * The entry names of a zip's central directory, given the file's last bytes (`tail`, which must hold the
 * end-of-central-directory record) and a reader of any byte range. Null when it is no well-formed zip (or
 * a Zip64 one, which no accepted document needs). Pure but for `read`.
 */
export async function zipEntryNames(
  tail: Buffer,
  tailStart: number,
  read: (position: number, length: number) => Promise<Buffer>,
): Promise<string[] | null> {
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const entries = tail.readUInt16LE(eocd + 10);
  const size = tail.readUInt32LE(eocd + 12);
  const offset = tail.readUInt32LE(eocd + 16);
  if (entries === 0xffff || size === 0xffffffff || offset === 0xffffffff) return null; // Zip64
  if (size > MAX_CENTRAL_DIRECTORY || entries > MAX_ENTRIES || offset + size > tailStart + eocd) return null;
  const cd = await read(offset, size);
  if (cd.length < size) return null;
  const names: string[] = [];
  let at = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > cd.length || cd.readUInt32LE(at) !== 0x02014b50) return null;
    const nameLength = cd.readUInt16LE(at + 28);
    const extraLength = cd.readUInt16LE(at + 30);
    const commentLength = cd.readUInt16LE(at + 32);
    if (at + 46 + nameLength > cd.length) return null;
    names.push(cd.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/**
 * The kind of a file from its content: file-type reads the signature (JPEG, PNG, PDF, or a zip container),
 * and a zip is told apart by its central directory (zipKind). Null for anything not accepted.
 */
export async function sniffFile(path: string): Promise<Sniffed | null> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const read = async (position: number, length: number) => {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, position);
      return buf.subarray(0, bytesRead);
    };
    const head = await read(0, Math.min(size, HEAD_BYTES));
    const detected = await fromBuffer(head);
    if (!detected) return null;
    if (detected.ext === 'jpg' || detected.ext === 'png' || detected.ext === 'pdf')
      return { kind: detected.ext, mediaType: ACCEPTED[detected.ext] };
    if (detected.mime !== 'application/zip' && detected.ext !== 'docx' && detected.ext !== 'xlsx')
      return null;
    const tailStart = Math.max(0, size - EOCD_SEARCH);
    const names = await zipEntryNames(await read(tailStart, size - tailStart), tailStart, read);
    const kind = names && zipKind(names);
    return kind ? { kind, mediaType: ACCEPTED[kind] } : null;
  } finally {
    await fh.close();
  }
}
