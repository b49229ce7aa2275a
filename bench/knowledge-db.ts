/**
 * A kept copy of the knowledge scenario's database, to read plans on: `zqt_knowledge_100k` (dropped and
 * made again on each run), migrated, with the 100,000 published entries bench/scenarios/knowledge.ts loads
 * (same generator, same vectors, same published dates), vacuumed and analysed. The bench's own database is
 * dropped at the end of its run; this one stays until dropped by hand.
 *
 *   npx ts-node --transpile-only bench/knowledge-db.ts [entries]
 *   psql -h 127.0.0.1 -U postgres zqt_knowledge_100k
 */
import { Client, Pool } from 'pg';
import { migrate } from '../src/infra/database/data-source-options';
import { benchEntries, GeneratedEntry, insertPublished, publishedRow } from '../scripts/demo-knowledge';
import { SERVER_URL, urlForDatabase } from './context';

const NAME = 'zqt_knowledge_100k';
const DAY = 86_400_000;

async function main() {
  const entries = Number(process.argv[2] ?? 100_000);
  const admin = new Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${NAME}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${NAME}"`);
  await admin.end();
  const url = urlForDatabase(NAME);
  await migrate(url);
  const pool = new Pool({ connectionString: url, max: 2 });
  try {
    const [{ id: department }] = (
      await pool.query(
        `INSERT INTO departments (code, name, kind) VALUES ('BENCH_JXJ', '市经济和信息化局', 'department') RETURNING id`,
      )
    ).rows;
    const [{ id: user }] = (
      await pool.query(
        `INSERT INTO users (username, password_hash, role) VALUES ('bench_dispatcher', '-', 'dispatcher') RETURNING id`,
      )
    ).rows;
    const now = Date.now();
    let chunk: GeneratedEntry[] = [];
    let index = 0;
    const flush = async () => {
      const rows = chunk.map((e, i) =>
        publishedRow(e, new Date(now - ((index + i) % 300) * DAY), new Date(now + 90 * DAY)),
      );
      await insertPublished(
        pool,
        rows,
        chunk.map(() => department),
        chunk.map((e) => e.category),
        user,
      );
      index += chunk.length;
      chunk = [];
    };
    for (const e of benchEntries(entries)) {
      chunk.push(e);
      if (chunk.length === 2000) await flush();
    }
    if (chunk.length > 0) await flush();
    await pool.query('VACUUM ANALYZE knowledge_entries');
    await pool.query('VACUUM ANALYZE knowledge_versions');
    console.log(`${NAME}: ${index} published entries`);
  } finally {
    await pool.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
