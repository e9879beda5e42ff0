import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type LogFormat = 'pretty' | 'json';

/** Secrets a request carries, never written to a log. */
const REDACT = ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'];

/**
 * The server's logger: lines a person reads on a terminal (pino-pretty, in this process, so a
 * crash never loses the last lines), JSON for anything else (a file, a log collector). LOG_FORMAT
 * overrides the guess.
 */
export function createLogger(level: string, format: LogFormat): Logger {
  if (format === 'json') return pino({ level, redact: REDACT });
  return pino(
    { level, redact: REDACT },
    pretty({
      sync: true,
      colorize: true,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss',
      // A request's line already says these; the demo's row counts are for machines.
      ignore: 'pid,hostname,reqId,method,url,status,ms,summary',
    }),
  );
}

export function defaultLogFormat(env: NodeJS.ProcessEnv = process.env): LogFormat {
  const chosen = env.LOG_FORMAT?.trim();
  if (chosen === 'json' || chosen === 'pretty') return chosen;
  return process.stdout.isTTY ? 'pretty' : 'json';
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
      url: request.url,
      status: reply.statusCode,
      ms,
      ...(request.actor ? { userId: request.actor.userId } : {}),
      ...(error ? { err: error } : {}),
    };
    const line = `${request.method} ${request.url} ${reply.statusCode} ${ms} ms`;
    if (error || reply.statusCode >= 500) request.log.error(fields, line);
    else if (request.url.startsWith('/assets/')) request.log.debug(fields, line);
    else request.log.info(fields, line);
  }
}
