import { NAME_LABELS, TARGET_PREFIX, zhLabel } from './metric-labels';

/** CSV for the reports (RFC 4180), UTF-8 with a BOM so Excel opens the Chinese headers correctly. */

export const BOM = '\uFEFF';

export type Cell = string | number | boolean | null | undefined;

/**
 * Quotes a cell when it holds a comma, a quote, CR or LF; quotes inside are doubled. null → empty.
 * A text cell that a spreadsheet would read as a formula (it begins with =, +, -, @, a tab or a CR) is
 * prefixed with ' (SPEC §5), so a department named `=HYPERLINK(…)` stays text. Numbers stay numbers.
 */
export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = /^[=+\-@\t\r]/.test(String(v)) ? `'${String(v)}` : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** BOM + header line + rows, CRLF line ends. */
export function toCsv(header: string[], rows: Cell[][]): string {
  return BOM + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/**
 * Bilingual column headers: `办结率 closureRate`, the Chinese label from the reports' one table of
 * labels (metric-labels.ts, which the dashboard shows too). `name` is named after its report.
 */
export function bilingual(key: string, names?: keyof typeof NAME_LABELS): string {
  const metMatch = /^met\.(.+)$/.exec(key);
  if (metMatch) return `${TARGET_PREFIX.met}·${zhLabel(metMatch[1]) ?? metMatch[1]} ${metMatch[1]}Met`;
  const targetMatch = /^target\.(.+)$/.exec(key);
  if (targetMatch)
    return `${TARGET_PREFIX.target}·${zhLabel(targetMatch[1]) ?? targetMatch[1]} ${targetMatch[1]}Target`;
  const zh = zhLabel(key, names);
  return zh ? `${zh} ${key}` : key;
}
