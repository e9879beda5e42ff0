import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for WeChat's web authorisation (网页授权), checking what the real one checks:
 * - `GET /connect/oauth2/authorize` — the page a QR code opens: the app id, `response_type=code`,
 *   a known scope, a redirect address, and a state of at most 128 characters of `a-zA-Z0-9`. It
 *   sends the browser back (302) to the redirect address with a fresh code and the state, as the
 *   person `scanAs()` named.
 * - `GET /sns/oauth2/access_token` — the code's exchange: app id (40013), secret (40125), grant type
 *   (40002), a code it issued (40029), used once (40163); then `{ access_token, openid, … }`.
 * Anything else is recorded in `unexpected` and answered 404. `fault` makes the exchange fail the
 * ways a provider does: an error code, HTTP 500, a redirect, a huge body, no answer at all, or a
 * snapshot-page stand-in account.
 */
export type OauthFault = 'errcode' | 'http500' | 'redirect' | 'huge' | 'hang' | 'snapshot' | null;

export type FakeWechatOauth = {
  /** The base address: WECHAT_API_BASE and WECHAT_OPEN_BASE both. */
  url: string;
  appId: string;
  appSecret: string;
  /** Who scans next at the authorise page. */
  scanAs(openid: string): void;
  /** A code for `openid`, as if they had authorised (for callbacks built by hand). */
  codeFor(openid: string): string;
  fault: OauthFault;
  /** Each exchange asked, by the code given (the secret is checked, never kept). */
  exchanges: string[];
  /** Requests it did not expect, as `METHOD path: why`. */
  unexpected: string[];
  close(): Promise<void>;
};

const STATE = /^[A-Za-z0-9]{0,128}$/;

export async function startFakeWechatOauth(
  options: { appId?: string; appSecret?: string } = {},
): Promise<FakeWechatOauth> {
  const appId = options.appId ?? 'wxfake0123456789';
  const appSecret = options.appSecret ?? `fake-secret-${randomBytes(8).toString('hex')}`;
  const codes = new Map<string, { openid: string; used: boolean }>();
  let scanner: string | null = null;
  const hanging = new Set<ServerResponse>();

  const fake: FakeWechatOauth = {
    url: '',
    appId,
    appSecret,
    scanAs(openid) {
      scanner = openid;
    },
    codeFor(openid) {
      const code = `code${randomBytes(12).toString('hex')}`;
      codes.set(code, { openid, used: false });
      return code;
    },
    fault: null,
    exchanges: [],
    unexpected: [],
    async close() {
      for (const response of hanging) response.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const json = (response: ServerResponse, body: object, status = 200) => {
    response.writeHead(status, { 'content-type': 'application/json; encoding=utf-8' });
    response.end(JSON.stringify(body));
  };
  const refuse = (request: IncomingMessage, response: ServerResponse, why: string, status = 404) => {
    fake.unexpected.push(`${request.method} ${request.url?.split('?')[0]}: ${why}`);
    response.writeHead(status, { 'content-type': 'text/plain' });
    response.end(why);
  };

  const authorize = (request: IncomingMessage, response: ServerResponse, query: URLSearchParams) => {
    if (query.get('appid') !== appId) return refuse(request, response, 'wrong appid', 400);
    if (query.get('response_type') !== 'code') return refuse(request, response, 'response_type', 400);
    if (!['snsapi_base', 'snsapi_userinfo'].includes(query.get('scope') ?? ''))
      return refuse(request, response, 'scope', 400);
    const state = query.get('state') ?? '';
    if (!STATE.test(state)) return refuse(request, response, 'state must be a-zA-Z0-9, 128 at most', 400);
    let back: URL;
    try {
      back = new URL(query.get('redirect_uri') ?? '');
    } catch {
      return refuse(request, response, 'redirect_uri', 400);
    }
    if (!scanner) return refuse(request, response, 'nobody scanned', 400);
    back.searchParams.set('code', fake.codeFor(scanner));
    back.searchParams.set('state', state);
    response.writeHead(302, { location: back.toString() });
    response.end();
  };

  const exchange = (response: ServerResponse, query: URLSearchParams) => {
    const code = query.get('code') ?? '';
    fake.exchanges.push(code);
    switch (fake.fault) {
      case 'errcode':
        return json(response, { errcode: 40029, errmsg: 'invalid code, rid: fake' });
      case 'http500':
        return json(response, { errcode: -1, errmsg: 'system error' }, 500);
      case 'redirect':
        response.writeHead(302, { location: 'http://127.0.0.1:9/elsewhere' });
        return response.end();
      case 'huge':
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write(`{"openid":"${'x'.repeat(200_000)}`);
        return response.end('"}');
      case 'hang':
        hanging.add(response);
        response.on('close', () => hanging.delete(response));
        return;
      default:
    }
    if (query.get('appid') !== appId) return json(response, { errcode: 40013, errmsg: 'invalid appid' });
    if (query.get('secret') !== appSecret)
      return json(response, { errcode: 40125, errmsg: 'invalid appsecret' });
    if (query.get('grant_type') !== 'authorization_code')
      return json(response, { errcode: 40002, errmsg: 'invalid grant_type' });
    const issued = codes.get(code);
    if (!issued) return json(response, { errcode: 40029, errmsg: 'invalid code' });
    if (issued.used) return json(response, { errcode: 40163, errmsg: 'code been used' });
    issued.used = true;
    return json(response, {
      access_token: `web-token-${randomBytes(6).toString('hex')}`,
      expires_in: 7200,
      refresh_token: `refresh-${randomBytes(6).toString('hex')}`,
      openid: issued.openid,
      scope: 'snsapi_base',
      ...(fake.fault === 'snapshot' ? { is_snapshotuser: 1 } : {}),
    });
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    if (request.method !== 'GET') return refuse(request, response, 'not GET', 405);
    if (url.pathname === '/connect/oauth2/authorize') return authorize(request, response, url.searchParams);
    if (url.pathname === '/sns/oauth2/access_token') return exchange(response, url.searchParams);
    return refuse(request, response, 'no such endpoint');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
