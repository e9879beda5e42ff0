import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The `state` of a WeChat binding QR code: it names the person, when it stops being good and a
 * random nonce, signed with the server's secret (HMAC-SHA256), so that nobody can make one for
 * someone else. Single use is kept by the nonce's row in `wechat_bind_states`.
 *
 * WeChat takes a state of at most 128 characters of `a-zA-Z0-9` only, so it is written
 * `<userId>x<expires, unix seconds>x<nonce, hex>x<signature, hex>` (about 90 characters).
 */
export type BindState = { userId: number; expiresAt: Date; nonce: string };

/** How long a QR code can be scanned. */
export const BIND_STATE_TTL_MS = 10 * 60_000;

const NONCE_BYTES = 16;
/** The signature is HMAC-SHA256 cut to 128 bits: plenty against forgery, and WeChat limits the length. */
const SIGNATURE_HEX = 32;
const PATTERN = /^([1-9][0-9]{0,9})x([1-9][0-9]{0,10})x([0-9a-f]{32})x([0-9a-f]{32})$/;

export const newNonce = (): string => randomBytes(NONCE_BYTES).toString('hex');

function signature(secret: string, userId: number, expiresSeconds: number, nonce: string): string {
  return createHmac('sha256', secret)
    .update(`wechat-bind:${userId}:${expiresSeconds}:${nonce}`)
    .digest('hex')
    .slice(0, SIGNATURE_HEX);
}

/** The state string a QR code carries. The expiry is kept to the second. */
export function signState(state: BindState, secret: string): string {
  const expires = Math.floor(state.expiresAt.getTime() / 1000);
  return `${state.userId}x${expires}x${state.nonce}x${signature(secret, state.userId, expires, state.nonce)}`;
}

/** The state a string names when this server signed it, else null (malformed or forged). */
export function readState(text: string, secret: string): BindState | null {
  const match = PATTERN.exec(text);
  if (!match) return null;
  const userId = Number(match[1]);
  const expires = Number(match[2]);
  const nonce = match[3]!;
  if (!Number.isSafeInteger(userId) || userId > 2_147_483_647) return null;
  const expected = Buffer.from(signature(secret, userId, expires, nonce));
  const given = Buffer.from(match[4]!);
  if (!timingSafeEqual(expected, given)) return null;
  return { userId, expiresAt: new Date(expires * 1000), nonce };
}
