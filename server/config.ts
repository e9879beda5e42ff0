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
  /** Delivering notifications (docs/spec.md §6): the worker and each provider, null when not configured. */
  notify: NotifyConfig;
};

/** Events a provider template is named for, as `event=id,event=id` in the environment. */
export type TemplateIds = Partial<Record<string, string>>;

export type NotifyConfig = {
  /** Deliver in this process (tests that need no worker turn it off). */
  worker: boolean;
  /** The first retry's delay; each next doubles, with jitter. */
  retryBaseSeconds: number;
  /** Attempts before a notification is given up as `dead`. */
  maxAttempts: number;
  /** How long one call to a provider may take. */
  timeoutMs: number;
  email: { smtpUrl: string; from: string } | null;
  dingtalk: { webhook: string; secret: string | null } | null;
  wechat: {
    appId: string;
    appSecret: string;
    /** https://api.weixin.qq.com, or a fake's address in tests. */
    apiBase: string;
    /** Where the OAuth authorise page is: https://open.weixin.qq.com. */
    openBase: string;
    templates: TemplateIds;
  } | null;
  sms: {
    accessKeyId: string;
    accessKeySecret: string;
    signName: string;
    /** https://dysmsapi.aliyuncs.com, or a fake's address in tests. */
    endpoint: string;
    templates: TemplateIds;
  } | null;
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
    notify: loadNotifyConfig(env),
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

const given = (env: NodeJS.ProcessEnv, name: string): string | null => env[name]?.trim() || null;

function url(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = given(env, name) ?? fallback;
  if (!/^https?:\/\//.test(value)) throw new ConfigError(`${name} must start with http:// or https://`);
  return value.replace(/\/+$/, '');
}

/** `customer_assigned=SMS_1,grab_won=SMS_2` → `{ customer_assigned: 'SMS_1', grab_won: 'SMS_2' }`. */
export function templateIds(env: NodeJS.ProcessEnv, name: string): TemplateIds {
  const raw = given(env, name);
  if (!raw) return {};
  const ids: TemplateIds = {};
  for (const pair of raw.split(',')) {
    const [event, id] = pair.split('=').map((part) => part.trim());
    if (!event || !id) throw new ConfigError(`${name} must be event=id pairs separated by commas`);
    ids[event] = id;
  }
  return ids;
}

/**
 * A provider is configured when its required settings are all given, and refused at start when only
 * some are: a half-configured channel would fail every message silently.
 */
function provider<T>(env: NodeJS.ProcessEnv, names: string[], make: () => T): T | null {
  const present = names.filter((name) => given(env, name));
  if (present.length === 0) return null;
  if (present.length < names.length) {
    const missing = names.filter((name) => !given(env, name));
    throw new ConfigError(`${missing.join(', ')} must be set with ${present.join(', ')}`);
  }
  return make();
}

function loadNotifyConfig(env: NodeJS.ProcessEnv): NotifyConfig {
  const smtpUrl = given(env, 'SMTP_URL');
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl))
    throw new ConfigError('SMTP_URL must start with smtp:// or smtps://');
  return {
    worker: env.CRM_NOTIFY_WORKER !== '0',
    retryBaseSeconds: integer(env, 'CRM_NOTIFY_RETRY_BASE_SECONDS', 30, 1, 86_400),
    maxAttempts: integer(env, 'CRM_NOTIFY_MAX_ATTEMPTS', 8, 1, 100),
    timeoutMs: integer(env, 'CRM_NOTIFY_TIMEOUT_SECONDS', 10, 1, 300) * 1000,
    email: smtpUrl ? { smtpUrl, from: given(env, 'MAIL_FROM') ?? 'Banyan CRM <crm@localhost>' } : null,
    dingtalk: provider(env, ['DINGTALK_ROBOT_WEBHOOK'], () => ({
      webhook: url(env, 'DINGTALK_ROBOT_WEBHOOK', ''),
      secret: given(env, 'DINGTALK_ROBOT_SECRET'),
    })),
    wechat: provider(env, ['WECHAT_APP_ID', 'WECHAT_APP_SECRET'], () => ({
      appId: given(env, 'WECHAT_APP_ID') ?? '',
      appSecret: given(env, 'WECHAT_APP_SECRET') ?? '',
      apiBase: url(env, 'WECHAT_API_BASE', 'https://api.weixin.qq.com'),
      openBase: url(env, 'WECHAT_OPEN_BASE', 'https://open.weixin.qq.com'),
      templates: templateIds(env, 'WECHAT_TEMPLATE_IDS'),
    })),
    sms: provider(
      env,
      ['ALIYUN_SMS_ACCESS_KEY_ID', 'ALIYUN_SMS_ACCESS_KEY_SECRET', 'ALIYUN_SMS_SIGN_NAME'],
      () => ({
        accessKeyId: given(env, 'ALIYUN_SMS_ACCESS_KEY_ID') ?? '',
        accessKeySecret: given(env, 'ALIYUN_SMS_ACCESS_KEY_SECRET') ?? '',
        signName: given(env, 'ALIYUN_SMS_SIGN_NAME') ?? '',
        endpoint: url(env, 'ALIYUN_SMS_ENDPOINT', 'https://dysmsapi.aliyuncs.com'),
        templates: templateIds(env, 'ALIYUN_SMS_TEMPLATE_CODES'),
      }),
    ),
  };
}
