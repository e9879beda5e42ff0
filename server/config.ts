import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | null;
  dataDir: string;
  timezone: string;
  secret: string;
  publicUrl: string | null;
  demoPassword: string;
  testClock: boolean;
  production: boolean;
  logLevel: string;
  /** Where the built web app lives; served with an SPA fallback when present. */
  webDir: string;
  /** The largest spreadsheet an import takes, and the most rows (docs/spec.md §4). */
  importMaxBytes: number;
  importMaxRows: number;
  /** The heap of the thread that reads an import's file (and, on PostgreSQL, runs all of it). */
  importHeapMb: number;
  /** How long a background job's claim holds without being renewed before others take it as dead. */
  jobLeaseMs: number;
  /** Run queued imports in this process (tests that need no worker turn it off). */
  importWorker: boolean;
  /**
   * Failed sign-ins from one address (an IPv6 /64) in the throttle's window past which it may not
   * try again: far above the per-username limit, as a school's staff may share one address.
   */
  loginMaxFailuresPerAddress: number;
  /** PostgreSQL's limits (PGlite runs in this process and has none). */
  databaseTimeouts: DatabaseTimeouts;
};

/**
 * How long anything may wait on PostgreSQL, in milliseconds (0: no limit). A request that reaches
 * a limit is answered `503 unavailable` rather than left hanging: `connectMs` bounds opening a
 * connection and waiting for a free one of the pool; `statementMs` one statement (the server
 * cancels it, and past it by a margin the client gives up on a server that does not answer at
 * all); `lockMs` waiting for a row or advisory lock; `idleInTransactionMs` a transaction left open
 * while its process does nothing.
 */
export type DatabaseTimeouts = {
  connectMs: number;
  statementMs: number;
  lockMs: number;
  idleInTransactionMs: number;
};

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = {
  connectMs: 5_000,
  statementMs: 30_000,
  lockMs: 10_000,
  idleInTransactionMs: 60_000,
};

export class ConfigError extends Error {}

export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

/** A duration given in whole seconds, as milliseconds. */
const seconds = (env: NodeJS.ProcessEnv, name: string, fallbackMs: number, min: number) =>
  integer(env, name, fallbackMs / 1000, min, 86_400) * 1000;

function validTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * The signing secret: taken from CRM_SECRET, or generated once into the data directory so it
 * survives restarts. Several instances must share one CRM_SECRET.
 */
function loadSecret(env: NodeJS.ProcessEnv, dataDir: string): string {
  const fromEnv = env.CRM_SECRET;
  if (fromEnv) {
    if (fromEnv.length < 16) throw new ConfigError('CRM_SECRET must be at least 16 characters');
    return fromEnv;
  }
  const file = path.join(dataDir, 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** Reads and validates the environment once, at start. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const timezone = env.CRM_TIMEZONE?.trim() || DEFAULT_TIMEZONE;
  if (!validTimezone(timezone)) throw new ConfigError(`CRM_TIMEZONE "${timezone}" is not a known time zone`);
  const publicUrl = env.PUBLIC_URL?.trim() || null;
  if (publicUrl && !/^https?:\/\//.test(publicUrl)) {
    throw new ConfigError('PUBLIC_URL must start with http:// or https://');
  }
  const dataDir = path.resolve(env.CRM_DATA_DIR?.trim() || './data');
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST?.trim() || '127.0.0.1',
    databaseUrl,
    dataDir,
    timezone,
    secret: loadSecret(env, dataDir),
    publicUrl,
    demoPassword: env.CRM_DEMO_PASSWORD || 'demo1234',
    testClock: env.CRM_TEST_CLOCK === '1',
    production: env.NODE_ENV === 'production',
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    webDir: path.resolve(env.CRM_WEB_DIR?.trim() || 'dist/web'),
    importMaxBytes: integer(env, 'CRM_IMPORT_MAX_BYTES', 20 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    importMaxRows: integer(env, 'CRM_IMPORT_MAX_ROWS', 200_000, 1, 10_000_000),
    importHeapMb: integer(env, 'CRM_IMPORT_HEAP_MB', 192, 16, 65_536),
    jobLeaseMs: integer(env, 'CRM_JOB_LEASE_SECONDS', 60, 1, 86_400) * 1000,
    importWorker: env.CRM_IMPORT_WORKER !== '0',
    loginMaxFailuresPerAddress: integer(env, 'CRM_LOGIN_MAX_FAILURES_PER_ADDRESS', 50, 1, 1_000_000),
    databaseTimeouts: {
      connectMs: seconds(env, 'CRM_DB_CONNECT_TIMEOUT_SECONDS', DEFAULT_DATABASE_TIMEOUTS.connectMs, 1),
      statementMs: seconds(env, 'CRM_DB_STATEMENT_TIMEOUT_SECONDS', DEFAULT_DATABASE_TIMEOUTS.statementMs, 0),
      lockMs: seconds(env, 'CRM_DB_LOCK_TIMEOUT_SECONDS', DEFAULT_DATABASE_TIMEOUTS.lockMs, 0),
      idleInTransactionMs: seconds(
        env,
        'CRM_DB_IDLE_IN_TRANSACTION_SECONDS',
        DEFAULT_DATABASE_TIMEOUTS.idleInTransactionMs,
        0,
      ),
    },
  };
}
