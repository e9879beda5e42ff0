/**
 * Errors that reach the client. Anything else becomes a 500 whose body says nothing about the cause.
 */
export type ErrorDetail = { field: string; message: string };

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    /** More the client can act on, beside the message (a duplicate's existing record). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, details?: ErrorDetail[]) =>
  new HttpError(400, code, message, details);
export const unauthorized = (message = 'Sign in first') => new HttpError(401, 'unauthorized', message);
export const forbidden = (code = 'forbidden', message = 'You do not have permission to do this') =>
  new HttpError(403, code, message);
/** Also what a record outside the caller's scope answers, so its existence is not revealed. */
export const notFound = (message = 'Not found or no access') => new HttpError(404, 'not_found', message);
export const conflict = (code: string, message: string) => new HttpError(409, code, message);
export const tooMany = (code: string, message: string) => new HttpError(429, code, message);
