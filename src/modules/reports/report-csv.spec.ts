import { BOM, bilingual, csvCell, toCsv } from './report-csv';

describe('report CSV (RFC 4180, UTF-8 with BOM)', () => {
  it('quotes commas, quotes and newlines; null is empty; numbers at full precision', () => {
    expect(csvCell('市经信局')).toBe('市经信局');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line1\nline2')).toBe('"line1\nline2"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(2 / 3)).toBe('0.6666666666666666');
    expect(csvCell(true)).toBe('true');
  });

  it('neutralises text a spreadsheet would run as a formula; numbers, negative ones too, stay numbers', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    for (const lead of ['=', '+', '-', '@', '\t']) expect(csvCell(`${lead}1+1`)).toBe(`'${lead}1+1`);
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvCell(-0.5)).toBe('-0.5');
    expect(csvCell('市场监管局')).toBe('市场监管局');
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('starts with a BOM, ends lines with CRLF, headers in Chinese and English', () => {
    const csv = toCsv([bilingual('closureRate'), bilingual('met.satisfactionRate')], [[0.5, false]]);
    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv).toBe(`${BOM}办结率 closureRate,达标·满意率 satisfactionRateMet\r\n0.5,false\r\n`);
  });
});
