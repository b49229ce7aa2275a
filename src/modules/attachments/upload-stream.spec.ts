import { cleanFileName, contentDisposition } from './upload-stream';

describe('file names (SPEC §11 downloads)', () => {
  it('offers a Chinese name as RFC 5987 filename* with an ASCII fallback', () => {
    expect(contentDisposition('营业执照 (副本).pdf')).toBe(
      `attachment; filename="____ (__).pdf"; filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%20%28%E5%89%AF%E6%9C%AC%29.pdf`,
    );
    expect(contentDisposition('a"b\\c.pdf')).toBe(
      `attachment; filename="a_b_c.pdf"; filename*=UTF-8''a%22b%5Cc.pdf`,
    );
  });

  it('keeps only the last path segment, without control characters', () => {
    expect(cleanFileName('C:\\Users\\张三\\发票.pdf')).toBe('发票.pdf');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('a\u0000b\nc.png')).toBe('abc.png');
    expect(cleanFileName('')).toBe('file');
    expect(cleanFileName('..')).toBe('file');
    expect(Array.from(cleanFileName('长'.repeat(300)))).toHaveLength(255);
  });
});
