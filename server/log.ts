import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';

export type LogFormat = 'pretty' | 'json';

/** Secrets a request carries, never written to a log. */
const REDACT = ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'];

/** Levels at which a failed query's parameters may be logged: someone is debugging, on purpose. */
const VERBOSE = new Set(['debug', 'trace']);

type QueryError = { query: string; params: unknown[]; cause?: unknown };
const isQueryError = (error: unknown): error is QueryError =>
  typeof (error as QueryError)?.query === 'string' && Array.isArray((error as QueryError).params);

/**
 * Errors as pino writes them, less what a failed statement was given. Drizzle puts a failed query's
 * parameters in its message (`Failed query: … params: …`), and they are session token hashes,
 * password hashes, phone numbers: the statement is what one needs to find the bug. PostgreSQL's
 * `detail` repeats the values too ("Key (phone)=(…)", "Failing row contains (…)").
 */
export function errorWithoutValues(error: unknown): unknown {
  const out = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  if (!out || typeof out !== 'object' || out === error) return out;
  const hidden: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (isQueryError(e) && e.params.length > 0) hidden.push(`\nparams: ${e.params}`);
  }
  for (const key of ['message', 'stack'] as const) {
    const text = out[key];
    if (typeof text === 'string') out[key] = hidden.reduce((t, params) => t.split(params).join(''), text);
  }
  delete out.params;
  delete out.detail;
  return out;
}

/**
 * The server's logger: lines a person reads on a terminal (pino-pretty, in this process, so a
 * crash never loses the last lines), JSON for anything else (a file, a log collector). LOG_FORMAT
 * overrides the guess. `destination` is for tests that read what was logged.
 */
export function createLogger(level: string, format: LogFormat, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    redact: REDACT,
    serializers: VERBOSE.has(level) ? {} : { err: errorWithoutValues },
  };
  if (format === 'json') return destination ? pino(options, destination) : pino(options);
  return pino(
    options,
    pretty({
      sync: true,
      colorize: true,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss',
      // A request's line already says these; the demo's row counts are for machines.
      ignore: 'pid,hostname,reqId,method,url,status,ms,summary',
      ...(destination ? { destination } : {}),
    }),
  );
}

export function defaultLogFormat(env: NodeJS.ProcessEnv = process.env): LogFormat {
  const chosen = env.LOG_FORMAT?.trim();
  if (chosen === 'json' || chosen === 'pretty') return chosen;
  return process.stdout.isTTY ? 'pretty' : 'json';
}

/** Addresses whose query carries a credential (WeChat's OAuth code and our signed state). */
const CREDENTIAL_QUERIES = ['/api/wechat/oauth/callback?'];

/** A request's address as logged: a credential in its query is replaced by `…`. */
export function loggedUrl(url: string): string {
  if (!CREDENTIAL_QUERIES.some((prefix) => url.startsWith(prefix))) return url;
  return url.replace(/([?&][^=&]+=)[^&]*/g, '$1…');
}

/**
 * One line per request, when it is answered, in place of Fastify's pair ("incoming request",
 * "request completed"). The built assets a page pulls in by the dozen are logged at debug level.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const ms = Math.round(reply.elapsedTime * 10) / 10;
    const fields = {
      method: request.method,
      url: loggedUrl(request.url),
      status: reply.statusCode,
      ms,
      ...(request.actor ? { userId: request.actor.userId } : {}),
      ...(error ? { err: error } : {}),
    };
    const line = `${request.method} ${fields.url} ${reply.statusCode} ${ms} ms`;
    // A 503 is the database being away, already said once per request as a warning: not a bug.
    if (reply.statusCode === 503) request.log.warn(fields, line);
    else if (error || reply.statusCode >= 500) request.log.error(fields, line);
    else if (request.url.startsWith('/assets/')) request.log.debug(fields, line);
    else request.log.info(fields, line);
  }
}
