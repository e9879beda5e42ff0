/**
 * Errors that reach the client. Anything else becomes a 500 whose body says nothing about the cause.
 *
 * Every refusal carries a code from `errorCodes` and the values its sentence needs (`params`): the
 * English `message` is for logs and API users, and the web app words the refusal in the user's
 * language from the code and params alone (web/i18n, `apiErrors.<code>`). A test checks that every
 * code here has those words in every language.
 */
export const errorCodes = [
  // Any request
  'validation',
  'invalid_json',
  'body_too_large',
  'body_too_deep',
  'unsupported_media_type',
  'invalid_body',
  'bad_request',
  'unauthorized',
  'forbidden',
  'csrf',
  'not_found',
  'duplicate',
  'referenced',
  'internal',
  'database_unavailable',
  'unavailable',
  // Session
  'invalid_credentials',
  'too_many_attempts',
  'account_disabled',
  // Staff and roles
  'username_taken',
  'code_taken',
  'cannot_disable_self',
  'cannot_delete_self',
  'last_admin',
  'last_administrator',
  'admin_only',
  'grant_not_held',
  'user_holds_more',
  // The pool
  'already_taken',
  'previous_owner',
  'grab_limit',
  'owned_limit',
  // Ownership
  'cannot_own_customers',
  // Payments
  'not_enrolled',
  'not_in_class',
  'class_closed',
  // Lists
  'export_too_large',
  // Imports
  'no_file',
  'empty_file',
  'file_too_large',
  'too_many_rows',
  'not_spreadsheet',
  'encrypted_workbook',
  'legacy_xls',
  'zip_bomb',
  'zip_entry_mismatch',
  'zip_entry_repeated',
  'cell_too_long',
  'row_too_long',
  'not_a_preview',
  'preview_not_done',
  'file_gone',
  // WeChat binding
  'wechat_not_configured',
  'public_url_not_set',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/**
 * What is wrong with one field of a 400 `validation`: `code` names the rule it broke (from
 * `detailCodes`), `params` the rule's values (`{ limit: 64 }` for `too_long`).
 */
export const detailCodes = [
  'required',
  'unknown_field',
  'invalid',
  'too_short',
  'too_long',
  'too_small',
  'too_large',
  'wrong_type',
  'not_allowed',
  'not_a_date',
  'nul_character',
  'unknown_reference',
  'password_too_short',
  'password_is_username',
  'username_invalid',
  'role_code_invalid',
  'not_a_page',
  'contact_required',
  'phone_invalid',
  'qq_invalid',
  'wechat_invalid',
  'email_invalid',
  'repeated',
  'not_in_lesson',
] as const;
export type DetailCode = (typeof detailCodes)[number];

export type ErrorParams = Record<string, string | number>;
export type ErrorDetail = { field: string; message: string; code: DetailCode; params?: ErrorParams };

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    /** More the client can act on, beside the message (a duplicate's existing record). */
    readonly extra?: Record<string, unknown>,
    /** The values the refusal's sentence names (a limit, a count, a name). */
    readonly params?: ErrorParams,
  ) {
    super(message);
  }
}

export const badRequest = (code: ErrorCode, message: string, details?: ErrorDetail[], params?: ErrorParams) =>
  new HttpError(400, code, message, details, undefined, params);
/** A 400 `validation` about one field, worded `field: message` for API users. */
export const invalidField = (field: string, code: DetailCode, message: string, params?: ErrorParams) =>
  badRequest('validation', `${field}: ${message}`, [{ field, message, code, ...(params ? { params } : {}) }]);
export const unauthorized = (message = 'Sign in first') => new HttpError(401, 'unauthorized', message);
export const forbidden = (
  code: ErrorCode = 'forbidden',
  message = 'You do not have permission to do this',
  params?: ErrorParams,
) => new HttpError(403, code, message, undefined, undefined, params);
/** Also what a record outside the caller's scope answers, so its existence is not revealed. */
export const notFound = (message = 'Not found or no access') => new HttpError(404, 'not_found', message);
export const conflict = (code: ErrorCode, message: string, params?: ErrorParams) =>
  new HttpError(409, code, message, undefined, undefined, params);
/** How long a client is told to wait before trying again after a 503 (`Retry-After`). */
export const RETRY_AFTER_SECONDS = 5;
/** The database cannot serve the request now (down, starting, frozen, out of connections). */
export const unavailable = (message = 'The server cannot reach its database right now; try again shortly') =>
  new HttpError(503, 'unavailable', message);
export const tooMany = (code: ErrorCode, message: string, params?: ErrorParams) =>
  new HttpError(429, code, message, undefined, undefined, params);
