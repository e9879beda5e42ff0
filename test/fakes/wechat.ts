import { randomBytes } from 'node:crypto';
import { type FakeServer, startFakeServer } from './server.ts';

/**
 * A WeChat official account's API, checking what WeChat checks:
 * - `POST /cgi-bin/stable_token` gives an access token for the right appid and secret (40013 /
 *   40125 otherwise): in normal mode the current one while it is valid, a new one when there is
 *   none or `force_refresh` is set (which voids the one before);
 * - `POST /cgi-bin/message/template/send?access_token=…` takes only a token it gave that is still
 *   valid (41001 none, 40001 voided or unknown, 42001 expired), a known template and openid, and
 *   records the template message.
 * `voidTokens()` plays WeChat voiding every token (40001 on the next send); `refuseCurrentToken()`
 * refuses the current one on sends while normal mode still hands it out (only a forced refresh
 * gets past it); `answerNext(errcode)` refuses the next template message.
 */
export type WechatTemplateMessage = {
  touser: string;
  template_id: string;
  url?: string;
  data: Record<string, { value: string }>;
};

export type WechatFake = FakeServer & {
  messages: WechatTemplateMessage[];
  /** How many tokens it has handed out, forced ones included. */
  tokensIssued(): number;
  /** How many times the app (right appid and secret) asked for a token. */
  tokenRequests(): number;
  forcedRefreshes(): number;
  voidTokens(): void;
  refuseCurrentToken(): void;
  answerNext(errcode: number, errmsg?: string): void;
};

type Token = { value: string; expiresAt: number; voided: boolean; refusedOnSend?: boolean };

export async function startWechatFake(options: {
  appId: string;
  appSecret: string;
  templates: string[];
  /** Openids that follow the account; any other is refused (40003). */
  openids: string[];
  expiresInSeconds?: number;
  now?: () => number;
}): Promise<WechatFake> {
  const clock = options.now ?? Date.now;
  const expiresIn = options.expiresInSeconds ?? 7200;
  const tokens = new Map<string, Token>();
  let current: Token | null = null;
  let issued = 0;
  let requests = 0;
  let forced = 0;
  const messages: WechatTemplateMessage[] = [];
  const queued: { errcode: number; errmsg: string }[] = [];

  const valid = (token: Token | null | undefined): token is Token =>
    !!token && !token.voided && token.expiresAt > clock();

  const issue = (): Token => {
    if (current) current.voided = true;
    current = {
      value: `tok_${randomBytes(12).toString('hex')}`,
      expiresAt: clock() + expiresIn * 1000,
      voided: false,
    };
    tokens.set(current.value, current);
    issued++;
    return current;
  };

  const server = await startFakeServer(({ method, url, body }) => {
    if (method === 'POST' && url.pathname === '/cgi-bin/stable_token') {
      let request: { grant_type?: unknown; appid?: unknown; secret?: unknown; force_refresh?: unknown };
      try {
        request = JSON.parse(body);
      } catch {
        return { json: { errcode: 47001, errmsg: 'data format error' } };
      }
      if (request.grant_type !== 'client_credential')
        return { json: { errcode: 40002, errmsg: 'invalid grant_type' } };
      if (request.appid !== options.appId) return { json: { errcode: 40013, errmsg: 'invalid appid' } };
      if (request.secret !== options.appSecret)
        return { json: { errcode: 40125, errmsg: 'invalid appsecret' } };
      requests++;
      if (request.force_refresh === true) forced++;
      const token = request.force_refresh === true || !valid(current) ? issue() : current;
      return {
        json: {
          access_token: token.value,
          expires_in: Math.max(0, Math.round((token.expiresAt - clock()) / 1000)),
        },
      };
    }
    if (method === 'POST' && url.pathname === '/cgi-bin/message/template/send') {
      const given = url.searchParams.get('access_token');
      if (!given) return { json: { errcode: 41001, errmsg: 'access_token missing' } };
      const token = tokens.get(given);
      if (!token || token.voided || token.refusedOnSend) {
        return {
          json: { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' },
        };
      }
      if (!valid(token)) return { json: { errcode: 42001, errmsg: 'access_token expired' } };
      let message: WechatTemplateMessage;
      try {
        message = JSON.parse(body);
      } catch {
        return { json: { errcode: 47001, errmsg: 'data format error' } };
      }
      if (!options.openids.includes(message.touser))
        return { json: { errcode: 40003, errmsg: 'invalid openid' } };
      if (!options.templates.includes(message.template_id)) {
        return { json: { errcode: 40037, errmsg: 'invalid template_id' } };
      }
      const values = Object.values(message.data ?? {});
      if (values.some((v) => typeof v?.value !== 'string')) {
        return { json: { errcode: 47003, errmsg: 'argument invalid! data.value must be a string' } };
      }
      const next = queued.shift();
      if (next) return { json: next };
      messages.push(message);
      return { json: { errcode: 0, errmsg: 'ok', msgid: 1000 + messages.length } };
    }
    return { status: 404, json: { errcode: 404, errmsg: 'not found' } };
  });

  return {
    ...server,
    messages,
    tokensIssued: () => issued,
    tokenRequests: () => requests,
    forcedRefreshes: () => forced,
    voidTokens() {
      for (const token of tokens.values()) token.voided = true;
    },
    refuseCurrentToken() {
      if (current) current.refusedOnSend = true;
    },
    answerNext(errcode, errmsg = 'system error') {
      queued.push({ errcode, errmsg });
    },
  };
}
