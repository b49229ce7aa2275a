import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures (SPEC §5): `X-Signature: sha256=<hex HMAC-SHA256 of the raw body with the secret>`.
 * Receivers must compute it over the bytes they received, before any JSON parsing or re-serialising.
 */
export const SIGNATURE_HEADER = 'X-Signature';
const PREFIX = 'sha256=';

/** The header value for a body: `sha256=` and 64 lower-case hex digits. */
export function sign(secret: string, body: string | Buffer): string {
  return PREFIX + createHmac('sha256', secret).update(body).digest('hex');
}

/** True when `header` is the signature of `body` under `secret`; compares in constant time. */
export function verify(secret: string, body: string | Buffer, header: string | null | undefined): boolean {
  if (typeof header !== 'string' || !header.startsWith(PREFIX)) return false;
  const hex = header.slice(PREFIX.length);
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false;
  const given = Buffer.from(hex, 'hex');
  const expected = createHmac('sha256', secret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
