#!/usr/bin/env node
'use strict';
/**
 * `npm test`: every test, the same way on a fresh clone, a developer's machine and CI.
 *   (a) install dependencies when missing or stale
 *   (c) reach the test PostgreSQL server and Redis, starting local ones (no database is created here:
 *       jest's global setup makes its own zqt_test_* databases on the server of TEST_DATABASE_URL,
 *       else DATABASE_URL)
 *   (g) Chromium for the dashboard's browser tests: Debian's package, installed with apt-get when missing and
 *       this is root (as on CI); where it cannot be, those tests skip themselves and a line before the
 *       closing one says so
 *   then `npm run lint` (eslint, then the room rules of .dependency-cruiser.cjs), `npm run typecheck`, `npm run lint:api` (the OpenAPI document, built without a
 *   database, against Redocly's recommended rules) and jest (`--json --outputFile=.test-results.json`, `--ci`
 *   when CI=true, extra arguments passed through: `npm test -- test/e2e`).
 * A failed lint, typecheck or API lint does not stop jest; each counts as one failure. The last line printed is
 * always `N passed, N failed`, and the exit code is non-zero when anything failed.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const prep = require('./prepare');

prep.setName('test');
const { ROOT, StepError, log, run } = prep;
const RESULTS = path.join(ROOT, '.test-results.json');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** How long jest may take to exit after writing its results. */
const EXIT_GRACE_MS = Number(process.env.JEST_EXIT_GRACE_MS) || 30_000;

let passed = 0;
let failed = 0;
let exitCode = 0;
/** Why the browser tests could not run here, when they could not. */
let browserSkipped = null;

/** The closing line, printed exactly once, last. */
function finish() {
  if (browserSkipped) console.log(`[test] browser tests skipped: ${browserSkipped}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(exitCode !== 0 || failed > 0 ? exitCode || 1 : 0);
}

async function step(name, args) {
  log(`npm run ${name}`);
  const code = await run(npm, ['run', '--silent', ...args]);
  if (code !== 0) {
    log(`${name} failed (exit ${code}); counted as one failure, going on with the tests`);
    failed += 1;
    exitCode = exitCode || code;
  }
}

function readResults() {
  try {
    return JSON.parse(fs.readFileSync(RESULTS, 'utf8'));
  } catch {
    return null;
  }
}

/** Failed tests, plus each suite that failed with no failed test of its own (compile error, failing hook). */
function countFailures(results) {
  const silentSuites = (results.testResults || []).filter(
    (suite) =>
      suite.status === 'failed' && !(suite.assertionResults || []).some((a) => a.status === 'failed'),
  ).length;
  return (results.numFailedTests || 0) + silentSuites;
}

/**
 * Runs jest like run() does, and also stops a jest that has written its results but does not exit
 * (a test left a connection or a timer open): that would hang CI until its time runs out.
 */
function runJest(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: 'inherit' });
    let hung = false;
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    const watch = setInterval(() => {
      if (!fs.existsSync(RESULTS)) return;
      clearInterval(watch);
      setTimeout(() => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        hung = true;
        log(
          `jest wrote its results but did not exit within ${EXIT_GRACE_MS / 1000} s (open handles): stopping it`,
        );
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }, EXIT_GRACE_MS).unref();
    }, 1000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(watch);
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve({ code: code ?? 1, hung });
    });
  });
}

async function jest(env) {
  fs.rmSync(RESULTS, { force: true });
  const args = [require.resolve('jest/bin/jest', { paths: [ROOT] }), '--json', `--outputFile=${RESULTS}`];
  if (String(process.env.CI).toLowerCase() === 'true') args.push('--ci');
  args.push(...process.argv.slice(2));
  log(`jest ${args.slice(1).join(' ')}`);
  const { code, hung } = await runJest(args, env);
  const results = readResults();
  const failures = results ? countFailures(results) : 0;
  if (results) {
    passed += results.numPassedTests || 0;
    failed += failures;
  }
  if (hung) {
    failed += 1; // a leak is a failure of its own, whatever the tests said
    exitCode = exitCode || 1;
  } else if (code !== 0) {
    exitCode = code;
    if (failures === 0) failed += 1; // jest failed without a failed test to count (crashed, bad options, no tests found)
  }
}

async function main() {
  await prep.ensureDependencies();
  const env = prep.readEnv();
  const databaseUrl = prep.nonEmpty(
    env.TEST_DATABASE_URL,
    env.DATABASE_URL,
    'postgres://postgres@127.0.0.1:5432/postgres',
  );
  const redisUrl = prep.nonEmpty(env.TEST_REDIS_URL, env.REDIS_URL, prep.DEFAULT_REDIS_URL);
  await prep.ensurePostgres(databaseUrl);
  await prep.ensureRedis(redisUrl);
  log(`test servers: PostgreSQL ${prep.redact(databaseUrl)}, Redis ${prep.redact(redisUrl)}`);
  browserSkipped = await prep.ensureChromium();

  await step('lint', ['lint']);
  await step('typecheck', ['typecheck']);
  await step('lint:api', ['lint:api']);
  // the tests get the servers explicitly, whichever of the environment or .env named them
  await jest({ ...process.env, TEST_DATABASE_URL: databaseUrl, TEST_REDIS_URL: redisUrl });
}

main()
  .catch((err) => {
    console.error(`[test] ${err instanceof StepError ? err.message : (err && err.stack) || err}`);
    failed += 1;
    exitCode = exitCode || 1;
  })
  .finally(finish);
