import { normalizeUscc } from './uscc';

/**
 * What `GET /enterprises?q=` looks for (SPEC §5.1), pure: a dispatcher taking a call types a part of the
 * company's name, its 统一社会信用代码 (whole or its beginning) or the caller's phone (whole or its
 * beginning). Every reading of q that makes sense is tried; an enterprise matching any one is found.
 */
export interface EnterpriseSearch {
  /** ILIKE pattern for a substring of the name (%, _ and \ escaped) */
  namePattern: string;
  /** LIKE pattern for the beginning of the USCC, when q can be one (2+ characters of its alphabet) */
  usccPattern: string | null;
  /** LIKE pattern for the beginning of the contact phone's digits, when q can be one (3+ digits) */
  phonePattern: string | null;
}

const USCC_PREFIX = /^[0-9A-HJ-NPQRTUWXY]{2,18}$/;
const PHONE_PREFIX = /^\+?[0-9][0-9 -]{2,30}$/;

/** SQL: the contact phone's digits, as the phone index (ix_enterprises_phone_digits) stores them. */
export const PHONE_DIGITS_SQL = `regexp_replace(e.contact_phone, '[^0-9]', '', 'g')`;

export function enterpriseSearch(q: string): EnterpriseSearch {
  const text = q.trim();
  const uscc = normalizeUscc(text);
  const digits = text.replace(/[^0-9]/g, '');
  return {
    namePattern: `%${escapeLike(text)}%`,
    usccPattern: USCC_PREFIX.test(uscc) ? `${uscc}%` : null,
    phonePattern: PHONE_PREFIX.test(text) && digits.length >= 3 ? `${digits}%` : null,
  };
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
