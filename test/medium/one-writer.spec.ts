import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The appeal writer is the only code that changes an appeal's status or version (SPEC §2: every change
 * locked, version-checked, on the transition table, in the hash chain). Filing creates the row; nothing
 * else may update `appeals.status` or `appeals.version`, in SQL or through TypeORM.
 */
const ROOT = join(__dirname, '..', '..');
const WRITER = 'src/modules/appeals/appeal-writer.ts';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Ways to write the appeals table's status or version. */
const WRITES: RegExp[] = [
  /UPDATE\s+"?appeals"?\s+(?:AS\s+)?\w*\s*SET[^;`]*\b(status|version)\b/is,
  /\.update\(\s*Appeal\b/,
  /getRepository\(\s*Appeal\s*\)\s*\.\s*(update|save|upsert|increment|decrement)\b/,
  /\b(version|status)\s*:\s*\(\)\s*=>/,
];

function offenders(sources: { path: string; text: string }[]): string[] {
  return sources
    .filter((s) => s.path !== WRITER)
    .flatMap((s) => WRITES.filter((re) => re.test(s.text)).map((re) => `${s.path}: ${re.source}`));
}

describe('one writer of appeals.status and appeals.version', () => {
  it('no file in src/ but the writer updates them', () => {
    const sources = files(join(ROOT, 'src')).map((path) => ({
      path: relative(ROOT, path),
      text: readFileSync(path, 'utf8'),
    }));
    expect(sources.some((s) => s.path === WRITER)).toBe(true);
    expect(offenders(sources)).toEqual([]);
  });

  it('the check catches each way of writing them', () => {
    const bad = [
      "m.query(`UPDATE appeals SET status = 'closed' WHERE id = $1`)",
      'await m.query(`UPDATE appeals a SET version = a.version + 1`)',
      'm.createQueryBuilder().update(Appeal).set({ supervised: true })',
      "m.getRepository(Appeal).update({ id }, { status: 'closed' })",
      "qb.set({ version: () => 'version + 1' })",
    ];
    for (const text of bad) expect(offenders([{ path: 'src/x.ts', text }])).not.toEqual([]);
    expect(offenders([{ path: WRITER, text: bad[0] }])).toEqual([]);
    expect(offenders([{ path: 'src/x.ts', text: 'm.getRepository(Appeal).findOneBy({ id })' }])).toEqual([]);
  });
});
