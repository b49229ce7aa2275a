import { sampleJpeg, samplePng } from '../../../test/setup/sample-files';
import { stripJpegMetadata, stripPngMetadata, UnreadableImage } from './strip-metadata';

const has = (b: Buffer, text: string) => b.includes(Buffer.from(text, 'latin1'));

describe('image metadata stripped byte-wise (SPEC §11 confidential appeals)', () => {
  it('drops EXIF (with GPS), XMP and comments from a JPEG and keeps every other byte in order', () => {
    const input = sampleJpeg(true);
    const out = stripJpegMetadata(input);
    expect(has(input, 'GPSLatitude')).toBe(true);
    for (const gone of ['Exif', 'GPSLatitude', 'xmpmeta', 'Zhang San']) expect(has(out, gone)).toBe(false);
    // exactly the file without those segments: the same bytes as the sample made without metadata
    expect(out.equals(sampleJpeg(false))).toBe(true);
    expect(out.subarray(-2).equals(Buffer.from([0xff, 0xd9]))).toBe(true);
  });

  it('leaves a JPEG without metadata byte for byte as it was', () => {
    const plain = sampleJpeg(false);
    expect(stripJpegMetadata(plain).equals(plain)).toBe(true);
  });

  it('keeps the scan data whole, 0xFF bytes inside it included', () => {
    const out = stripJpegMetadata(sampleJpeg(true));
    expect(out.includes(Buffer.from([0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd0, 0x78]))).toBe(true);
  });

  it('drops eXIf and text chunks from a PNG, keeping the others with their CRCs', () => {
    const input = samplePng(true);
    const out = stripPngMetadata(input);
    expect(has(input, 'eXIf')).toBe(true);
    for (const gone of ['eXIf', 'tEXt', 'GPSLatitude', '13800138000']) expect(has(out, gone)).toBe(false);
    expect(out.equals(samplePng(false))).toBe(true);
    expect(stripPngMetadata(samplePng(false)).equals(samplePng(false))).toBe(true);
  });

  it('refuses what does not parse', () => {
    expect(() => stripJpegMetadata(Buffer.from('not a jpeg'))).toThrow(UnreadableImage);
    expect(() => stripJpegMetadata(sampleJpeg(true).subarray(0, 30))).toThrow(UnreadableImage);
    expect(() => stripPngMetadata(samplePng(true).subarray(0, 40))).toThrow(UnreadableImage);
    expect(() => stripPngMetadata(Buffer.from('GIF89a'))).toThrow(UnreadableImage);
  });
});
