import { and, desc, eq } from 'drizzle-orm';
import QRCode from 'qrcode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.ts';
import { now, setClock } from '../server/clock.ts';
import type { NotifyConfig } from '../server/config.ts';
import { auditLog, users, wechatBindStates } from '../server/db/schema/index.ts';
import { loggedUrl } from '../server/log.ts';
import { authorizeUrl, exchangeCode } from '../server/modules/profile/oauth.ts';
import { QR_OPTIONS } from '../server/modules/profile/qrcode.ts';
import { readState, signState } from '../server/modules/profile/state.ts';
import { buildTestApp, call, type Session, signIn, type TestApp } from './app.ts';
import { makeUser, TEST_PASSWORD } from './factories.ts';
import { type FakeWechatOauth, startFakeWechatOauth } from './fakes/wechat-oauth.ts';

/**
 * Binding WeChat by QR code (docs/spec.md §6, issue 23 item 6), end to end against a fake of
 * WeChat's web authorisation: the profile's QR code opens the authorise page, which sends the
 * scanner back to our public callback with a code; the code becomes an openid bound to the person
 * the signed state names. A forged, expired or reused state, an openid bound to someone else, or a
 * WeChat failure each get a clear page and bind nothing.
 */
const PUBLIC_URL = 'http://crm.test';
let fake: FakeWechatOauth;
let t: TestApp;
const db = () => t.database.db;

const notifyWith = (wechat: NotifyConfig['wechat']): NotifyConfig => ({
  worker: false,
  retryBaseSeconds: 30,
  maxAttempts: 8,
  // Short, so the test of a WeChat that never answers ends quickly.
  timeoutMs: 1_000,
  email: null,
  dingtalk: null,
  sms: null,
  wechat,
});

beforeAll(async () => {
  fake = await startFakeWechatOauth();
  t = await buildTestApp({
    importWorker: false,
    publicUrl: PUBLIC_URL,
    notify: notifyWith({
      appId: fake.appId,
      appSecret: fake.appSecret,
      apiBase: fake.url,
      openBase: fake.url,
      templates: {},
    }),
  });
});
afterEach(() => {
  fake.fault = null;
  setClock(null);
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

async function person(): Promise<Session> {
  const user = await makeUser(db());
  return signIn(t.app, user.username, TEST_PASSWORD);
}

const openidOf = async (userId: number) =>
  (await db().select({ openid: users.wechatOpenid }).from(users).where(eq(users.id, userId)))[0]!.openid;

/** Asks for my QR code, and rebuilds the address it must encode from the state it stored. */
async function qrCode(session: Session) {
  const response = await call(t.app, session, 'GET', '/api/me/wechat/qrcode');
  expect(response.statusCode, response.body).toBe(200);
  const [row] = await db()
    .select()
    .from(wechatBindStates)
    .where(eq(wechatBindStates.userId, session.userId))
    .orderBy(desc(wechatBindStates.id))
    .limit(1);
  const state = signState(
    { userId: row!.userId, expiresAt: row!.expiresAt, nonce: row!.nonce },
    t.config.secret,
  );
  const url = authorizeUrl(t.config.notify.wechat!, PUBLIC_URL, state);
  return { response, url, state, row: row! };
}

/** The scanner's phone: opens the QR code's address at WeChat and follows it back to our callback. */
async function scan(url: string, openid: string) {
  fake.scanAs(openid);
  const atWechat = await fetch(url.replace(/#wechat_redirect$/, ''), { redirect: 'manual' });
  expect(atWechat.status, await atWechat.clone().text()).toBe(302);
  const back = new URL(atWechat.headers.get('location')!);
  expect(back.origin + back.pathname).toBe(`${PUBLIC_URL}/api/wechat/oauth/callback`);
  return callback(back.search);
}

const callback = (search: string) =>
  t.app.inject({ method: 'GET', url: `/api/wechat/oauth/callback${search}` });

const auditOf = (userId: number, action: string) =>
  db()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityId, userId), eq(auditLog.action, action)));

let serial = 0;
const newOpenid = () => `oFake${process.pid}x${++serial}abcdefghij`;

describe('the QR code', () => {
  it('is a PNG of the authorise page, carrying a signed state naming me, good for ten minutes', async () => {
    const me = await person();
    const before = now().getTime();
    const { response, url, state, row } = await qrCode(me);
    const after = now().getTime();
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.rawPayload.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
    // Exactly that address, drawn the way the server draws it.
    expect(response.rawPayload.equals(await QRCode.toBuffer(url, QR_OPTIONS))).toBe(true);
    expect(url).toBe(
      `${fake.url}/connect/oauth2/authorize?appid=${fake.appId}` +
        `&redirect_uri=${encodeURIComponent(`${PUBLIC_URL}/api/wechat/oauth/callback`)}` +
        `&response_type=code&scope=snsapi_base&state=${state}#wechat_redirect`,
    );
    // WeChat takes a state of a-zA-Z0-9 only, 128 at most.
    expect(state).toMatch(/^[A-Za-z0-9]{1,128}$/);
    expect(readState(state, t.config.secret)).toMatchObject({ userId: me.userId, nonce: row.nonce });
    const expires = new Date(response.headers['x-expires-at'] as string).getTime();
    expect(expires).toBe(row.expiresAt.getTime());
    // Ten minutes from the instant it was drawn, cut to the second (qrcode.ts): that instant may
    // be in the second after `before` (a clean-clone run drew it 3 ms past a second's end).
    expect(expires).toBeGreaterThan(before + 10 * 60_000 - 1_000);
    expect(expires).toBeLessThanOrEqual(after + 10 * 60_000);
    expect(row.usedAt).toBeNull();
    // The secret is the server's: no answer carries it.
    expect(response.rawPayload.includes(fake.appSecret)).toBe(false);
  });

  it('needs a session', async () => {
    expect((await call(t.app, null, 'GET', '/api/me/wechat/qrcode')).statusCode).toBe(401);
  });
});

describe('binding by scanning', () => {
  it('binds the scanner’s openid to the person the QR code names, audited without the openid', async () => {
    const me = await person();
    const { url } = await qrCode(me);
    const openid = newOpenid();
    const page = await scan(url, openid);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('绑定成功');
    expect(page.body).not.toContain(openid);
    expect(page.body).not.toContain(fake.appSecret);
    expect(await openidOf(me.userId)).toBe(openid);
    const settings = (await call(t.app, me, 'GET', '/api/me/notify-settings')).json();
    expect(settings.wechatBound).toBe(true);
    expect(JSON.stringify(settings)).not.toContain(openid);
    const [audit, ...more] = await auditOf(me.userId, 'wechat-bind');
    expect(more).toEqual([]);
    expect(audit).toMatchObject({
      actorId: me.userId,
      entity: 'users',
      before: { wechatBound: false },
      after: { wechatBound: true },
    });
    expect(JSON.stringify(audit)).not.toContain(openid);
  });

  it('binds once per QR code: scanned again, it is refused and nothing changes', async () => {
    const me = await person();
    const { url } = await qrCode(me);
    const first = newOpenid();
    expect((await scan(url, first)).statusCode).toBe(200);
    const again = await scan(url, newOpenid());
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('二维码已使用');
    expect(await openidOf(me.userId)).toBe(first);
    expect(await auditOf(me.userId, 'wechat-bind')).toHaveLength(1);
  });

  it('of two callbacks racing with one state, exactly one binds', async () => {
    const me = await person();
    const { state } = await qrCode(me);
    const [a, b] = [newOpenid(), newOpenid()];
    const pages = await Promise.all([
      callback(`?code=${fake.codeFor(a)}&state=${state}`),
      callback(`?code=${fake.codeFor(b)}&state=${state}`),
    ]);
    expect(pages.map((p) => p.statusCode).sort()).toEqual([200, 409]);
    expect([a, b]).toContain(await openidOf(me.userId));
  });

  it('refuses a forged or altered state without asking WeChat, binding nobody', async () => {
    const me = await person();
    const victim = await person();
    const { state } = await qrCode(me);
    const [, expires, nonce, signature] = state.split('x');
    const forgeries = [
      // My signed state, made to name someone else.
      `${victim.userId}x${expires}x${nonce}x${signature}`,
      // Its expiry pushed back.
      `${me.userId}x${Number(expires) + 3600}x${nonce}x${signature}`,
      // Signed with another secret.
      signState(
        { userId: victim.userId, expiresAt: new Date(Number(expires) * 1000), nonce: nonce! },
        'not-the-server-secret',
      ),
      'abc',
      '',
    ];
    const asked = fake.exchanges.length;
    for (const forged of forgeries) {
      const page = await callback(`?code=${fake.codeFor(newOpenid())}&state=${encodeURIComponent(forged)}`);
      expect(page.statusCode, forged).toBe(400);
      expect(page.body).toContain('二维码无效');
    }
    // No code, or nothing at all.
    expect((await callback(`?state=${state}`)).statusCode).toBe(400);
    expect((await callback('')).statusCode).toBe(400);
    expect(fake.exchanges.length).toBe(asked);
    expect(await openidOf(me.userId)).toBeNull();
    expect(await openidOf(victim.userId)).toBeNull();
    // The real state still works afterwards.
    expect((await callback(`?code=${fake.codeFor(newOpenid())}&state=${state}`)).statusCode).toBe(200);
  });

  it('refuses a state past its ten minutes (test clock), binding nothing', async () => {
    const me = await person();
    const { url, row } = await qrCode(me);
    setClock(new Date(row.expiresAt.getTime() + 1_000));
    const asked = fake.exchanges.length;
    const page = await scan(url, newOpenid());
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('二维码已过期');
    expect(fake.exchanges.length).toBe(asked);
    expect(await openidOf(me.userId)).toBeNull();
    // Just inside the ten minutes it binds.
    setClock(new Date(row.expiresAt.getTime() - 1_000));
    expect((await scan(url, newOpenid())).statusCode).toBe(200);
  });

  it('refuses a WeChat already bound to someone else, naming nobody, and keeps the QR code good', async () => {
    const owner = await person();
    const taken = newOpenid();
    expect((await scan((await qrCode(owner)).url, taken)).statusCode).toBe(200);
    const ownerName = (await db().select().from(users).where(eq(users.id, owner.userId)))[0]!.name;

    const me = await person();
    const { url } = await qrCode(me);
    const page = await scan(url, taken);
    expect(page.statusCode).toBe(409);
    expect(page.body).toContain('该微信已绑定其他账号');
    expect(page.body).not.toContain(ownerName);
    expect(await openidOf(me.userId)).toBeNull();
    expect(await openidOf(owner.userId)).toBe(taken);
    // Nothing was used up: the same QR code, scanned with another WeChat, binds.
    const mine = newOpenid();
    expect((await scan(url, mine)).statusCode).toBe(200);
    expect(await openidOf(me.userId)).toBe(mine);
  });

  it.each([
    ['an error code', 'errcode'],
    ['HTTP 500', 'http500'],
    ['a redirect', 'redirect'],
    ['a body of 200 kB', 'huge'],
    ['no answer (timeout)', 'hang'],
    ['a snapshot-page stand-in account', 'snapshot'],
  ] as const)(
    'says so when WeChat answers %s, binding nothing and keeping the QR code good',
    async (_, fault) => {
      const me = await person();
      const { url } = await qrCode(me);
      fake.fault = fault;
      const started = Date.now();
      const page = await scan(url, newOpenid());
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(page.statusCode).toBe(502);
      expect(page.body).toContain('微信授权失败');
      expect(page.body).not.toContain(fake.appSecret);
      expect(await openidOf(me.userId)).toBeNull();
      fake.fault = null;
      expect((await scan(url, newOpenid())).statusCode).toBe(200);
    },
  );

  it('never puts the secret or the code in the reasons it logs', async () => {
    const wechat = t.config.notify.wechat!;
    for (const fault of ['errcode', 'http500', 'redirect', 'huge', 'hang', 'snapshot'] as const) {
      fake.fault = fault;
      const code = fake.codeFor(newOpenid());
      const outcome = await exchangeCode(wechat, code, { timeoutMs: 500 });
      expect(outcome.ok, fault).toBe(false);
      const reason = outcome.ok ? '' : outcome.reason;
      expect(reason).not.toContain(fake.appSecret);
      expect(reason).not.toContain(code);
    }
    fake.fault = null;
    const down = await exchangeCode({ ...wechat, apiBase: 'http://127.0.0.1:9' }, 'c', { timeoutMs: 500 });
    expect(down).toEqual({ ok: false, reason: 'WeChat: could not connect' });
    // The request line logs the callback without its code and state.
    expect(loggedUrl('/api/wechat/oauth/callback?code=SECRETCODE&state=1x2x3')).toBe(
      '/api/wechat/oauth/callback?code=…&state=…',
    );
    expect(loggedUrl('/api/roles?code=admin')).toBe('/api/roles?code=admin');
  });

  it('asked WeChat nothing it does not answer', () => {
    expect(fake.unexpected).toEqual([]);
  });
});

describe('unbinding', () => {
  it('forgets my openid, audited once; unbinding again changes nothing', async () => {
    const me = await person();
    await scan((await qrCode(me)).url, newOpenid());
    expect((await call(t.app, { ...me, csrfToken: 'wrong' }, 'DELETE', '/api/me/wechat')).statusCode).toBe(
      403,
    );
    const answer = await call(t.app, me, 'DELETE', '/api/me/wechat');
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({ wechatBound: false });
    expect(await openidOf(me.userId)).toBeNull();
    expect((await call(t.app, me, 'DELETE', '/api/me/wechat')).statusCode).toBe(200);
    const audits = await auditOf(me.userId, 'wechat-unbind');
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actorId: me.userId,
      before: { wechatBound: true },
      after: { wechatBound: false },
    });
    expect((await call(t.app, null, 'DELETE', '/api/me/wechat')).statusCode).toBe(401);
  });

  it('only ever my own: unbinding leaves everyone else bound', async () => {
    const other = await person();
    const theirs = newOpenid();
    await scan((await qrCode(other)).url, theirs);
    const me = await person();
    await call(t.app, me, 'DELETE', '/api/me/wechat');
    expect(await openidOf(other.userId)).toBe(theirs);
  });
});

describe('without the settings binding needs', () => {
  it('says WeChat is not configured, or PUBLIC_URL is not set, and binds nothing', async () => {
    const apps = {
      noWechat: await buildApp({
        config: { ...t.config, notify: notifyWith(null) },
        database: t.database,
        logger: false,
      }),
      noPublicUrl: await buildApp({
        config: { ...t.config, publicUrl: null },
        database: t.database,
        logger: false,
      }),
    };
    try {
      const me = await person();
      const qr = async (app: typeof apps.noWechat) => call(app, me, 'GET', '/api/me/wechat/qrcode');
      expect((await qr(apps.noWechat)).json()).toMatchObject({ error: 'wechat_not_configured' });
      expect((await qr(apps.noWechat)).statusCode).toBe(409);
      expect((await qr(apps.noPublicUrl)).json()).toMatchObject({ error: 'public_url_not_set' });
      expect((await qr(apps.noPublicUrl)).statusCode).toBe(409);
      // A callback reaching a server without WeChat's settings binds nothing either.
      const { state } = await qrCode(me);
      const page = await apps.noWechat.inject({
        method: 'GET',
        url: `/api/wechat/oauth/callback?code=${fake.codeFor(newOpenid())}&state=${state}`,
      });
      expect(page.statusCode).toBe(409);
      expect(page.body).toContain('暂时无法绑定');
      expect(await openidOf(me.userId)).toBeNull();
    } finally {
      await apps.noWechat.close();
      await apps.noPublicUrl.close();
    }
  });
});
