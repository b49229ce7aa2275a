import { createHmac } from 'node:crypto';
import { sign, verify } from './signature';

describe('webhook signature', () => {
  const secret = 'a-secret-of-sixteen+';
  const body =
    '{"id":"d1","event":"appeal.closed","occurredAt":"2026-01-05T01:00:00.000Z","appeal":{"title":"贷款"}}';

  it('is sha256= and the hex HMAC-SHA256 of the raw body', () => {
    const expected = createHmac('sha256', secret).update(Buffer.from(body, 'utf8')).digest('hex');
    expect(sign(secret, body)).toBe(`sha256=${expected}`);
    expect(sign(secret, Buffer.from(body, 'utf8'))).toBe(sign(secret, body));
  });

  it('verifies its own signature, upper-case hex too', () => {
    const header = sign(secret, body);
    expect(verify(secret, body, header)).toBe(true);
    expect(verify(secret, Buffer.from(body), 'sha256=' + header.slice(7).toUpperCase())).toBe(true);
  });

  it('rejects another secret, a changed body, a re-serialised body', () => {
    const header = sign(secret, body);
    expect(verify('another-secret-of-16', body, header)).toBe(false);
    expect(verify(secret, body.replace('closed', 'opened'), header)).toBe(false);
    expect(verify(secret, JSON.stringify(JSON.parse(body), null, 2), header)).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
    ['no prefix', sign(secret, body).slice(7)],
    ['other algorithm', 'sha1=' + sign(secret, body).slice(7)],
    ['short', sign(secret, body).slice(0, -2)],
    ['long', sign(secret, body) + '00'],
    ['not hex', 'sha256=' + 'z'.repeat(64)],
  ])('rejects a malformed header (%s)', (_, header) => {
    expect(verify(secret, body, header)).toBe(false);
  });
});
