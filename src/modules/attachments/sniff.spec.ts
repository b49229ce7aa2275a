import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  sampleDocx,
  sampleHtml,
  sampleJpeg,
  sampleOfd,
  samplePdf,
  samplePng,
  sampleXlsx,
  sampleZip,
  zip,
} from '../../../test/setup/sample-files';
import { ACCEPTED, sniffFile, zipKind } from './sniff';

describe('sniffing the type from the content (SPEC §11)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zqt-sniff-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const sniff = async (name: string, bytes: Buffer) => {
    const path = join(dir, name);
    await writeFile(path, bytes);
    return sniffFile(path);
  };

  it.each([
    ['photo.jpg', sampleJpeg(), 'jpg'],
    ['photo.png', samplePng(), 'png'],
    ['invoice.pdf', samplePdf(), 'pdf'],
    ['notice.ofd', sampleOfd(), 'ofd'],
    ['letter.docx', sampleDocx(), 'docx'],
    ['ledger.xlsx', sampleXlsx(), 'xlsx'],
    // the name says nothing: a PDF named .png is a PDF
    ['renamed.png', samplePdf(), 'pdf'],
    ['no-extension', sampleOfd(), 'ofd'],
  ])('%s is %s', async (name, bytes, kind) => {
    expect(await sniff(name, bytes)).toEqual({ kind, mediaType: ACCEPTED[kind as keyof typeof ACCEPTED] });
  });

  it.each([
    ['HTML named .pdf', 'evil.pdf', sampleHtml()],
    ['a plain zip', 'files.zip', sampleZip()],
    ['a zip named .docx', 'files.docx', sampleZip()],
    ['OOXML without a document part', 'odd.docx', zip({ '[Content_Types].xml': '<Types/>' })],
    [
      'an executable',
      'setup.exe',
      Buffer.concat([Buffer.from('MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff', 'latin1'), Buffer.alloc(200)]),
    ],
    ['text', 'notes.txt', Buffer.from('电话 13800138000\n'.repeat(20))],
    ['a GIF', 'anim.gif', Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(50)])],
    ['a zip cut short', 'cut.docx', sampleDocx().subarray(0, 60)],
  ])('%s is refused', async (_what, name, bytes) => {
    expect(await sniff(name, bytes)).toBeNull();
  });

  it('tells zip containers apart by their entries', () => {
    expect(zipKind(['OFD.xml', 'Doc_0/Document.xml'])).toBe('ofd');
    expect(zipKind(['[Content_Types].xml', 'word/document.xml'])).toBe('docx');
    expect(zipKind(['[Content_Types].xml', 'xl/workbook.xml'])).toBe('xlsx');
    expect(zipKind(['word/document.xml'])).toBeNull();
    expect(zipKind(['Doc_0/OFD.xml'])).toBeNull();
    expect(zipKind([])).toBeNull();
  });
});
