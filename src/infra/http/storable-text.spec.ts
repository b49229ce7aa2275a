import { storable, unstorableField, unstorablePath } from './storable-text';

describe('storable text', () => {
  it('refuses NUL and unpaired surrogates, keeps pairs and every other character', () => {
    expect(storable('政企通 ⚡😀 \t\r\n\u0001\u007f\ufffd\uffff')).toBe(true);
    expect(storable('\ud83d\ude00')).toBe(true);
    for (const bad of [
      '\u0000',
      'adm\u0000in',
      '\ud800',
      'x\ud800y',
      '\udc00',
      'a\udc00',
      '\ude00\ud83d',
      '😀\ud800',
    ])
      expect({ bad, ok: storable(bad) }).toEqual({ bad, ok: false });
  });

  it('names the first field that holds one, nested, in arrays and in keys', () => {
    expect(unstorableField({ title: 'ok', content: 'fine' })).toBeNull();
    expect(unstorableField({ title: 'ok', content: 'a\u0000' })).toBe('content');
    expect(unstorableField({ a: 'x\ud800', b: '\u0000' })).toBe('a');
    expect(unstorableField({ items: [{ title: 'ok' }, { title: 'ok', tags: ['x', '\udc00'] }] })).toBe(
      'items.1.tags.1',
    );
    expect(unstorableField({ ['ti\u0000tle']: 'x' })).toBe('ti\\u0000tle');
    expect(unstorableField('\u0000')).toBe('body');
    expect(unstorableField({ q: ['a', 'b\u0000'] })).toBe('q.1');
    expect(unstorableField([1, true, null, { n: 2 }])).toBeNull();
  });

  it('paths: decoded NUL or a segment that is not UTF-8 is refused', () => {
    expect(unstorablePath('/api/v1/appeals/8b0e1f4e-3a52-4c7e-9d7a-1c9f0e2b7a11')).toBe(false);
    expect(unstorablePath('/api/v1/calendar/days/2026-10-10%20')).toBe(false);
    expect(unstorablePath('/api/v1/x/%E6%94%BF')).toBe(false);
    expect(unstorablePath('/api/v1/calendar/days/%00')).toBe(true);
    expect(unstorablePath('/api/v1/x/a%00b')).toBe(true);
    expect(unstorablePath('/api/v1/x/%ED%A0%80')).toBe(true);
    expect(unstorablePath('/api/v1/x/%E6%94')).toBe(true);
  });
});
