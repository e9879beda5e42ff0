import type { NotifyConfig } from '../../config.ts';
import { requestJson } from '../notify/channels/http.ts';

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
 * Exchanges `code` for the person's openid: one call through the providers' bounded client (a
 * timeout, no redirect followed, the body read up to 64 kB), whose every failure is an answer,
 * never a throw.
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
  const reply = await requestJson({
    provider: 'WeChat',
    url: `${wechat.apiBase}/sns/oauth2/access_token?${query.toString()}`,
    headers: { accept: 'application/json' },
    timeoutMs: options.timeoutMs,
    signal: new AbortController().signal,
    maxBytes: BODY_LIMIT,
  });
  if (!reply.ok) return { ok: false, reason: reply.error };
  if (reply.status >= 400) return { ok: false, reason: `WeChat answered HTTP ${reply.status}` };
  const answer = (typeof reply.body === 'object' && reply.body !== null ? reply.body : {}) as Record<
    string,
    unknown
  >;
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
