import { JsonHoles } from '../../src/infra/database/json-holes';
import { canonicalJson } from '../../src/modules/workflow/hash-chain';
import { useTestDatabase } from '../setup/test-env';

/**
 * What JsonHoles relies on: PostgreSQL's to_json of a text escapes exactly as JSON.stringify does, so JSON
 * completed by a statement is the text JavaScript would have written (filing's outbox body, event data and
 * event hash input depend on it).
 */
describe('JsonHoles against PostgreSQL', () => {
  const db = useTestDatabase();
  // every ASCII character but NUL (text cannot hold it), and the usual suspects beyond
  const strings = [
    ...Array.from({ length: 127 }, (_, i) => String.fromCharCode(i + 1)),
    '\u0080',
    '\u009f',
    '\u2028',
    '\u2029',
    '\ufeff',
    'é',
    '企业',
    '😀',
    '\\"',
    '</script>',
  ];

  it('to_json(text) escapes every character as JSON.stringify does', async () => {
    const { rows } = await db.client.query<{ x: string; j: string }>(
      'SELECT x, to_json(x::text)::text AS j FROM unnest($1::text[]) AS x',
      [strings],
    );
    expect(rows).toHaveLength(strings.length);
    for (const r of rows) expect(r.j).toBe(JSON.stringify(r.x));
  });

  it('a completed JSON.stringify and canonicalJson text equals the one made in JavaScript, NULL as null', async () => {
    const values: [string, null, string] = [strings.join(''), null, 'ZQT202611220000000001'];
    const holes = new JsonHoles();
    const [a, b, n] = ['$1::text', '$2::text', '$3::text'].map((sql) => holes.hole(sql));
    // a copy of a stand-in inside another string is text, not a hole
    const shape = (x: unknown, y: unknown, z: unknown) => ({
      z: 1,
      title: `"${a}"`,
      a: x,
      nested: { b: y },
      n: z,
    });
    const params: unknown[] = [...values];
    const bind = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const stringified = holes.sql(JSON.stringify(shape(a, b, n)), bind);
    const canonical = holes.sql(canonicalJson(shape(a, b, n)), bind);
    const { rows } = await db.client.query<{ s: string; k: string }>(
      `SELECT ${stringified} AS s, ${canonical} AS k`,
      params,
    );
    expect(rows[0].s).toBe(JSON.stringify(shape(...values)));
    expect(rows[0].k).toBe(canonicalJson(shape(...values)));
  });
});
