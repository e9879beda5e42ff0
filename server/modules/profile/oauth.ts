import type { NotifyConfig } from '../../config.ts';

/**
 * WeChat's web authorisation (网页授权, scope `snsapi_base`): the address a binding QR code opens,
 * and the exchange of the code WeChat hands the callback for the person's `openid`
 * (`GET /sns/oauth2/access_token`). The secret goes only to WeChat: never into an error, a log
 * line or the audit log.
 */
export type WechatConfig = NonNullable<NotifyConfig['wechat']>;

/** Where the official account sends the person back: PUBLIC_URL + the callback route. */
export const callbackUrl = (publicUrl: string) =>
  `${publicUrl.replace(/\/+$/, '')}/api/wechat/oauth/callback`;

/** The authorise page's address, as WeChat documents it (the `#wechat_redirect` included). */
export function authorizeUrl(wechat: WechatConfig, publicUrl: string, state: string): string {
  const query = new URLSearchParams({
    appid: wechat.appId,
    redirect_uri: callbackUrl(publicUrl),
    response_type: 'code',
    scope: 'snsapi_base',
    state,
  });
  return `${wechat.openBase}/connect/oauth2/authorize?${query.toString()}#wechat_redirect`;
}

export type Exchange =
  | { ok: true; openid: string }
  /** `reason` is safe to log and to show: it never holds the secret or the code. */
  | { ok: false; reason: string };

/** The most of WeChat's answer that is read: the real one is a few hundred bytes. */
const BODY_LIMIT = 64 * 1024;

/**
 * Exchanges `code` for the person's openid: one bounded call (a timeout, no redirect followed, the
 * body read up to 64 kB), whose every failure is an answer, never a throw.
 */
export async function exchangeCode(
  wechat: WechatConfig,
  code: string,
  options: { timeoutMs: number },
): Promise<Exchange> {
  const query = new URLSearchParams({
    appid: wechat.appId,
    secret: wechat.appSecret,
    code,
    grant_type: 'authorization_code',
  });
  let response: Response;
  try {
    response = await fetch(`${wechat.apiBase}/sns/oauth2/access_token?${query.toString()}`, {
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: { accept: 'application/json' },
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    return { ok: false, reason: timedOut ? 'WeChat did not answer in time' : 'WeChat could not be reached' };
  }
  if (response.status >= 300 && response.status < 400) {
    void response.body?.cancel().catch(() => {});
    return { ok: false, reason: `WeChat answered a redirect (${response.status})` };
  }
  const body = await readCapped(response);
  if (body === 'too_large') return { ok: false, reason: 'WeChat answered more than 64 kB' };
  if (body === 'failed') return { ok: false, reason: 'WeChat broke off its answer, or took too long' };
  if (!response.ok) return { ok: false, reason: `WeChat answered HTTP ${response.status}` };
  let json: unknown;
  try {
    json = JSON.parse(body.text);
  } catch {
    return { ok: false, reason: 'WeChat answered something that is not JSON' };
  }
  const answer = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  if (typeof answer.errcode === 'number' && answer.errcode !== 0) {
    const words = typeof answer.errmsg === 'string' ? answer.errmsg.slice(0, 200) : '';
    return { ok: false, reason: `WeChat error ${answer.errcode}${words ? `: ${words}` : ''}` };
  }
  // A "snapshot" visitor (快照页模式) is a stand-in account, not the person: its openid reaches nobody.
  if (answer.is_snapshotuser === 1)
    return { ok: false, reason: 'WeChat gave a snapshot-page stand-in account' };
  const { openid } = answer;
  if (typeof openid !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(openid)) {
    return { ok: false, reason: 'WeChat answered without an openid' };
  }
  return { ok: true, openid };
}

/** The body as text, or why not: past the limit (the rest is never read into memory), or broken off. */
async function readCapped(response: Response): Promise<{ text: string } | 'too_large' | 'failed'> {
  if (!response.body) return { text: '' };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > BODY_LIMIT) return 'too_large';
      chunks.push(value);
    }
  } catch {
    return 'failed';
  } finally {
    void reader.cancel().catch(() => {});
  }
  return { text: Buffer.concat(chunks).toString('utf8') };
}
