import { setTimeout as sleep } from 'node:timers/promises';

/**
 * PostgreSQL's answers that say "not now" rather than "not this": the same request may well
 * succeed in a few seconds. Class 08 (connection exception) is matched by its prefix.
 */
const BUSY_OR_DOWN = new Set([
  '57P01', // admin_shutdown: the server is stopping (or our backend was terminated)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up, or in recovery
  '57014', // query_canceled: statement_timeout ran out
  '55P03', // lock_not_available: lock_timeout ran out
  '25P03', // idle_in_transaction_session_timeout
  '53000', // insufficient_resources
  '53100', // disk_full
  '53200', // out_of_memory
  '53300', // too_many_connections
  '53400', // configuration_limit_exceeded
]);

/** Node's socket errors on the way to the server. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** What pg and pg-pool throw, without a code, when the server is gone or does not answer. */
const DRIVER_MESSAGES = [
  /^Connection terminated/, // …unexpectedly; …due to connection timeout
  /^timeout exceeded when trying to connect$/, // no free connection within connectionTimeoutMillis
  /^Query read timeout$/, // query_timeout: the server took the statement and went silent
  /is not queryable$/, // a client whose connection already died
  /^Cannot use a pool after calling end on the pool$/, // shutting down
];

function causes(error: unknown): unknown[] {
  const seen: unknown[] = [];
  const visit = (e: unknown, depth: number) => {
    if (!e || typeof e !== 'object' || depth > 6 || seen.includes(e)) return;
    seen.push(e);
    visit((e as { cause?: unknown }).cause, depth + 1);
    // Connecting to a name with several addresses fails with an AggregateError of each attempt.
    const { errors } = e as { errors?: unknown };
    if (Array.isArray(errors)) for (const inner of errors) visit(inner, depth + 1);
  };
  visit(error, 0);
  return seen;
}

function isOutage(e: unknown): boolean {
  const { code, message } = e as { code?: unknown; message?: unknown };
  if (
    typeof code === 'string' &&
    (BUSY_OR_DOWN.has(code) || code.startsWith('08') || SOCKET_CODES.has(code))
  ) {
    return true;
  }
  return typeof message === 'string' && DRIVER_MESSAGES.some((pattern) => pattern.test(message));
}

/**
 * The database could not serve this now (down, frozen, starting, out of connections, a timeout ran
 * out): the caller should say so and let the client retry, not report a bug. Looks through
 * drizzle's wrapping (`cause`).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return causes(error).some(isOutage);
}

/** The innermost reason of an outage in a few words, for a log line (never a statement's values). */
export function outageReason(error: unknown): string {
  const reason = causes(error).filter(isOutage).at(-1) as { code?: unknown; message?: unknown } | undefined;
  if (!reason) return 'unknown';
  const code = typeof reason.code === 'string' ? `${reason.code}: ` : '';
  return `${code}${String(reason.message ?? '')}`.slice(0, 200);
}

/** Rejects with `TimeoutError` when `work` has not settled within `ms` (work itself runs on). */
export async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: 'ETIMEDOUT' })),
      ms,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The waits between attempts: 1 s, 2 s, 4 s… up to 30 s. */
export const backoffMs = (attempt: number) => Math.min(30_000, 1_000 * 2 ** Math.min(attempt - 1, 10));

/**
 * Runs `attempt` until the database lets it finish: while the failure is an outage (the server not
 * up yet, restarting, refusing connections) it waits and tries again, logging each try once;
 * anything else (a wrong password, a failed migration) is thrown at once. `stopped` ends the wait
 * (the process is shutting down).
 */
export async function untilDatabaseAnswers<T>(
  attempt: () => Promise<T>,
  options: {
    log?: { warn(fields: object, message: string): void };
    what: string;
    stopped?: () => boolean;
    delayMs?: (attempt: number) => number;
  },
): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isDatabaseUnavailable(error) || options.stopped?.()) throw error;
      const delay = (options.delayMs ?? backoffMs)(tries);
      options.log?.warn(
        { attempt: tries, retryInMs: delay, reason: outageReason(error) },
        `${options.what}: the database is not available yet; trying again in ${Math.round(delay / 100) / 10} s`,
      );
      await sleep(delay);
      if (options.stopped?.()) throw error;
    }
  }
}
