import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  ValidateBy,
} from 'class-validator';
import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';

/** all: API and workers; api or worker: one side; migrate: apply migrations and exit (as the tables' owner). */
export type ProcessRole = 'all' | 'api' | 'worker' | 'migrate';
/** auto: human-readable on a terminal (when pino-pretty is installed), JSON lines otherwise. */
export type LogFormat = 'auto' | 'json' | 'pretty';

const isScalar = (value: unknown): value is string | number =>
  typeof value === 'string' || typeof value === 'number';
const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : isScalar(value) && /^-?\d+$/.test(String(value))
      ? Number(value)
      : value;
const toNumber = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : isScalar(value) && /^-?\d+(\.\d+)?$/.test(String(value))
      ? Number(value)
      : value;
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
/** host:port[,host:port…]; the host a name, an IPv4 address or a bracketed IPv6 one. */
const HOST_PORT_LIST =
  /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}(,\s*(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5})*$/;

/** One TRUSTED_PROXIES item: an IP address, a CIDR range, or one of Express's named ranges. */
export function isProxyItem(item: string): boolean {
  const value = item.trim();
  if (['loopback', 'linklocal', 'uniquelocal'].includes(value)) return true;
  const [address, prefix, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
const IsProxyList = () =>
  ValidateBy({
    name: 'isProxyList',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && value.split(',').every(isProxyItem),
      defaultMessage: () =>
        'TRUSTED_PROXIES must be a comma-separated list of IP addresses, CIDR ranges, loopback, linklocal or uniquelocal',
    },
  });

/**
 * The environment as it arrives, validated once at boot (SPEC §6). Nothing outside src/config reads
 * process.env: everything else receives an AppConfig.
 */
class EnvironmentVariables {
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'REDIS_PREFIX must be 1-64 letters, digits, _ or -' })
  REDIS_PREFIX?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(HOST_PORT_LIST, { message: 'REDIS_SENTINELS must be a comma-separated list of host:port' })
  REDIS_SENTINELS?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, {
    message: 'REDIS_SENTINEL_NAME must be 1-64 letters, digits, . _ or -',
  })
  REDIS_SENTINEL_NAME?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  REDIS_SENTINEL_PASSWORD?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(HOST_PORT_LIST, { message: 'REDIS_CLUSTER_NODES must be a comma-separated list of host:port' })
  REDIS_CLUSTER_NODES?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_READ_URL must be a postgres:// URL' })
  DATABASE_READ_URL?: string;

  @Transform(toNumber)
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(86_400)
  READ_MAX_LAG_SECONDS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsString()
  @MinLength(16, { message: 'JWT_SECRET must be at least 16 characters' })
  JWT_SECRET!: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(60)
  JWT_TTL_SECONDS?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[a-z0-9_.-]{3,64}$/i, { message: 'ADMIN_USERNAME must be 3-64 letters, digits, _ . or -' })
  ADMIN_USERNAME?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'ADMIN_PASSWORD must be at least 8 characters' })
  ADMIN_PASSWORD?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z_]+\/[A-Za-z_]+$/, { message: 'TZ_CALENDAR must be an IANA zone such as Asia/Shanghai' })
  TZ_CALENDAR?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  MAX_REOPENS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  LOGIN_FAILURE_LIMIT?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  REGISTRATIONS_PER_HOUR?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsProxyList()
  TRUSTED_PROXIES?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  LOGIN_FAILURE_WINDOW_SECONDS?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['all', 'api', 'worker', 'migrate'], { message: 'ROLE must be one of all, api, worker, migrate' })
  ROLE?: ProcessRole;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\d+(kb|mb)$/i, { message: 'BODY_LIMIT must look like 256kb or 1mb' })
  BODY_LIMIT?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(100)
  SHUTDOWN_TIMEOUT_MS?: number;

  @Transform(toNumber)
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  DEFAULT_WARN_AT?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(
    /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d(,([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d)*$/,
    {
      message: 'WORKING_HOURS must look like 09:00-12:00,13:30-17:30',
    },
  )
  WORKING_HOURS?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'log', 'info', 'debug', 'verbose', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['auto', 'json', 'pretty'], { message: 'LOG_FORMAT must be one of auto, json, pretty' })
  LOG_FORMAT?: LogFormat;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  METRICS_PORT?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  METRICS_DB_REFRESH_MS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(50)
  @Max(3_600_000)
  WEBHOOK_POLL_MS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(300_000)
  WEBHOOK_TIMEOUT_MS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(10)
  WEBHOOK_BACKOFF_MS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(10)
  WEBHOOK_BACKOFF_MAX_MS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  WEBHOOK_MAX_ATTEMPTS?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(100)
  WEBHOOK_DISABLE_AFTER_MS?: number;
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  ATTACHMENTS_DIR?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  ATTACHMENT_MAX_BYTES?: number;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1024)
  ATTACHMENT_APPEAL_MAX_BYTES?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'S3_BUCKET must be a bucket name' })
  S3_BUCKET?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'S3_ENDPOINT must be an http(s) URL' })
  S3_ENDPOINT?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  S3_REGION?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  S3_ACCESS_KEY_ID?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  S3_SECRET_ACCESS_KEY?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'S3_FORCE_PATH_STYLE must be true or false' })
  S3_FORCE_PATH_STYLE?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9!_.*'()/-]{0,200}$/, { message: 'S3_PREFIX must be a key prefix' })
  S3_PREFIX?: string;

  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(36500)
  CONTACT_RETENTION_DAYS?: number;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'CONTACT_HASH_KEY must be at least 16 characters' })
  CONTACT_HASH_KEY?: string;
}

export interface HostPort {
  host: string;
  port: number;
}

/**
 * How Redis is reached: one server by REDIS_URL; a master found through Sentinel (REDIS_SENTINELS,
 * REDIS_SENTINEL_NAME); or a Redis Cluster (REDIS_CLUSTER_NODES). With Sentinel or Cluster, REDIS_URL
 * still gives the data nodes' username, password and TLS (its host and port are not used).
 */
export type RedisTopology =
  | { kind: 'single' }
  | { kind: 'sentinel'; sentinels: HostPort[]; name: string; sentinelPassword: string | undefined }
  | { kind: 'cluster'; nodes: HostPort[] };

export interface AppConfig {
  databaseUrl: string;
  /**
   * A streaming replica for the read-only routes that may be a few seconds stale (the reports); null:
   * everything reads the primary.
   */
  databaseReadUrl: string | null;
  /** The replica is used while its replay lags the primary by at most this; the primary otherwise. */
  readMaxLagSeconds: number;
  redisUrl: string;
  redisPrefix: string;
  redisTopology: RedisTopology;
  port: number;
  jwtSecret: string;
  jwtTtlSeconds: number;
  adminUsername: string;
  adminPassword: string | undefined;
  calendarTimeZone: string;
  maxReopens: number;
  rateLimitPerMinute: number;
  loginFailureLimit: number;
  loginFailureWindowSeconds: number;
  /** registrations per client address per hour (SPEC §5: stricter than the general limit) */
  registrationsPerHour: number;
  /**
   * Proxies whose X-Forwarded-For is believed (Express `trust proxy` values); empty: none, the client
   * address is the socket's (SPEC §5).
   */
  trustedProxies: string[];
  role: ProcessRole;
  bodyLimit: string;
  dbPoolSize: number;
  shutdownTimeoutMs: number;
  defaultWarnAt: number;
  /** fatal, error, warn, log (= info), debug, verbose (= trace) or silent; info and trace are accepted too. */
  logLevel: string;
  logFormat: LogFormat;
  /** ROLE=worker only: a port serving GET /metrics (a worker has no HTTP otherwise). */
  metricsPort: number | undefined;
  /** The database-backed gauges of /metrics are re-read at most this often (0: on every scrape). */
  metricsDbRefreshMs: number;
  /** Working-hour intervals of a working day, in TZ_CALENDAR local time (SPEC §3). */
  workingHours: { start: string; end: string }[];
  /** Evidence files (SPEC §11). */
  attachments: {
    /** the directory store's root (and, with S3 too, where uploads are staged before they are stored) */
    dir: string;
    maxBytes: number;
    appealMaxBytes: number;
    /** S3-compatible object storage, when S3_BUCKET is set; the directory store otherwise */
    s3: S3Config | null;
  };
  /** Personal data (SPEC §11 retention). */
  contacts: {
    /** days after an appeal ends before its contact is anonymised */
    retentionDays: number;
    /** the key of the phone's keyed hash kept after anonymisation */
    hashKey: string;
  };
  /** Outgoing webhook delivery (SPEC §5). */
  webhooks: {
    /** How often the pump looks for due outbox rows. */
    pollMs: number;
    /** Time allowed for one POST, answer headers included. */
    timeoutMs: number;
    /** Delay after the first failed attempt; doubles per failure up to maxBackoffMs. */
    backoffMs: number;
    maxBackoffMs: number;
    /** Failed attempts after which a delivery is marked failed. */
    maxAttempts: number;
    /** A webhook failing without a success for this long is disabled at its next failure. */
    disableAfterMs: number;
  };
}

export interface S3Config {
  bucket: string;
  endpoint: string | undefined;
  region: string;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  forcePathStyle: boolean;
  prefix: string;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {}

/** Pure: validates an environment map and returns the typed configuration, or throws naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const parsed = plainToInstance(EnvironmentVariables, { ...env }, { enableImplicitConversion: false });
  const errors = validateSync(parsed, { whitelist: false, skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => {
      const messages = Object.values(e.constraints ?? {});
      return `  ${e.property}: ${messages.join('; ')}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return {
    databaseUrl: parsed.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/zhengqitong',
    databaseReadUrl: parsed.DATABASE_READ_URL ?? null,
    readMaxLagSeconds: parsed.READ_MAX_LAG_SECONDS ?? 10,
    redisUrl: parsed.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisPrefix: parsed.REDIS_PREFIX ?? 'zqt',
    redisTopology: redisTopology(parsed),
    port: parsed.PORT ?? 3000,
    jwtSecret: parsed.JWT_SECRET,
    jwtTtlSeconds: parsed.JWT_TTL_SECONDS ?? 8 * 3600,
    adminUsername: parsed.ADMIN_USERNAME ?? 'admin',
    adminPassword: parsed.ADMIN_PASSWORD,
    calendarTimeZone: parsed.TZ_CALENDAR ?? 'Asia/Shanghai',
    maxReopens: parsed.MAX_REOPENS ?? 2,
    rateLimitPerMinute: parsed.RATE_LIMIT_PER_MINUTE ?? 600,
    loginFailureLimit: parsed.LOGIN_FAILURE_LIMIT ?? 10,
    loginFailureWindowSeconds: parsed.LOGIN_FAILURE_WINDOW_SECONDS ?? 15 * 60,
    registrationsPerHour: parsed.REGISTRATIONS_PER_HOUR ?? 10,
    trustedProxies: (parsed.TRUSTED_PROXIES ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
    role: parsed.ROLE ?? 'all',
    bodyLimit: parsed.BODY_LIMIT ?? '1mb',
    dbPoolSize: parsed.DB_POOL_SIZE ?? 10,
    shutdownTimeoutMs: parsed.SHUTDOWN_TIMEOUT_MS ?? 10000,
    defaultWarnAt: parsed.DEFAULT_WARN_AT ?? 0.8,
    logLevel: parsed.LOG_LEVEL ?? 'log',
    logFormat: parsed.LOG_FORMAT ?? 'auto',
    metricsPort: parsed.METRICS_PORT,
    metricsDbRefreshMs: parsed.METRICS_DB_REFRESH_MS ?? 15_000,
    workingHours: (parsed.WORKING_HOURS ?? '09:00-12:00,13:30-17:30').split(',').map((span) => {
      const [start, end] = span.split('-');
      return { start, end };
    }),
    attachments: {
      dir: resolve(parsed.ATTACHMENTS_DIR ?? join('data', 'attachments')),
      maxBytes: parsed.ATTACHMENT_MAX_BYTES ?? 10 * 1024 * 1024,
      appealMaxBytes: parsed.ATTACHMENT_APPEAL_MAX_BYTES ?? 50 * 1024 * 1024,
      s3: parsed.S3_BUCKET
        ? {
            bucket: parsed.S3_BUCKET,
            endpoint: parsed.S3_ENDPOINT,
            region: parsed.S3_REGION ?? 'us-east-1',
            accessKeyId: parsed.S3_ACCESS_KEY_ID,
            secretAccessKey: parsed.S3_SECRET_ACCESS_KEY,
            forcePathStyle: (parsed.S3_FORCE_PATH_STYLE ?? 'true') === 'true',
            prefix: parsed.S3_PREFIX ?? '',
          }
        : null,
    },
    contacts: {
      retentionDays: parsed.CONTACT_RETENTION_DAYS ?? 180,
      // a key of its own when given; otherwise one derived from JWT_SECRET (rotating that then orphans old hashes)
      hashKey:
        parsed.CONTACT_HASH_KEY ??
        createHmac('sha256', parsed.JWT_SECRET).update('contact-phone-hash').digest('hex'),
    },
    webhooks: {
      pollMs: parsed.WEBHOOK_POLL_MS ?? 1000,
      timeoutMs: parsed.WEBHOOK_TIMEOUT_MS ?? 10_000,
      backoffMs: parsed.WEBHOOK_BACKOFF_MS ?? 10_000,
      // a cap below the base would make the first retry the longest
      maxBackoffMs: Math.max(parsed.WEBHOOK_BACKOFF_MAX_MS ?? 3_600_000, parsed.WEBHOOK_BACKOFF_MS ?? 10_000),
      maxAttempts: parsed.WEBHOOK_MAX_ATTEMPTS ?? 40,
      disableAfterMs: parsed.WEBHOOK_DISABLE_AFTER_MS ?? 24 * 3_600_000,
    },
  };
}

function hostPorts(list: string): HostPort[] {
  return list.split(',').map((item) => {
    const at = item.trim().lastIndexOf(':');
    return {
      host: item
        .trim()
        .slice(0, at)
        .replace(/^\[|\]$/g, ''),
      port: Number(item.trim().slice(at + 1)),
    };
  });
}

function redisTopology(parsed: EnvironmentVariables): RedisTopology {
  if (parsed.REDIS_SENTINELS && parsed.REDIS_CLUSTER_NODES)
    throw new ConfigError(
      'Invalid configuration:\n  REDIS_SENTINELS: set REDIS_SENTINELS or REDIS_CLUSTER_NODES, not both',
    );
  if (parsed.REDIS_SENTINELS)
    return {
      kind: 'sentinel',
      sentinels: hostPorts(parsed.REDIS_SENTINELS),
      name: parsed.REDIS_SENTINEL_NAME ?? 'mymaster',
      sentinelPassword: parsed.REDIS_SENTINEL_PASSWORD,
    };
  if (parsed.REDIS_CLUSTER_NODES) {
    const db = parsed.REDIS_URL ? new URL(parsed.REDIS_URL).pathname.slice(1) : '';
    if (db !== '' && db !== '0')
      throw new ConfigError('Invalid configuration:\n  REDIS_URL: a Redis Cluster has database 0 only');
    return { kind: 'cluster', nodes: hostPorts(parsed.REDIS_CLUSTER_NODES) };
  }
  return { kind: 'single' };
}

/** The only place that reads process.env: loads ./.env (without overriding real variables) then validates. */
export function loadConfigFromProcess(): AppConfig {
  loadEnvFile();
  return loadConfig(process.env);
}

/** For tools that need only the database (the migration CLI, the seeders): DATABASE_URL alone. */
export function loadDatabaseUrlFromProcess(): string {
  loadEnvFile();
  return loadConfig({ JWT_SECRET: 'unused-by-database-tools', ...process.env }).databaseUrl;
}

function loadEnvFile(): void {
  try {
    process.loadEnvFile('.env');
  } catch {
    // no .env file: the environment alone decides
  }
}
