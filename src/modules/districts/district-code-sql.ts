/**
 * What `district_code(value)` (migration 1796064000000-Districts) answers — the code of a district given by
 * its code or its exact name, no row for neither — as a subquery to join LATERAL in a statement of one's
 * own: `LEFT JOIN LATERAL (districtCodeSql('$3::text')) d ON true`, then `d.code`. The function is SQL
 * that PostgreSQL cannot inline (a UNION with a LIMIT), so every call plans its query again; joined, the
 * look-up is planned once with the statement (once per connection for a prepared one).
 */
export function districtCodeSql(value: string): string {
  return `SELECT code FROM districts WHERE code = ${value}
          UNION ALL SELECT code FROM districts WHERE name = ${value} LIMIT 1`;
}
