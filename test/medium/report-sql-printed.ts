import { Client } from 'pg';
import { SqlDefinition } from '../../src/modules/reports/report-counters.sql';

/**
 * The report SQL as PostgreSQL prints it: every report_* function (pg_get_functiondef, keyed by its
 * signature) and every trigger that calls one (pg_get_triggerdef, keyed by name and table).
 */
export interface PrintedReportSql {
  functions: Record<string, string>;
  triggers: Record<string, string>;
}

export async function printReportSql(c: Client): Promise<PrintedReportSql> {
  const functions = await c.query<{ id: string; def: string }>(
    `SELECT p.oid::regprocedure::text AS id, pg_get_functiondef(p.oid) AS def
     FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND p.proname LIKE 'report\\_%'
     ORDER BY 1`,
  );
  const triggers = await c.query<{ id: string; def: string }>(
    `SELECT t.tgname || ' ON ' || t.tgrelid::regclass::text AS id, pg_get_triggerdef(t.oid) AS def
     FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
     WHERE NOT t.tgisinternal AND p.proname LIKE 'report\\_%'
     ORDER BY 1`,
  );
  const byId = (rows: { id: string; def: string }[]) => Object.fromEntries(rows.map((r) => [r.id, r.def]));
  return { functions: byId(functions.rows), triggers: byId(triggers.rows) };
}

/**
 * The same print with `definitions` applied on top (CREATE OR REPLACE), in a transaction rolled back
 * afterwards: what the database would hold if it held exactly what they say.
 */
export async function printReportSqlWith(c: Client, definitions: SqlDefinition[]): Promise<PrintedReportSql> {
  await c.query('BEGIN');
  try {
    for (const d of definitions) await c.query(d.sql);
    return await printReportSql(c);
  } finally {
    await c.query('ROLLBACK');
  }
}

/** The names of the functions and triggers a print holds, sorted. */
export function printedNames(p: PrintedReportSql): { functions: string[]; triggers: string[] } {
  return {
    functions: Object.keys(p.functions)
      .map((id) => id.slice(0, id.indexOf('(')))
      .sort(),
    triggers: Object.keys(p.triggers)
      .map((id) => id.slice(0, id.indexOf(' ')))
      .sort(),
  };
}
