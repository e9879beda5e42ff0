import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import {
  type DetailCode,
  type ErrorCode,
  type ErrorDetail,
  errorCodes,
  HttpError,
  RETRY_AFTER_SECONDS,
  unavailable,
} from './errors.ts';
import { isDatabaseUnavailable, outageReason } from './outage.ts';

type AjvIssue = {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
};

/** ajv's keywords for a bound, as the rule a field broke; each names its bound as `limit`. */
const boundRules = new Map<string, DetailCode>([
  ['minLength', 'too_short'],
  ['minItems', 'too_short'],
  ['maxLength', 'too_long'],
  ['maxItems', 'too_long'],
  ['minimum', 'too_small'],
  ['exclusiveMinimum', 'too_small'],
  ['maximum', 'too_large'],
  ['exclusiveMaximum', 'too_large'],
]);

/** ajv's keywords as the rule a field broke, with the value the rule names. */
function ruleOf(issue: AjvIssue): Pick<ErrorDetail, 'code' | 'params'> {
  const params = issue.params ?? {};
  const limit = typeof params.limit === 'number' ? { limit: params.limit } : undefined;
  const bound = boundRules.get(issue.keyword ?? '');
  if (bound) return { code: bound, params: limit };
  switch (issue.keyword) {
    case 'type':
      return { code: 'wrong_type', params: { type: String(params.type) } };
    case 'enum':
    case 'const':
      return { code: 'not_allowed' };
    case 'format':
      return params.format === 'date' || params.format === 'date-time'
        ? { code: 'not_a_date' }
        : params.format === 'email'
          ? { code: 'email_invalid' }
          : { code: 'invalid' };
    default:
      return { code: 'invalid' };
  }
}

/** Turns ajv's issues into `{ field, message, code, params }` a form can show beside each field. */
function detailsOf(issues: AjvIssue[], context: string | undefined): ErrorDetail[] {
  return issues.map((issue) => {
    const path = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    const params = issue.params ?? {};
    if (issue.keyword === 'required') {
      const field = [path, String(params.missingProperty)].filter(Boolean).join('.');
      return { field, message: 'is required', code: 'required' };
    }
    if (issue.keyword === 'additionalProperties') {
      const field = [path, String(params.additionalProperty)].filter(Boolean).join('.');
      return { field, message: 'is not a known field', code: 'unknown_field' };
    }
    const { code, params: ruleParams } = ruleOf(issue);
    return {
      field: path || (context ?? ''),
      message: issue.message ?? 'is invalid',
      code,
      ...(ruleParams ? { params: ruleParams } : {}),
    };
  });
}

/** Database errors that mean the request conflicts with stored data, not that the server broke. */
function fromDatabase(error: unknown): HttpError | null {
  const cause = ((error as { cause?: unknown }).cause ?? error) as {
    code?: string;
    constraint?: string;
    table?: string;
    detail?: string;
  };
  if (cause.code === '23505') {
    return new HttpError(409, 'duplicate', `A record with this value already exists (${cause.constraint})`);
  }
  // 23503: a foreign key (NO ACTION); 23001: ON DELETE RESTRICT.
  if (cause.code === '23503' || cause.code === '23001') {
    // Deleting something still in use: say what uses it. Inserting with a missing reference: say which.
    const referencedFrom = /referenced from table "?([a-z_]+)"?/.exec(cause.detail ?? '')?.[1];
    return referencedFrom
      ? new HttpError(
          409,
          'referenced',
          `Still in use by ${referencedFrom.replace(/_/g, ' ')}; remove those first`,
          undefined,
          undefined,
          { table: referencedFrom },
        )
      : new HttpError(409, 'referenced', `Refers to a record that does not exist (${cause.constraint})`);
  }
  if (cause.code === '23514')
    return new HttpError(400, 'validation', `A value is not allowed (${cause.constraint})`);
  // A number or text the column type cannot hold: the input's fault, whichever check let it through.
  if (['22003', '22P02', '22001', '22021'].includes(cause.code ?? '')) {
    return new HttpError(400, 'validation', 'A value is out of range or of the wrong form');
  }
  return null;
}

const FASTIFY_CODES: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_json', message: 'The request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_json', message: 'The request body is empty' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'body_too_large', message: 'The request body is larger than 1 MB' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', message: 'Send JSON (application/json)' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'invalid_body',
    message: 'Content-Length does not match the body',
  },
};

function refuse(reply: FastifyReply, error: HttpError) {
  if (error.statusCode === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  return reply.status(error.statusCode).send({
    error: error.code,
    message: error.message,
    ...(error.details ? { details: error.details } : {}),
    ...(error.params ? { params: error.params } : {}),
    ...error.extra,
  });
}

/**
 * The one error handler: every failure leaves as `{ error, message }` (400s with `details`), and a
 * 5xx never says more than that something went wrong.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpError) return refuse(reply, error);
    // Down, frozen, starting, out of connections, a timeout ran out: the client may try again soon.
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ reason: outageReason(error) }, 'the database is unavailable');
      return refuse(reply, unavailable());
    }
    if (error.validation) {
      const details = detailsOf(error.validation as AjvIssue[], error.validationContext);
      const first = details[0];
      return reply.status(400).send({
        error: 'validation',
        message: first ? `${first.field || error.validationContext}: ${first.message}` : 'Invalid request',
        details,
      });
    }
    const known = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (known) return reply.status(400).send({ error: known.code, message: known.message });
    const database = fromDatabase(error);
    if (database) {
      return reply.status(database.statusCode).send({
        error: database.code,
        message: database.message,
        ...(database.params ? { params: database.params } : {}),
      });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Fastify's own refusals: a code the web can word when we know it, else the generic one.
      const code = (error.code ?? '').replace(/^FST_ERR_/, '').toLowerCase();
      return reply.status(status).send({
        error: (errorCodes as readonly string[]).includes(code) ? code : 'bad_request',
        message: error.message,
      });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ error: 'internal', message: 'Something went wrong on our side' });
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .send({ error: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` });
  });
}
