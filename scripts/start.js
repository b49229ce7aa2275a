#!/usr/bin/env node
'use strict';
/**
 * `npm start`: from a fresh clone to a running service with demo data.
 *   (a) install dependencies when missing or stale       (b) make .env with a random JWT_SECRET
 *   (c) reach PostgreSQL and Redis, starting local ones   (d) create the database
 *   (e) build when dist/ is missing or older than the sources
 *   (f) migrate and seed the demo data (skip: --no-demo or SEED_DEMO=false), then run node dist/src/main.js
 * The seed comes last before the start: the demo history's timers fire up to the moment it is done,
 * and the service starts right after it, with nothing fallen due in between.
 * Signals (Ctrl-C, SIGTERM) go to the service once; it shuts down gracefully and this script exits
 * with its exit code. A second Ctrl-C kills it.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const prep = require('./prepare');

prep.setName('start');
const { ROOT, StepError, log, run } = prep;
const MAIN = path.join(ROOT, 'dist', 'src', 'main.js');
const BUILD_INPUTS = ['src', 'migrations', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

/** The newest modification time under the given files and folders. */
function newestMtime(entries) {
  let newest = 0;
  const visit = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      newest = Math.max(newest, st.mtimeMs); // a deleted file changes its folder
      for (const name of fs.readdirSync(p)) visit(path.join(p, name));
    } else {
      newest = Math.max(newest, st.mtimeMs);
    }
  };
  entries.forEach((e) => visit(path.join(ROOT, e)));
  return newest;
}

async function buildIfStale() {
  const built = prep.mtime(MAIN);
  if (built > 0 && built >= newestMtime(BUILD_INPUTS)) return;
  log(built === 0 ? 'no build yet: npm run build' : 'sources changed since the last build: npm run build');
  // a clean output folder: a deleted source must not live on as a stale .js file
  fs.rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
  const code = await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build']);
  if (code !== 0) throw new StepError(`npm run build failed (exit ${code}): fix the TypeScript errors above`);
}

async function seedDemo(env) {
  log('migrating and seeding the demo data (scripts/seed-demo.ts)');
  const tsNode = require.resolve('ts-node/dist/bin.js', { paths: [ROOT] });
  const code = await run(process.execPath, [tsNode, '--transpile-only', 'scripts/seed-demo.ts'], { env });
  if (code !== 0) throw new StepError(`the demo seed failed (exit ${code})`);
}

function demoLogins(env) {
  const demo = JSON.parse(fs.readFileSync(path.join(__dirname, 'demo-logins.json'), 'utf8'));
  return demo.accounts.map((a) =>
    a.role === 'admin'
      ? {
          ...a,
          username: prep.nonEmpty(env.ADMIN_USERNAME, a.username),
          password: prep.nonEmpty(env.ADMIN_PASSWORD, demo.password),
        }
      : { ...a, password: demo.password },
  );
}

function urls(env) {
  const base = `http://localhost:${prep.nonEmpty(env.PORT, '3000')}`;
  return {
    base,
    api: `${base}/api/v1`,
    docs: `${base}/api/docs`,
    docsJson: `${base}/api/docs-json`,
    health: `${base}/health`,
    metrics: `${base}/metrics`,
    dashboard: `${base}/dashboard`,
    workbench: `${base}/workbench`,
  };
}

function banner(env, { demo, healthy }) {
  const u = urls(env);
  const role = prep.nonEmpty(env.ROLE, 'all');
  const lines = [
    '',
    `政企通 zhengqitong is running (ROLE=${role})${healthy === false ? ' — /health reports a dependency down' : ''}`,
  ];
  if (role === 'worker') {
    lines.push('  queue workers only: no HTTP in this role');
    const metricsPort = prep.nonEmpty(env.METRICS_PORT);
    if (metricsPort) lines.push(`  Metrics  http://localhost:${metricsPort}/metrics`);
  } else {
    lines.push(
      `  Workbench ${u.workbench}   (工作台: 受理派单台 dispatcher · 承办工作台 handler · 我的诉求 enterprise)`,
      `  Dashboard ${u.dashboard}   (督办看板: supervisor, dispatcher or admin login)`,
      `  API       ${u.api}`,
      `  Docs      ${u.docs}   (OpenAPI JSON ${u.docsJson})`,
      `  Health    ${u.health}`,
      `  Metrics   ${u.metrics}`,
    );
  }
  if (demo) {
    const accounts = demoLogins(env);
    const w = Math.max(...accounts.map((a) => a.username.length)) + 2;
    const pw = Math.max(...accounts.map((a) => a.password.length)) + 2;
    lines.push('', `Demo logins: POST ${u.api}/auth/login {"username": …, "password": …}`);
    lines.push(`  ${'username'.padEnd(w)}${'password'.padEnd(pw)}${'role'.padEnd(12)}who`);
    for (const a of accounts)
      lines.push(`  ${a.username.padEnd(w)}${a.password.padEnd(pw)}${a.role.padEnd(12)}${a.label}`);
  } else if (prep.nonEmpty(env.ADMIN_PASSWORD)) {
    lines.push(
      '',
      `Admin login: ${prep.nonEmpty(env.ADMIN_USERNAME, 'admin')} with ADMIN_PASSWORD from the environment or .env`,
    );
  }
  lines.push('', 'Stop with Ctrl-C.', '');
  console.log(lines.join('\n'));
}

/** Resolves true/false once /health answers 200/503, or null when the service exits or never answers. */
async function waitForHealth(env, child, seconds = 120) {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until && child.exitCode === null && child.signalCode === null) {
    try {
      const res = await fetch(urls(env).health, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200 || res.status === 503) return res.status === 200;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return null;
}

function startService(env, demo) {
  const u = urls(env);
  log(
    `starting node dist/src/main.js — API ${u.api}, workbench ${u.workbench}, dashboard ${u.dashboard}, docs ${u.docs}, health ${u.health}`,
  );
  // its own process group: a Ctrl-C in the terminal reaches only this script, which forwards it once
  // (a second SIGINT would cut the service's graceful shutdown short)
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env, stdio: 'inherit', detached: true });
  let signals = 0;
  const forward = (signal) => {
    signals += 1;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signals === 1 ? signal : 'SIGKILL');
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => forward(s));
  process.on('exit', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  });
  child.on('exit', (code, signal) => {
    if (signals === 0) log(`the service exited (${signal ?? `code ${code}`})`);
    // stopped on request: success; killed by a signal nobody here sent: failure
    process.exit(code ?? (signals > 0 ? 0 : 1));
  });
  if (prep.nonEmpty(env.ROLE) === 'worker') {
    banner(env, { demo });
    return;
  }
  void waitForHealth(env, child).then((healthy) => {
    if (healthy !== null && signals === 0) banner(env, { demo, healthy });
  });
}

async function main() {
  const args = process.argv.slice(2);
  await prep.ensureDependencies();
  prep.ensureEnvFile();
  const env = prep.readEnv();
  const { databaseUrl, redisUrl } = prep.serviceUrls(env);
  await prep.ensurePostgres(databaseUrl);
  // with Sentinel or a Cluster the service finds Redis itself (REDIS_URL then carries credentials only)
  if (prep.nonEmpty(env.REDIS_SENTINELS, env.REDIS_CLUSTER_NODES) === undefined) await prep.ensureRedis(redisUrl);
  else log('Redis through REDIS_SENTINELS or REDIS_CLUSTER_NODES: the service connects and /health reports it');
  await prep.ensureDatabase(databaseUrl);
  const demo =
    !args.includes('--no-demo') && String(prep.nonEmpty(env.SEED_DEMO, 'true')).toLowerCase() !== 'false';
  await buildIfStale();
  if (demo) await seedDemo(env);
  else log('demo data skipped (--no-demo or SEED_DEMO=false); the service migrates at boot');
  startService(env, demo);
}

main().catch((err) => {
  console.error(`[start] ${err instanceof StepError ? err.message : (err && err.stack) || err}`);
  process.exit(1);
});
