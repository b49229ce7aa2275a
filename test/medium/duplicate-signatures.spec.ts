import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/infra/database/data-source-options';
import { createDatabaseFromTemplate, dropDatabase, urlFor } from '../setup/test-env';

/**
 * Duplicate detection compares stored trigram signatures (trgm_signature, trgm_signature_similarity)
 * instead of calling pg_trgm's similarity() per pair. The two must agree: over thousands of pairs of
 * appeal-like texts — Chinese accounts with small edits, mixed Latin and digits, punctuation only, empty —
 * the stored-set similarity equals similarity() (a 32-bit hash collision between two trigrams of one pair
 * could make them differ by one trigram; none occurs here, and the test would say so).
 */
describe('trigram signatures agree with pg_trgm similarity()', () => {
  let name: string;
  let ds: DataSource;

  beforeAll(async () => {
    name = await createDatabaseFromTemplate();
    ds = new DataSource(dataSourceOptions(urlFor(name), 2));
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    if (name) await dropDatabase(name);
  });

  const PHRASES = [
    '技改项目贷款审批超过三个月仍无结果',
    '影响设备采购进度',
    '我公司是吴兴区一家通用设备制造企业',
    '请求相关部门协调银行尽快给出明确答复',
    '政策性贴息或担保支持',
    '高新技术企业认定补贴至今未拨付',
    '消防验收复核',
    'ERP 系统 V2.3 上线',
    '2026年第3季度',
    '，。、；',
    'Loan approval delayed',
  ];

  /** A deterministic generator, so a failure names a pair that can be replayed. */
  function random(seed: number) {
    let x = seed;
    return () => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x / 2147483648;
    };
  }

  function text(r: () => number): string {
    const n = Math.floor(r() * 6);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(PHRASES[Math.floor(r() * PHRASES.length)]);
    let s = parts.join(r() < 0.5 ? '，' : '');
    // small edits: a character changed, dropped or added
    if (s.length > 2 && r() < 0.5) {
      const at = Math.floor(r() * s.length);
      s = s.slice(0, at) + (r() < 0.5 ? '贷' : '') + s.slice(at + 1);
    }
    return s;
  }

  it('equals similarity() over 3,000 pairs, including identical, empty and punctuation-only texts', async () => {
    const r = random(20261206);
    const pairs: [string, string][] = [];
    for (let i = 0; i < 3000; i++) {
      const a = text(r);
      pairs.push([a, i % 10 === 0 ? a : r() < 0.5 ? text(r) : a + text(r)]);
    }
    pairs.push(['', ''], ['，。', '，。'], ['', '消防验收'], ['ab', 'ab']);
    const rows: { i: number; a: number; b: number; floored: number }[] = await ds.query(
      `SELECT p.i, similarity(p.x, p.y) AS a,
              trgm_signature_similarity(trgm_signature(p.x), trgm_signature(p.y)) AS b,
              trgm_signature_similarity(trgm_signature(p.x), trgm_signature(p.y), 0.4) AS floored
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS p(x, y, i)`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
    const differing = rows
      .filter((row) => Math.abs(Number(row.a) - Number(row.b)) > 1e-6)
      .map((row) => ({ pair: pairs[Number(row.i) - 1], similarity: row.a, signatures: row.b }));
    expect(differing).toEqual([]);
    expect(rows).toHaveLength(pairs.length);
    // with a floor, the same value, or 0 only where the value is below the floor (never hides a duplicate)
    const floorWrong = rows.filter((row) => {
      const [a, f] = [Number(row.a), Number(row.floored)];
      return a >= 0.4 ? Math.abs(f - a) > 1e-6 : f !== 0 && Math.abs(f - a) > 1e-6;
    });
    expect(floorWrong).toEqual([]);
    expect(rows.filter((row) => Number(row.floored) === 0 && Number(row.a) > 0).length).toBeGreaterThan(0);
    // the pairs span the range the threshold (0.4) sits in
    const values = rows.map((row) => Number(row.a));
    expect(values.filter((v) => v > 0 && v < 0.4).length).toBeGreaterThan(100);
    expect(values.filter((v) => v >= 0.4 && v < 1).length).toBeGreaterThan(100);
  });
});
