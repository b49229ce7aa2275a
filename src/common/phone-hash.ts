import { createHmac } from 'node:crypto';

/**
 * The keyed hash of a phone kept after its contact is anonymised (SPEC §11 retention): HMAC-SHA256 with
 * CONTACT_HASH_KEY over the phone's digits only, so `138 0013 8000` and `13800138000` hash alike. Keyed, so
 * that a list of every mobile number cannot be hashed to undo it without the key. Null for no phone, or one
 * with fewer than 5 digits.
 */
export function phoneHash(key: string, phone: string | null | undefined): string | null {
  const digits = (phone ?? '').replace(/\D/g, '');
  if (digits.length < 5) return null;
  return createHmac('sha256', key).update(digits).digest('hex');
}
