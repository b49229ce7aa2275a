'use strict';
/**
 * What `npm start` and `npm test` both do before their real work, on a fresh clone or a used one:
 * install dependencies when they are missing or stale, make a .env, find PostgreSQL and Redis
 * (starting local ones when they are installed but down) and create the database.
 *
 * Plain CommonJS with nothing but Node's own modules at load time: `pg` and `ioredis` are required
 * only after the install step has made sure they exist.
 */
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');

const ROOT = path.resolve(__dirname, '..');
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/zhengqitong';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const JWT_PLACEHOLDER = 'change-me-to-a-long-random-secret';
const STAMP = path.join(ROOT, 'node_modules', '.zqt-install-stamp');

let scriptName = 'prepare';
/** Names the calling script in every line this module prints. */
const setName = (name) => {
  scriptName = name;
};
const log = (msg) => console.log(`[${scriptName}] ${msg}`);

class StepError extends Error {}

/** Runs a command with inherited stdio; resolves with its exit code (a signal counts as failure). */
function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', ...options });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 128 + (require('node:os').constants.signals[signal] || 1) : 1));
    });
  });
}

const mtime = (file) => {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
};
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const sameJson = (a, b) => JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});

/** package.json's dependency lists equal the lockfile's record of them: `npm ci` would accept the pair. */
function lockfileMatchesPackageJson() {
  const lockFile = path.join(ROOT, 'package-lock.json');
  if (!fs.existsSync(lockFile)) return false;
  const pkg = readJson(path.join(ROOT, 'package.json'));
  const root = (readJson(lockFile).packages || {})[''] || {};
  return ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'].every((k) =>
    sameJson(pkg[k], root[k]),
  );
}

/** Every package of the lockfile (but the optional ones for other platforms) is installed at its version. */
function installedMatchesLockfile() {
  const hidden = path.join(ROOT, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(hidden) || !lockfileMatchesPackageJson()) return false;
  const wanted = readJson(path.join(ROOT, 'package-lock.json')).packages || {};
  const have = readJson(hidden).packages || {};
  return Object.entries(wanted).every(
    ([name, p]) => name === '' || p.optional || (have[name] && have[name].version === p.version),
  );
}

/**
 * (a) `npm ci` (or `npm install` without a usable lockfile) when node_modules is missing or older than
 * package.json / package-lock.json. "Older" by modification time, confirmed by content: a fresh git
 * checkout or a change to package.json's scripts makes the files newer without changing what is
 * installed, and reinstalling then would only cost minutes.
 */
async function ensureDependencies() {
  const nodeModules = path.join(ROOT, 'node_modules');
  const sources = ['package.json', 'package-lock.json']
    .map((f) => path.join(ROOT, f))
    .filter((f) => fs.existsSync(f));
  const newestSource = Math.max(...sources.map(mtime));
  let reason = null;
  if (!fs.existsSync(nodeModules)) {
    reason = 'node_modules is missing';
  } else if (Math.max(mtime(STAMP), mtime(path.join(nodeModules, '.package-lock.json'))) < newestSource) {
    if (installedMatchesLockfile()) {
      fs.writeFileSync(STAMP, `checked ${new Date().toISOString()}\n`);
    } else {
      reason = 'package.json or package-lock.json changed since the last install';
    }
  }
  if (!reason) return;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const useCi = lockfileMatchesPackageJson();
  log(`${reason}: running npm ${useCi ? 'ci' : 'install'}`);
  let code = await run(npm, [useCi ? 'ci' : 'install', '--no-audit', '--no-fund']);
  if (code !== 0 && useCi) {
    log('npm ci failed; trying npm install');
    code = await run(npm, ['install', '--no-audit', '--no-fund']);
  }
  if (code !== 0) throw new StepError(`npm ${useCi ? 'ci' : 'install'} failed (exit ${code})`);
  fs.writeFileSync(STAMP, `installed ${new Date().toISOString()}\n`);
}

/** (b) A .env from .env.example, with a random JWT_SECRET in place of the placeholder. */
function ensureEnvFile() {
  const envFile = path.join(ROOT, '.env');
  if (fs.existsSync(envFile)) return false;
  const example = fs.readFileSync(path.join(ROOT, '.env.example'), 'utf8');
  const secret = crypto.randomBytes(36).toString('base64url'); // 48 characters
  const text = example.replace(/^JWT_SECRET=.*$/m, `JWT_SECRET=${secret}`);
  if (text === example || text.includes(JWT_PLACEHOLDER))
    throw new StepError('.env.example has no JWT_SECRET line to fill in');
  fs.writeFileSync(envFile, text, { mode: 0o600 });
  log('created .env from .env.example with a random JWT_SECRET');
  return true;
}

/** The .env file's values under the real environment's: a variable already set is never overridden. */
function readEnv() {
  const envFile = path.join(ROOT, '.env');
  const fromFile = fs.existsSync(envFile) ? util.parseEnv(fs.readFileSync(envFile, 'utf8')) : {};
  return { ...fromFile, ...process.env };
}

const nonEmpty = (...values) => values.find((v) => v !== undefined && v !== '');

/** (c) URLs with the application's defaults. */
function serviceUrls(env) {
  return {
    databaseUrl: nonEmpty(env.DATABASE_URL, DEFAULT_DATABASE_URL),
    redisUrl: nonEmpty(env.REDIS_URL, DEFAULT_REDIS_URL),
  };
}

function isLocalHost(url) {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === '' || host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** The same server, another database (the maintenance database `postgres` by default). */
function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const redact = (url) => {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** 'up', 'down' (nothing answers) or an Error that says what is wrong with a server that does answer. */
async function probePostgres(databaseUrl) {
  const { Client } = require('pg');
  for (const db of ['postgres', 'template1']) {
    const client = new Client({
      connectionString: withDatabase(databaseUrl, db),
      connectionTimeoutMillis: 2000,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return 'up';
    } catch (err) {
      if (err.code === '3D000') continue; // no such maintenance database: try the next
      // answers, but refuses us (authentication, protocol); a password the server asks for and the URL lacks
      if ((err.code && /^(28|08P01)/.test(err.code)) || /password/i.test(err.message)) return err;
      return 'down'; // refused, timed out, or 57P03 (still starting)
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return new Error('neither the "postgres" nor the "template1" database accepts connections');
}

async function probeRedis(redisUrl) {
  const Redis = require('ioredis');
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const pong = await redis.ping();
    return pong === 'PONG' ? 'up' : new Error(`unexpected PING reply ${pong}`);
  } catch (err) {
    return /NOAUTH|WRONGPASS|invalid password/i.test(err.message) ? err : 'down';
  } finally {
    redis.disconnect();
  }
}

async function waitFor(probe, what, seconds) {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const state = await probe();
    if (state === 'up' || state instanceof Error) return state;
    if (Date.now() > until) return new Error(`${what} did not answer within ${seconds} s`);
    await sleep(500);
  }
}

function commandExists(cmd) {
  return (process.env.PATH || '').split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, cmd), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function installedPostgresVersions() {
  try {
    return fs
      .readdirSync('/etc/postgresql')
      .filter((v) => /^\d+(\.\d+)?$/.test(v) && fs.existsSync(`/etc/postgresql/${v}/main`))
      .sort((a, b) => Number(b) - Number(a));
  } catch {
    return [];
  }
}

async function ensurePostgres(databaseUrl) {
  let state = await probePostgres(databaseUrl);
  if (state === 'up') return;
  if (state instanceof Error)
    throw new StepError(`PostgreSQL at ${redact(databaseUrl)} answers but refuses us: ${state.message}`);
  const port = new URL(databaseUrl).port || '5432';
  if (!isLocalHost(databaseUrl)) {
    throw new StepError(
      `PostgreSQL at ${redact(databaseUrl)} does not answer; it is not on this machine, so start it where it runs (or set DATABASE_URL)`,
    );
  }
  const versions = installedPostgresVersions();
  if (versions.length === 0 || !commandExists('pg_ctlcluster')) {
    throw new StepError(
      [
        `PostgreSQL does not answer on ${redact(databaseUrl)} and is not installed here. Either:`,
        '  apt-get install -y postgresql            # Debian/Ubuntu; then:',
        '  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
        `  and allow the user of DATABASE_URL in (trust for 127.0.0.1 in pg_hba.conf, or put a password in DATABASE_URL), on port ${port};`,
        '  or: docker compose up -d postgres redis  (then DATABASE_URL=postgres://postgres:zhengqitong@127.0.0.1:5432/zhengqitong)',
      ].join('\n'),
    );
  }
  log(`PostgreSQL does not answer on port ${port}: starting cluster ${versions[0]}/main`);
  const code = await run('pg_ctlcluster', ['--skip-systemctl-redirect', versions[0], 'main', 'start']);
  if (code !== 0) log(`pg_ctlcluster exited with ${code}; waiting for the server anyway`);
  state = await waitFor(() => probePostgres(databaseUrl), 'PostgreSQL', 30);
  if (state instanceof Error) throw new StepError(`PostgreSQL at ${redact(databaseUrl)}: ${state.message}`);
  log('PostgreSQL is up');
}

async function ensureRedis(redisUrl) {
  let state = await probeRedis(redisUrl);
  if (state === 'up') return;
  if (state instanceof Error)
    throw new StepError(`Redis at ${redact(redisUrl)} answers but refuses us: ${state.message}`);
  const port = new URL(redisUrl).port || '6379';
  if (!isLocalHost(redisUrl)) {
    throw new StepError(
      `Redis at ${redact(redisUrl)} does not answer; it is not on this machine, so start it where it runs (or set REDIS_URL)`,
    );
  }
  if (!commandExists('redis-server')) {
    throw new StepError(
      [
        `Redis does not answer on ${redact(redisUrl)} and is not installed here. Either:`,
        '  apt-get install -y redis-server          # Debian/Ubuntu; then:',
        `  redis-server --daemonize yes --bind 127.0.0.1 --port ${port} --save "" --appendonly no --maxmemory-policy noeviction`,
        '  or: docker compose up -d postgres redis',
      ].join('\n'),
    );
  }
  log(`Redis does not answer on port ${port}: starting redis-server`);
  const args = [
    '--daemonize',
    'yes',
    '--bind',
    '127.0.0.1',
    '--port',
    port,
    '--save',
    '',
    '--appendonly',
    'no',
    '--maxmemory-policy',
    'noeviction',
  ];
  const code = await run('redis-server', args);
  if (code !== 0) log(`redis-server exited with ${code}; waiting for the server anyway`);
  state = await waitFor(() => probeRedis(redisUrl), 'Redis', 15);
  if (state instanceof Error) throw new StepError(`Redis at ${redact(redisUrl)}: ${state.message}`);
  log('Redis is up');
}

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Debian's Chromium (and a font with Chinese glyphs, for the dashboard's screenshots) for the browser
 * tests: installed with apt-get when missing and this process is root (as on CI). Resolves null when
 * Chromium is there, else the reason it is not (the browser tests then skip themselves).
 */
async function ensureChromium() {
  if (fs.existsSync(CHROMIUM_PATH)) return null;
  if (process.platform !== 'linux' || !commandExists('apt-get'))
    return `no Chromium at ${CHROMIUM_PATH} and no apt-get to install it (set CHROMIUM_PATH)`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0)
    return `no Chromium at ${CHROMIUM_PATH}, and installing it needs root: sudo apt-get install -y chromium`;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const packages = ['chromium', 'fonts-wqy-microhei'];
  log(`Chromium is missing: apt-get install -y ${packages.join(' ')}`);
  let code = await run('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env });
  if (code !== 0) {
    log('apt-get install failed; refreshing the package lists and trying once more');
    await run('apt-get', ['update'], { env });
    code = await run('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env });
  }
  if (code !== 0) return `no Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium failed (exit ${code})`;
  if (!fs.existsSync(CHROMIUM_PATH))
    return `no Chromium at ${CHROMIUM_PATH} (apt-get installed Debian's at /usr/bin/chromium: check CHROMIUM_PATH)`;
  log(`Chromium installed at ${CHROMIUM_PATH}`);
  return null;
}

/** (d) CREATE DATABASE for the one DATABASE_URL names, when it does not exist yet. */
async function ensureDatabase(databaseUrl) {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  if (!name) throw new StepError(`DATABASE_URL ${redact(databaseUrl)} names no database`);
  const { Client } = require('pg');
  const client = new Client({
    connectionString: withDatabase(databaseUrl, 'postgres'),
    connectionTimeoutMillis: 5000,
  });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount > 0) return false;
    try {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    } catch (err) {
      if (err.code !== '42P04') throw err; // created by someone else meanwhile
      return false;
    }
    log(`created database ${name}`);
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

module.exports = {
  ROOT,
  setName,
  DEFAULT_DATABASE_URL,
  DEFAULT_REDIS_URL,
  StepError,
  run,
  log,
  mtime,
  nonEmpty,
  ensureDependencies,
  ensureEnvFile,
  readEnv,
  serviceUrls,
  ensurePostgres,
  ensureRedis,
  ensureDatabase,
  ensureChromium,
  redact,
};
