import { randomUUID } from 'node:crypto';

/**
 * JSON text that PostgreSQL completes: a value is serialised in JavaScript (JSON.stringify or canonicalJson)
 * with stand-in strings where only the statement knows the value (a number made from a sequence, a column of
 * a row read in the same statement), and `sql()` turns the text into a SQL text expression that puts each
 * value there as `to_json(value::text)`. PostgreSQL escapes a string for JSON exactly as JSON.stringify does
 * (", \, \b \f \n \r \t, other control characters as lower-case \u00xx), so the result is the same text
 * JavaScript would have made with the value in place. Only string (or null) values fit a hole.
 *
 * Stand-ins carry a random nonce, so user text does not contain one by accident; and a stand-in counts only
 * as a whole JSON value, its opening quote after ':', ',' or '[', never as part of another string (where a
 * quote is always escaped), so not even text that copies a stand-in opens a hole. Works on compact JSON
 * (JSON.stringify without indentation, canonicalJson).
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
    const open = `"${this.nonce}.`;
    let from = 0;
    for (let at = json.indexOf(open); at >= 0; at = json.indexOf(open, at + 1)) {
      // a value's opening quote follows ':', ',' or '['; a quote inside a string is escaped (follows '\')
      if (!':,['.includes(json[at - 1])) continue;
      const close = json.indexOf('"', at + open.length);
      pieces.push(`${param(json.slice(from, at))}::text`);
      const sqlText = this.holes[Number(json.slice(at + open.length, close))];
      pieces.push(`coalesce(to_json((${sqlText})::text)::text, 'null')`);
      from = close + 1;
    }
    pieces.push(`${param(json.slice(from))}::text`);
    return `(${pieces.join(' || ')})`;
  }
}
