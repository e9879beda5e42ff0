import type { NotifyConfig } from '../../../config.ts';
import type { Db } from '../../../db/client.ts';
import type { NotificationEvent } from '../outbox.ts';
import { type Failure, failure, providerWords, requestJson, statusFailure, withoutSecrets } from './http.ts';
import { type FetchedToken, sharedToken } from './provider-token.ts';
import type { Channel, Message, Recipient, SendOutcome } from './types.ts';

/**
 * WeChat official-account template messages (模板消息) to the person's `wechat_openid`:
 * `POST {apiBase}/cgi-bin/message/template/send?access_token=…` with `touser`, `template_id`, `url`
 * (the message's link) and `data`. The access token comes from `POST {apiBase}/cgi-bin/stable_token`
 * (getStableAccessToken, which WeChat recommends over `cgi-bin/token`: it keeps the secret out of
 * URLs, and a call in its normal mode hands back the token still valid instead of voiding it), is
 * shared by all instances in `provider_tokens` (provider-token.ts), and is replaced when WeChat
 * refuses it (40001 voided, 42001 expired, 40014 invalid) — the send then tried once more.
 *
 * The template of each event is configured in WECHAT_TEMPLATE_IDS as `event=TEMPLATE_ID`, its data
 * then the message's fields under their own names (`{ customer: { value: '张三' } }`); or as
 * `event=TEMPLATE_ID;keyword:field;…` to name the template's keywords (`thing1:customer;time2:at`),
 * as templates chosen from WeChat's library have keywords of WeChat's naming. A keyword may also
 * take the message's `title` or `text`.
 */

const PROVIDER = 'WeChat';

/** The token was refused: voided (40001), expired (42001) or not one (40014). */
const TOKEN_REFUSED = new Set([40001, 42001, 40014]);
/** Worth trying later: WeChat busy (-1), the daily or per-minute quota reached. */
const RETRY_CODES = new Set([-1, 45009, 45011]);

export type WechatTemplate = { id: string; keywords: [keyword: string, field: string][] | null };

/** A WECHAT_TEMPLATE_IDS value: `TEMPLATE_ID`, or `TEMPLATE_ID;keyword:field;…`. */
export function parseWechatTemplate(value: string): WechatTemplate {
  const [id = '', ...pairs] = value.split(';').map((part) => part.trim());
  const keywords = pairs
    .filter((pair) => pair !== '')
    .map((pair) => {
      const [keyword = '', field = ''] = pair.split(':').map((part) => part.trim());
      return [keyword, field || keyword] as [string, string];
    })
    .filter(([keyword]) => keyword !== '');
  return { id, keywords: keywords.length > 0 ? keywords : null };
}

/** The template message's body (its `data` as the module comment says). */
export function wechatTemplatePayload(message: Message, openid: string, template: WechatTemplate) {
  const value = (field: string) =>
    message.fields[field] ?? (field === 'title' ? message.title : field === 'text' ? message.text : '');
  const pairs = template.keywords ?? Object.keys(message.fields).map((field) => [field, field] as const);
  return {
    touser: openid,
    template_id: template.id,
    ...(message.link ? { url: message.link } : {}),
    data: Object.fromEntries(pairs.map(([keyword, field]) => [keyword, { value: value(field) }])),
  };
}

type WechatAnswer = { errcode?: unknown; errmsg?: unknown; msgid?: unknown };

export function wechatChannel(config: NotifyConfig, deps: { db: Db }): Channel {
  const settings = config.wechat;
  const templates = new Map<string, WechatTemplate>(
    Object.entries(settings?.templates ?? {}).flatMap(([event, value]) =>
      value ? [[event, parseWechatTemplate(value)] as const] : [],
    ),
  );
  const noTemplate = (event: NotificationEvent) =>
    templates.get(event)?.id ? null : `no WeChat template for ${event} (WECHAT_TEMPLATE_IDS)`;

  /** getStableAccessToken: normal mode; forced only when normal mode hands back the token refused. */
  async function fetchToken(refused: string | null, signal: AbortSignal): Promise<FetchedToken | Failure> {
    if (!settings) return failure(PROVIDER, 'WECHAT_APP_ID is not set', false);
    let fetched = await stableToken(false, signal);
    if (refused !== null && !('ok' in fetched) && fetched.token === refused) {
      fetched = await stableToken(true, signal);
    }
    return fetched;
  }

  async function stableToken(force: boolean, signal: AbortSignal): Promise<FetchedToken | Failure> {
    if (!settings) return failure(PROVIDER, 'WECHAT_APP_ID is not set', false);
    const answer = await requestJson({
      provider: PROVIDER,
      url: `${settings.apiBase}/cgi-bin/stable_token`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credential',
        appid: settings.appId,
        secret: settings.appSecret,
        force_refresh: force,
      }),
      timeoutMs: config.timeoutMs,
      signal,
    });
    if (!answer.ok) return answer;
    const body = (answer.body ?? {}) as WechatAnswer & { access_token?: unknown; expires_in?: unknown };
    if (
      typeof body.access_token === 'string' &&
      body.access_token !== '' &&
      typeof body.expires_in === 'number'
    ) {
      return { token: body.access_token, expiresInMs: body.expires_in * 1000 };
    }
    if (answer.status >= 400 && typeof body.errcode !== 'number')
      return statusFailure(PROVIDER, answer.status);
    const code = typeof body.errcode === 'number' ? body.errcode : Number.NaN;
    return failure(
      PROVIDER,
      `no access token, errcode ${String(body.errcode)}: ${providerWords(body.errmsg)}`,
      RETRY_CODES.has(code),
    );
  }

  const tokens = sharedToken({
    db: deps.db,
    provider: 'wechat',
    label: PROVIDER,
    fetch: fetchToken,
    fetchMs: config.timeoutMs,
  });

  type Attempt = SendOutcome | { refused: true };

  async function post(token: string, payload: object, signal: AbortSignal): Promise<Attempt> {
    if (!settings) return failure(PROVIDER, 'WECHAT_APP_ID is not set', false);
    const answer = await requestJson({
      provider: PROVIDER,
      url: `${settings.apiBase}/cgi-bin/message/template/send?access_token=${encodeURIComponent(token)}`,
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(payload),
      timeoutMs: config.timeoutMs,
      signal,
    });
    if (!answer.ok) return answer;
    const body = (answer.body ?? {}) as WechatAnswer;
    if (answer.status >= 400 && typeof body.errcode !== 'number')
      return statusFailure(PROVIDER, answer.status);
    if (body.errcode === 0) {
      return body.msgid === undefined ? { ok: true } : { ok: true, providerMessageId: String(body.msgid) };
    }
    const code = typeof body.errcode === 'number' ? body.errcode : Number.NaN;
    if (TOKEN_REFUSED.has(code)) return { refused: true };
    return failure(
      PROVIDER,
      `errcode ${String(body.errcode)}: ${providerWords(body.errmsg)}`,
      RETRY_CODES.has(code),
    );
  }

  /** The shared token, or why there is none; a database that fails is worth trying later. */
  async function tokenFrom(get: () => Promise<string | Failure>): Promise<string | Failure> {
    try {
      return await get();
    } catch {
      return failure(PROVIDER, 'could not read or store the shared access token', true);
    }
  }

  async function send(
    message: Message,
    recipient: Recipient,
    signal: AbortSignal,
    used: string[],
  ): Promise<SendOutcome> {
    if (!settings) return failure(PROVIDER, 'WECHAT_APP_ID is not set', false);
    const template = templates.get(message.event);
    if (!template?.id) return failure(PROVIDER, noTemplate(message.event) ?? 'no template', false);
    if (!recipient.wechatOpenid) return failure(PROVIDER, 'not bound to WeChat', false);
    const payload = wechatTemplatePayload(message, recipient.wechatOpenid, template);

    const token = await tokenFrom(() => tokens.current(signal));
    if (typeof token !== 'string') return token;
    used.push(token);
    const first = await post(token, payload, signal);
    if (!('refused' in first)) return first;
    // Expired or voided (another fetch, a leak): once more with a token other than this one.
    const next = await tokenFrom(() => tokens.replace(token, signal));
    if (typeof next !== 'string') return next;
    used.push(next);
    const second = await post(next, payload, signal);
    return 'refused' in second ? failure(PROVIDER, 'refused a newly fetched access token', true) : second;
  }

  return {
    code: 'wechat',
    // A template message takes no idempotency key: a call whose answer was lost may have been sent.
    idempotent: false,
    notConfigured: () => (settings ? null : 'WECHAT_APP_ID is not set'),
    unreachable(recipient, event) {
      if (!recipient.wechatOpenid) return 'not bound to WeChat';
      return event ? noTemplate(event) : null;
    },
    async send({ message, recipient, signal }) {
      // The app secret, and the access tokens used: WeChat's words never carry them out.
      const used: string[] = [];
      const outcome = await send(message, recipient, signal, used);
      return withoutSecrets(outcome, [settings?.appSecret, ...used]);
    },
  };
}
