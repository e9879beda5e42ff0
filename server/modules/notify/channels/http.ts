import type { SendOutcome } from './types.ts';

/**
 * The one way the providers' channels talk HTTP: bounded in time (the notify timeout, and the
 * caller's signal), in memory (a body past a cap is given up, not buffered) and in where it goes (a
 * redirect is a failure, never followed: a provider that moved is misconfigured, and following it
 * would carry a signed request somewhere else). Every failure comes back as a `SendOutcome`, worded
 * without the request's address, which carries secrets (DingTalk's access token, WeChat's).
 */

/** The most of an answer read (providers answer a few hundred bytes). */
export const MAX_ANSWER_BYTES = 1024 * 1024;

export type Failure = Extract<SendOutcome, { ok: false }>;

/** What a provider answered, read and parsed: a 2xx, or a 4xx whose body says why (its own code). */
export type JsonAnswer = { ok: true; status: number; body: unknown };

export type JsonRequest = {
  /** Names the provider in failures: "DingTalk: timed out after 10 s". */
  provider: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** The caller's: the worker stopping aborts the call. */
  signal: AbortSignal;
  maxBytes?: number;
};

export const failure = (provider: string, reason: string, retry: boolean): Failure => ({
  ok: false,
  error: `${provider}: ${reason}`,
  retry,
});

/**
 * Sends `request` and reads its answer as JSON. Connection refused, a timeout, 5xx and 429 are
 * failures worth retrying; a redirect, an answer past the byte cap, or one that is not JSON are
 * failures that will not mend by themselves (a 2xx that is not JSON may even have been delivered,
 * so it is not sent again). A 4xx with a JSON body is returned, for the provider's own code to say
 * what it means; a 4xx without one is a failure not retried.
 */
export async function requestJson(request: JsonRequest): Promise<JsonAnswer | Failure> {
  const { provider, timeoutMs } = request;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([request.signal, timeout]);
  const aborted = (): Failure =>
    timeout.aborted
      ? failure(provider, `timed out after ${formatSeconds(timeoutMs)}`, true)
      : failure(provider, 'cancelled before it answered', true);

  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method ?? 'GET',
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    return signal.aborted ? aborted() : failure(provider, connectionError(error), true);
  }

  const { status } = response;
  if (status >= 300 && status < 400) {
    await discard(response);
    return failure(provider, `answered a redirect (HTTP ${status})`, false);
  }
  if (status >= 500 || status === 429) {
    await discard(response);
    return failure(provider, `answered HTTP ${status}`, true);
  }

  let text: string | null;
  try {
    text = await readCapped(response, request.maxBytes ?? MAX_ANSWER_BYTES);
  } catch {
    return signal.aborted ? aborted() : failure(provider, 'the connection broke while it answered', true);
  }
  if (text === null) {
    return failure(
      provider,
      `answered more than ${formatBytes(request.maxBytes ?? MAX_ANSWER_BYTES)}`,
      false,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return failure(provider, `answered HTTP ${status} that is not JSON`, false);
  }
  return { ok: true, status, body };
}

/** A 4xx no provider code explained. */
export const statusFailure = (provider: string, status: number): Failure =>
  failure(provider, `answered HTTP ${status}`, false);

/**
 * The body as text, or null once it passes `maxBytes`: checked against Content-Length first, then
 * counted as it streams (chunked answers have no length), and the stream is cancelled at the cap.
 */
async function readCapped(response: Response, maxBytes: number): Promise<string | null> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await discard(response);
    return null;
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {});
}

/** Why a connection failed, from the system's error code (undici puts it on `cause`). */
function connectionError(error: unknown): string {
  const code = (error as { cause?: { code?: unknown } })?.cause?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'the connection was reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'its host name was not found';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'the connection timed out';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'its host is unreachable';
    default:
      return typeof code === 'string' ? `could not connect (${code})` : 'could not connect';
  }
}

const formatSeconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);
const formatBytes = (bytes: number) =>
  bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MB` : `${bytes} bytes`;

/**
 * The outcome with every secret in its error replaced: a provider's message may quote what it was
 * sent, and nothing a channel sends is logged, stored or shown with its secrets.
 */
export function withoutSecrets(
  outcome: SendOutcome,
  secrets: readonly (string | null | undefined)[],
): SendOutcome {
  if (outcome.ok) return outcome;
  return { ...outcome, error: redact(outcome.error, secrets) };
}

export function redact(text: string, secrets: readonly (string | null | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values would blank ordinary words; no real secret is that short.
    if (secret && secret.length >= 6) out = out.split(secret).join('***');
  }
  return out;
}

/** A provider's own words, kept short (they go into `last_error`). */
export const providerWords = (value: unknown, max = 200): string => {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  return text.length > max ? `${text.slice(0, max)}…` : text;
};
