/**
 * Real Redis and PostgreSQL processes for the failover tests, each on free loopback ports in a temporary
 * directory of its own: a Redis Cluster, a Sentinel-managed master with its replica, a PostgreSQL primary
 * with a streaming standby (pg_basebackup) that can be promoted (pg_ctl promote). Everything started
 * here is stopped by `stopAll()`, whatever happened. A test file asks `missing()` first and skips itself
 * with a printed line when a binary is not installed.
 */
import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { Client } from 'pg';

const run = promisify(execFile);

export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
/** initdb refuses root: as root the PostgreSQL binaries run as the `postgres` user. */
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** The binaries of `what` that are not installed here (empty when all are). */
export function missing(what: 'redis' | 'redis-cluster' | 'postgres'): string[] {
  if (what === 'redis') return onPath('redis-server') ? [] : ['redis-server'];
  if (what === 'redis-cluster') return ['redis-server', 'redis-cli'].filter((b) => !onPath(b));
  const lacking = ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres'].filter(
    (b) => !existsSync(join(PG_BIN, b)),
  );
  if (asRoot && !onPath('runuser')) lacking.push('runuser (initdb refuses root)');
  if (asRoot && !readFileSync('/etc/passwd', 'utf8').includes('\npostgres:'))
    lacking.push('a postgres user (initdb refuses root)');
  return lacking.map((b) => (b.includes(' ') ? b : join(PG_BIN, b)));
}

/** Whether `what` can run here; when not, prints the line saying what is missing. */
export function available(what: Parameters<typeof missing>[0], name: string): boolean {
  const lacking = missing(what);
  if (lacking.length > 0) console.log(`[ha] skipped "${name}": ${lacking.join(', ')} not installed`);
  return lacking.length === 0;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const children = new Set<ChildProcess>();
const dirs = new Set<string>();
const postgresDirs = new Set<string>();

// a test process that ends without its afterAll (a hook timed out, a crash) leaves nothing running
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  for (const dataDir of postgresDirs) {
    try {
      const cmd = join(PG_BIN, 'pg_ctl');
      const args = ['stop', '-D', dataDir, '-m', 'immediate'];
      if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'ignore' });
      else execFileSync(cmd, args, { stdio: 'ignore' });
    } catch {
      // already stopped
    }
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(kind: string): string {
  const dir = mkdtempSync(join(tmpdir(), `zqt-ha-${kind}-`));
  dirs.add(dir);
  return dir;
}

/** Stops every process and removes every directory this module started or made. */
export async function stopAll(): Promise<void> {
  for (const dataDir of postgresDirs)
    await pgCtl(['stop', '-D', dataDir, '-m', 'immediate']).catch(() => undefined);
  postgresDirs.clear();
  for (const child of children) child.kill('SIGKILL');
  await sleep(children.size > 0 ? 200 : 0);
  children.clear();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

// ---- Redis ----------------------------------------------------------------------------------------

export interface RedisProcess {
  port: number;
  child: ChildProcess;
  /** SIGKILL: the process dies as on a machine failure. */
  kill: () => Promise<void>;
}

async function startRedisProcess(port: number, args: string[], dir: string): Promise<RedisProcess> {
  const child = spawn('redis-server', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-4000)));
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => children.delete(child));
  const probe = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined);
  try {
    const until = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`redis-server on ${port} exited:\n${out}`);
      try {
        if (probe.status !== 'ready') await probe.connect();
        if ((await probe.ping()) === 'PONG') break;
      } catch {
        // not yet
      }
      if (Date.now() > until) throw new Error(`redis-server on ${port} did not answer:\n${out}`);
      await sleep(50);
    }
  } finally {
    probe.disconnect();
  }
  return {
    port,
    child,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

const REDIS_COMMON = [
  '--bind',
  '127.0.0.1',
  '--save',
  '',
  '--appendonly',
  'no',
  '--maxmemory-policy',
  'noeviction',
];

export interface RedisCluster {
  nodes: RedisProcess[];
  /** REDIS_CLUSTER_NODES for the app */
  nodesEnv: string;
}

/** A Redis Cluster of `masters` masters (no replicas), its 16384 slots spread evenly. */
export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  const dir = tempDir('cluster');
  const nodes: RedisProcess[] = [];
  for (let i = 0; i < masters; i++) {
    const port = await freePort();
    nodes.push(
      await startRedisProcess(
        port,
        [
          '--port',
          String(port),
          ...REDIS_COMMON,
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--cluster-node-timeout',
          '2000',
        ],
        dir,
      ),
    );
  }
  await run('redis-cli', [
    '--cluster',
    'create',
    ...nodes.map((n) => `127.0.0.1:${n.port}`),
    '--cluster-replicas',
    '0',
    '--cluster-yes',
  ]);
  // every node agrees the cluster is up
  for (const n of nodes) {
    const c = new Redis({ port: n.port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
    try {
      const until = Date.now() + 20_000;
      while (!/cluster_state:ok/.test(await c.cluster('INFO'))) {
        if (Date.now() > until) throw new Error(`cluster node ${n.port} never reached cluster_state:ok`);
        await sleep(100);
      }
    } finally {
      c.disconnect();
    }
  }
  return { nodes, nodesEnv: nodes.map((n) => `127.0.0.1:${n.port}`).join(',') };
}

export interface RedisSentinelSet {
  master: RedisProcess;
  replica: RedisProcess;
  sentinels: RedisProcess[];
  name: string;
  /** REDIS_SENTINELS for the app */
  sentinelsEnv: string;
  /** where the sentinels say the master is now */
  masterPort: () => Promise<number>;
}

/**
 * A master, one replica and three sentinels (quorum 2) that declare the master down after 1 s without
 * an answer and promote the replica.
 */
export async function startRedisSentinel(name = 'zqtmaster'): Promise<RedisSentinelSet> {
  const dir = tempDir('sentinel');
  const masterPort = await freePort();
  const master = await startRedisProcess(masterPort, ['--port', String(masterPort), ...REDIS_COMMON], dir);
  const replicaPort = await freePort();
  const replica = await startRedisProcess(
    replicaPort,
    ['--port', String(replicaPort), ...REDIS_COMMON, '--replicaof', '127.0.0.1', String(masterPort)],
    dir,
  );
  const r = new Redis({ port: replicaPort, host: '127.0.0.1', maxRetriesPerRequest: 1 });
  try {
    const until = Date.now() + 15_000;
    while (!/master_link_status:up/.test(await r.info('replication'))) {
      if (Date.now() > until) throw new Error('the replica never linked to its master');
      await sleep(100);
    }
  } finally {
    r.disconnect();
  }
  const sentinels: RedisProcess[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const conf = join(dir, `sentinel-${port}.conf`);
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `sentinel monitor ${name} 127.0.0.1 ${masterPort} 2`,
        `sentinel down-after-milliseconds ${name} 1000`,
        `sentinel failover-timeout ${name} 5000`,
        `sentinel parallel-syncs ${name} 1`,
        '',
      ].join('\n'),
    );
    sentinels.push(await startRedisProcess(port, [conf, '--sentinel'], dir));
  }
  const ask = async (): Promise<number> => {
    for (const s of sentinels) {
      if (s.child.exitCode !== null) continue;
      const c = new Redis({ port: s.port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
      try {
        const [, port] = (await c.call('SENTINEL', 'get-master-addr-by-name', name)) as [string, string];
        return Number(port);
      } finally {
        c.disconnect();
      }
    }
    throw new Error('no sentinel answers');
  };
  // the sentinels have found each other and the replica before the test starts
  for (const s of sentinels) {
    const c = new Redis({ port: s.port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
    try {
      const until = Date.now() + 20_000;
      for (;;) {
        const info = (await c.call('SENTINEL', 'master', name)) as string[];
        const field = (k: string) => Number(info[info.indexOf(k) + 1]);
        if (field('num-other-sentinels') >= 2 && field('num-slaves') >= 1) break;
        if (Date.now() > until) throw new Error(`sentinel ${s.port} did not discover its peers`);
        await sleep(100);
      }
    } finally {
      c.disconnect();
    }
  }
  return {
    master,
    replica,
    sentinels,
    name,
    sentinelsEnv: sentinels.map((s) => `127.0.0.1:${s.port}`).join(','),
    masterPort: ask,
  };
}

// ---- PostgreSQL ----------------------------------------------------------------------------------

async function pgRun(binary: string, args: string[]): Promise<string> {
  const cmd = join(PG_BIN, binary);
  const { stdout } = asRoot
    ? await run('runuser', ['-u', 'postgres', '--', cmd, ...args], { cwd: tmpdir() })
    : await run(cmd, args, { cwd: tmpdir() });
  return stdout;
}

function pgCtl(args: string[]): Promise<string> {
  return pgRun('pg_ctl', args);
}

export interface PgServer {
  port: number;
  dataDir: string;
  url: (database?: string) => string;
  /** SIGKILL to the postmaster and every backend: the machine died. */
  kill: () => Promise<void>;
  start: () => Promise<void>;
  stop: () => Promise<void>;
  promote: () => Promise<void>;
  query: <T = Record<string, unknown>>(sql: string, params?: unknown[], database?: string) => Promise<T[]>;
}

function pgServer(port: number, dataDir: string): PgServer {
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const server: PgServer = {
    port,
    dataDir,
    url,
    start: async () => {
      await pgCtl(['start', '-w', '-t', '60', '-D', dataDir, '-l', join(dataDir, 'server.log')]);
      postgresDirs.add(dataDir);
    },
    stop: async () => {
      await pgCtl(['stop', '-w', '-D', dataDir, '-m', 'fast']);
      postgresDirs.delete(dataDir);
    },
    kill: async () => {
      const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const { stdout } = await run('ps', ['-o', 'pid=', '--ppid', String(pid)]).catch(() => ({ stdout: '' }));
      const pids = [pid, ...stdout.split(/\s+/).filter(Boolean).map(Number)];
      for (const p of pids) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      postgresDirs.delete(dataDir);
    },
    promote: async () => {
      await pgCtl(['promote', '-w', '-t', '60', '-D', dataDir]);
    },
    query: async <T>(sql: string, params: unknown[] = [], database = 'postgres') => {
      const c = new Client({ connectionString: url(database) });
      await c.connect();
      try {
        return (await c.query(sql, params)).rows as T[];
      } finally {
        await c.end();
      }
    },
  };
  return server;
}

const SERVER_SETTINGS = (port: number, socketDir: string) => [
  `port = ${port}`,
  `listen_addresses = '127.0.0.1'`,
  `unix_socket_directories = '${socketDir}'`,
  'wal_level = replica',
  'max_wal_senders = 5',
  'hot_standby = on',
  'hot_standby_feedback = on',
  'max_connections = 60',
  'shared_buffers = 32MB',
  // the tests' data dies with the directory: no need to survive an OS crash, only a process crash
  'fsync = off',
  'full_page_writes = off',
  'wal_receiver_status_interval = 1s',
  'wal_retrieve_retry_interval = 500ms',
];

/**
 * A primary (initdb) and, when `standby` is given, a streaming standby cloned from it with
 * pg_basebackup. `synchronous`: commits wait until the standby has the WAL (synchronous_standby_names),
 * so a promoted standby has every commit a client was told about.
 */
export async function startPostgresPair(options: {
  standby: boolean;
  synchronous?: boolean;
}): Promise<{ primary: PgServer; standby: PgServer | null }> {
  const dir = tempDir('pg');
  if (asRoot) chownSync(dir, uidOf('postgres'), gidOf('postgres'));
  const primaryDir = join(dir, 'primary');
  await pgRun('initdb', [
    '-D',
    primaryDir,
    '-U',
    'postgres',
    '-A',
    'trust',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ]);
  const primaryPort = await freePort();
  const settings = SERVER_SETTINGS(primaryPort, dir);
  if (options.synchronous) settings.push(`synchronous_standby_names = '*'`, 'synchronous_commit = on');
  await appendConf(join(primaryDir, 'postgresql.conf'), settings);
  await appendConf(join(primaryDir, 'pg_hba.conf'), ['host replication all 127.0.0.1/32 trust']);
  const primary = pgServer(primaryPort, primaryDir);
  await primary.start();
  if (!options.standby) return { primary, standby: null };
  const standbyDir = join(dir, 'standby');
  await pgRun('pg_basebackup', [
    '-D',
    standbyDir,
    '-h',
    '127.0.0.1',
    '-p',
    String(primaryPort),
    '-U',
    'postgres',
    '-X',
    'stream',
    '-R',
    '--no-sync',
  ]);
  const standbyPort = await freePort();
  // the copied settings name the primary's port and standby list: the standby's own go last and win
  await appendConf(join(standbyDir, 'postgresql.conf'), [
    `port = ${standbyPort}`,
    `synchronous_standby_names = ''`,
  ]);
  const standby = pgServer(standbyPort, standbyDir);
  await standby.start();
  return { primary, standby };
}

/** Until the standby has replayed everything the primary has written so far. */
export async function caughtUp(primary: PgServer, standby: PgServer, ms = 30_000): Promise<void> {
  const [{ lsn }] = await primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  const until = Date.now() + ms;
  for (;;) {
    const [{ ok }] = await standby.query<{ ok: boolean }>(
      'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok',
      [lsn],
    );
    if (ok) return;
    if (Date.now() > until) throw new Error('the standby did not catch up');
    await sleep(50);
  }
}

async function appendConf(file: string, lines: string[]): Promise<void> {
  const text = `${readFileSync(file, 'utf8')}\n${lines.join('\n')}\n`;
  writeFileSync(file, text);
}

function uidOf(user: string): number {
  return Number(/^[^:]+:[^:]*:(\d+):/m.exec(passwdLine(user))?.[1]);
}
function gidOf(user: string): number {
  return Number(/^[^:]+:[^:]*:\d+:(\d+):/m.exec(passwdLine(user))?.[1]);
}
function passwdLine(user: string): string {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`no ${user} user: as root, PostgreSQL's binaries run as that user`);
  return line;
}
