/**
 * SPEC §11: an image filed on a confidential appeal is stored without its EXIF and GPS data (a photo's
 * GPS position and camera serial name the person who took it). Pure, byte-level: nothing is decoded or
 * re-encoded, the picture's bytes stay as they were.
 *
 * JPEG: APP1 segments (EXIF, which holds GPS, and XMP), APP13 (Photoshop/IPTC) and comments (COM) are
 * dropped; JFIF (APP0), ICC profiles (APP2), Adobe (APP14) and the image data are kept. An EXIF
 * orientation goes with the EXIF: a phone photo may then show turned (a known, accepted cost).
 * PNG: the eXIf chunk and the text chunks (tEXt, zTXt, iTXt) and tIME are dropped; every other chunk,
 * CRCs untouched, stays.
 * A file that does not parse as its format throws: it is not stored.
 */
export class UnreadableImage extends Error {}

const JPEG_DROP = new Set([0xe1, 0xed, 0xfe]);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_DROP = new Set(['eXIf', 'tEXt', 'zTXt', 'iTXt', 'tIME']);

export function stripJpegMetadata(input: Buffer): Buffer {
  if (input.length < 4 || input[0] !== 0xff || input[1] !== 0xd8) throw new UnreadableImage('not a JPEG');
  const out: Buffer[] = [input.subarray(0, 2)];
  let at = 2;
  while (at < input.length) {
    if (input[at] !== 0xff) throw new UnreadableImage('JPEG segment expected');
    // fill bytes: any number of 0xFF before a marker
    let m = at + 1;
    while (m < input.length && input[m] === 0xff) m++;
    if (m >= input.length) throw new UnreadableImage('JPEG ends inside a marker');
    const marker = input[m];
    // markers without a length: TEM, RSTn, SOI, EOI
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
      out.push(input.subarray(at, m + 1));
      at = m + 1;
      if (marker === 0xd9) break;
      continue;
    }
    if (m + 3 > input.length) throw new UnreadableImage('JPEG segment length missing');
    const length = input.readUInt16BE(m + 1);
    const end = m + 1 + length;
    if (length < 2 || end > input.length) throw new UnreadableImage('JPEG segment overruns the file');
    if (marker === 0xda) {
      // start of scan: the entropy-coded data and everything after it are the picture itself
      out.push(input.subarray(at));
      at = input.length;
      break;
    }
    if (!JPEG_DROP.has(marker)) out.push(input.subarray(at, end));
    at = end;
  }
  if (at < input.length) out.push(input.subarray(at));
  return Buffer.concat(out);
}

export function stripPngMetadata(input: Buffer): Buffer {
  if (input.length < 8 || !input.subarray(0, 8).equals(PNG_SIGNATURE)) throw new UnreadableImage('not a PNG');
  const out: Buffer[] = [input.subarray(0, 8)];
  let at = 8;
  while (at < input.length) {
    if (at + 12 > input.length) throw new UnreadableImage('PNG chunk header missing');
    const length = input.readUInt32BE(at);
    const type = input.toString('latin1', at + 4, at + 8);
    const end = at + 12 + length;
    if (end > input.length) throw new UnreadableImage('PNG chunk overruns the file');
    if (!PNG_DROP.has(type)) out.push(input.subarray(at, end));
    at = end;
    if (type === 'IEND') break;
  }
  return Buffer.concat(out);
}

/** The image without its metadata, by its sniffed kind; other kinds are returned as they are. */
export function stripImageMetadata(kind: string, input: Buffer): Buffer {
  if (kind === 'jpg') return stripJpegMetadata(input);
  if (kind === 'png') return stripPngMetadata(input);
  return input;
}
