import { migrate } from '../../src/infra/database/data-source-options';
import { TEMPLATE_ENV, uniqueName, urlFor, withAdminClient } from './test-env';

/** Migrates one template database for this run; every test file clones it. */
export default async function globalSetup(): Promise<void> {
  const template = uniqueName('tpl');
  await withAdminClient(async (c) => {
    // leftovers of runs that crashed more than 6 hours ago
    const { rows } = await c.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'zqt_test_%'`,
    );
    const cutoff = Date.now() / 1000 - 6 * 3600;
    for (const { datname } of rows) {
      const stamp = Number(/_(\d{10})_/.exec(datname)?.[1] ?? Infinity);
      if (stamp < cutoff)
        await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => undefined);
    }
    await c.query(`CREATE DATABASE "${template}"`);
  });
  await migrate(urlFor(template));
  process.env[TEMPLATE_ENV] = template;
}
