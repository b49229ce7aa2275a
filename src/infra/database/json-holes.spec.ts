import { JsonHoles } from './json-holes';

/** Binds like a pg parameter list: returns $n and keeps the value. */
function binder() {
  const values: unknown[] = [];
  return {
    values,
    param: (v: unknown) => {
      values.push(v);
      return `$${values.length}`;
    },
  };
}

describe('JsonHoles', () => {
  it('splits the JSON at each stand-in and fills it with to_json of its SQL expression, in order', () => {
    const holes = new JsonHoles();
    const json = JSON.stringify({
      a: 1,
      number: holes.hole('x.number'),
      b: 'text',
      name: holes.hole('v.name'),
    });
    const { values, param } = binder();
    expect(holes.sql(json, param)).toBe(
      `($1::text || coalesce(to_json((x.number)::text)::text, 'null') || $2::text || ` +
        `coalesce(to_json((v.name)::text)::text, 'null') || $3::text)`,
    );
    expect(values).toEqual(['{"a":1,"number":', ',"b":"text","name":', '}']);
  });

  it('text without a stand-in is one literal piece', () => {
    const holes = new JsonHoles();
    const { values, param } = binder();
    expect(holes.sql('{"a":"b"}', param)).toBe('($1::text)');
    expect(values).toEqual(['{"a":"b"}']);
  });

  it('user text cannot open a hole: a look-alike without the nonce, or inside another string, stays literal', () => {
    const holes = new JsonHoles();
    const stand = holes.hole('x.n');
    const nonce = stand.slice(0, stand.lastIndexOf('.'));
    // inside a string the quotes are escaped, so the look-alike never reads as a whole JSON string
    const json = JSON.stringify({
      title: `"${stand}"`,
      other: '"00000000-0000-0000-0000-000000000000.0"',
      n: stand,
    });
    expect(json.split(nonce)).toHaveLength(3);
    const { values, param } = binder();
    const sql = holes.sql(json, param);
    expect(sql.match(/to_json/g)).toHaveLength(1);
    expect(values.join('')).toBe(json.replace(`"${stand}"`, ''));
  });
});
