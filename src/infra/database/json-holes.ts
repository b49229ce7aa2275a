import { randomUUID } from 'node:crypto';

/**
 * JSON text that PostgreSQL completes: a value is serialised in JavaScript (JSON.stringify or canonicalJson)
 * with stand-in strings where only the statement knows the value (a number made from a sequence, a column of
 * a row read in the same statement), and `sql()` turns the text into a SQL text expression that puts each
 * value there as `to_json(value::text)`. PostgreSQL escapes a string for JSON exactly as JSON.stringify does
 * (", \, \b \f \n \r \t, other control characters as lower-case \u00xx), so the result is the same text
 * JavaScript would have made with the value in place. Only string (or null) values fit a hole.
 *
 * Stand-ins carry a random nonce: user text cannot contain one by accident. In the serialised text a
 * stand-in is always a whole JSON string, quotes included, and an unescaped quote never occurs inside
 * another string, so the holes are found without ambiguity.
 */
export class JsonHoles {
  private readonly nonce = randomUUID();
  private readonly holes: string[] = [];

  /** A stand-in for `sqlText`, a SQL expression (text, NULL allowed); put it where the value belongs. */
  hole(sqlText: string): string {
    this.holes.push(sqlText);
    return `${this.nonce}.${this.holes.length - 1}`;
  }

  /** `json` as a SQL text expression: literal pieces bound with `param`, each hole filled in place. */
  sql(json: string, param: (value: unknown) => string): string {
    const pieces: string[] = [];
    const pattern = new RegExp(`"${this.nonce}\\.(\\d+)"`, 'g');
    let from = 0;
    for (let match = pattern.exec(json); match; match = pattern.exec(json)) {
      pieces.push(`${param(json.slice(from, match.index))}::text`);
      pieces.push(`coalesce(to_json((${this.holes[Number(match[1])]})::text)::text, 'null')`);
      from = match.index + match[0].length;
    }
    pieces.push(`${param(json.slice(from))}::text`);
    return `(${pieces.join(' || ')})`;
  }
}
