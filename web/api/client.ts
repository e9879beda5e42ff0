/**
 * The one way the web app talks to the server: JSON over fetch (multipart for uploads), the
 * session cookie, and the CSRF token that every state-changing request needs (docs/spec.md §8).
 */

/** The values a refusal names (a limit, a count), for wording it in the user's language. */
export type ErrorParams = Record<string, string | number>;

/** One field's problem: `code` names the rule it broke (server/http/errors.ts `detailCodes`). */
export type ErrorDetail = { field: string; message: string; code?: string; params?: ErrorParams };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** The whole error body, for answers that say more than a message (a duplicate names the record). */
    readonly body: Record<string, unknown> = {},
    readonly params: ErrorParams = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type RequestOptions = {
  method?: Method;
  body?: unknown;
  signal?: AbortSignal;
  /**
   * Whether a 401 means "the session is gone" and should send the user to sign in. Login (whose
   * 401 means a wrong password) and the `me` probe (which reports it as "signed out") opt out.
   */
  sessionRequired?: boolean;
};

// The cookie is HttpOnly, so the token is the only session secret the page holds; memory, not
// storage, so that another script on the origin cannot lift it from localStorage.
let csrfToken: string | null = null;
let unauthorizedHandler: (() => void) | null = null;
let authEpochHandler: ((epoch: string) => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Registers what happens when the server says the session has ended (the app signs the user out). */
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

/**
 * Registers what happens when an answer names the grants' version (`x-auth-epoch`): the app
 * compares it with the one its `me` was read at, and reads `me` again when they differ.
 */
export function onAuthEpoch(handler: (epoch: string) => void): void {
  authEpochHandler = handler;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  const epoch = response.headers.get('x-auth-epoch');
  if (epoch !== null) authEpochHandler?.(epoch);
  if (response.status === 403 && csrfToken !== null) {
    // A token can go stale when the session was renewed in another tab: refresh it once and retry.
    const body = await readJson(response.clone());
    if (isErrorBody(body) && body.error === 'csrf' && (await refreshCsrfToken())) {
      return handle<T>(await send(path, options), options);
    }
  }
  return handle<T>(response, options);
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'GET' }),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    request<T>(path, { ...options, method: 'POST', body }),
  put: <T>(path: string, body?: unknown) => request<T>(path, { method: 'PUT', body }),
  patch: <T>(path: string, body?: unknown) => request<T>(path, { method: 'PATCH', body }),
  delete: <T>(path: string) => request<T>(path, { method: 'DELETE' }),
  /** A multipart upload (a file and its fields); the browser writes the content type and boundary. */
  postForm: <T>(path: string, form: FormData) => request<T>(path, { method: 'POST', body: form }),
};

async function send(path: string, { method = 'GET', body, signal }: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  try {
    return await fetch(`/api${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : form ? body : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'network', error instanceof Error ? error.message : String(error));
  }
}

async function handle<T>(response: Response, options: RequestOptions): Promise<T> {
  const body = await readJson(response);
  if (response.ok) return body as T;
  if (response.status === 401 && options.sessionRequired !== false) {
    csrfToken = null;
    unauthorizedHandler?.();
  }
  if (isErrorBody(body)) {
    throw new ApiError(
      response.status,
      body.error,
      body.message ?? body.error,
      body.details ?? [],
      body,
      body.params ?? {},
    );
  }
  // Not our JSON: a proxy or gateway answered (502 while the server restarts, for example).
  throw new ApiError(response.status, `http_${response.status}`, response.statusText);
}

async function refreshCsrfToken(): Promise<boolean> {
  const response = await send('/auth/me', {});
  const me = await readJson(response);
  if (!response.ok || typeof me !== 'object' || me === null || !('csrfToken' in me)) return false;
  csrfToken = String(me.csrfToken);
  return true;
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

type ErrorBody = { error: string; message?: string; details?: ErrorDetail[]; params?: ErrorParams };

function isErrorBody(body: unknown): body is ErrorBody {
  return typeof body === 'object' && body !== null && typeof (body as ErrorBody).error === 'string';
}
