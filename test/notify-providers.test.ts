import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClock } from '../server/clock.ts';
import type { NotifyConfig } from '../server/config.ts';
import { providerTokens } from '../server/db/schema/index.ts';
import { aliyunSmsChannel, percentEncode } from '../server/modules/notify/channels/aliyun-sms.ts';
import { dingtalkChannel } from '../server/modules/notify/channels/dingtalk.ts';
import type { Channel, Message, Recipient, SendOutcome } from '../server/modules/notify/channels/types.ts';
import { parseWechatTemplate, wechatChannel } from '../server/modules/notify/channels/wechat.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { type AliyunFake, startAliyunFake } from './fakes/aliyun.ts';
import { type DingtalkFake, startDingtalkFake } from './fakes/dingtalk.ts';
import type { FakeServer, Fault } from './fakes/server.ts';
import { startWechatFake, type WechatFake } from './fakes/wechat.ts';

/**
 * The providers' channels against local fakes that check what the real providers check
 * (docs/spec.md §6): DingTalk's robot signature, WeChat's access token and template messages,
 * Aliyun's RPC signature; and what each makes of a provider that is down, answers 500, hangs,
 * redirects or answers without end. The WeChat token is shared in the database, so this file runs
 * on PGlite and on PostgreSQL.
 */

/** Short, so a hanging provider costs the test little; production's is 10 s. */
const TIMEOUT_MS = 500;

const DINGTALK_TOKEN = 'robot-access-token-4f1c9e';
const DINGTALK_SECRET = 'SECdingtalk-secret-8a7b6c5d4e';
const WECHAT_APP_ID = 'wx-app-0001';
const WECHAT_SECRET = 'wechat-app-secret-2b3c4d5e';
const ALIYUN_KEY_ID = 'LTAI-test-key-id';
const ALIYUN_SECRET = 'aliyun-key-secret-9f8e7d6c';
const WRONG = {
  dingtalk: 'SECwrong-dingtalk-secret',
  wechat: 'wrong-wechat-secret',
  aliyun: 'wrong-aliyun-secret',
};
const SECRETS = [DINGTALK_TOKEN, DINGTALK_SECRET, WECHAT_SECRET, ALIYUN_SECRET, ...Object.values(WRONG)];

const message: Message = {
  event: 'customer_assigned',
  title: '新客户分配：张三',
  text: '新客户分配：张三\n请尽快跟进。',
  markdown: '### 新客户分配\n**张三**，请尽快跟进。',
  link: 'http://crm.test/customers/7',
  // Characters the percent-encoding treats apart: space, CJK, * ~ ! ' ( ) & = +.
  fields: { customer: "张三 (Zhang*San~) O'Neil!", time: '2026-12-07 17:10', note: 'a&b=c+d' },
};
const recipient: Recipient = {
  userId: 1,
  name: '李四',
  email: null,
  phone: '+86 138 0013 8000',
  wechatOpenid: 'openid-li',
  dingtalkUserId: null,
};

function notifyConfig(overrides: Partial<NotifyConfig>): NotifyConfig {
  return {
    worker: false,
    retryBaseSeconds: 30,
    maxAttempts: 8,
    timeoutMs: TIMEOUT_MS,
    email: null,
    dingtalk: null,
    wechat: null,
    sms: null,
    ...overrides,
  };
}

/** Every error a channel answered, to check at the end that none carries a secret. */
const errors: string[] = [];

async function send(
  channel: Channel,
  options: { message?: Message; recipient?: Recipient; signal?: AbortSignal } = {},
): Promise<SendOutcome> {
  const outcome = await channel.send({
    message: options.message ?? message,
    recipient: options.recipient ?? recipient,
    idempotencyKey: 'notification:41',
    signal: options.signal ?? new AbortController().signal,
  });
  if (!outcome.ok) errors.push(outcome.error);
  return outcome;
}

let database: TestDatabase;
let dingtalk: DingtalkFake;
let wechat: WechatFake;
let aliyun: AliyunFake;

const dingtalkConfig = (secret: string | null = DINGTALK_SECRET) =>
  notifyConfig({ dingtalk: { webhook: dingtalk.webhook, secret } });
const wechatConfig = (appSecret = WECHAT_SECRET) =>
  notifyConfig({
    wechat: {
      appId: WECHAT_APP_ID,
      appSecret,
      apiBase: wechat.url,
      openBase: 'http://open.test',
      templates: { customer_assigned: 'TPL_ASSIGNED', grab_won: 'TPL_GRAB;thing1:customer;thing2:title' },
    },
  });
const smsConfig = (accessKeySecret = ALIYUN_SECRET) =>
  notifyConfig({
    sms: {
      accessKeyId: ALIYUN_KEY_ID,
      accessKeySecret,
      signName: '榕树教育',
      endpoint: aliyun.url,
      templates: { customer_assigned: 'SMS_100' },
    },
  });

beforeAll(async () => {
  database = await createTestDatabase();
  dingtalk = await startDingtalkFake({ accessToken: DINGTALK_TOKEN, secret: DINGTALK_SECRET });
  wechat = await startWechatFake({
    appId: WECHAT_APP_ID,
    appSecret: WECHAT_SECRET,
    templates: ['TPL_ASSIGNED', 'TPL_GRAB'],
    openids: ['openid-li'],
  });
  aliyun = await startAliyunFake({
    accessKeyId: ALIYUN_KEY_ID,
    accessKeySecret: ALIYUN_SECRET,
    signName: '榕树教育',
    templates: ['SMS_100'],
  });
});
afterAll(async () => {
  await Promise.all([dingtalk?.close(), wechat?.close(), aliyun?.close()]);
  await database?.close();
});
afterEach(() => setClock(null));

describe('DingTalk custom robot', () => {
  it('posts a signed markdown message that mentions the person by mobile, with the link', async () => {
    const outcome = await send(dingtalkChannel(dingtalkConfig()));
    expect(outcome).toEqual({ ok: true });
    const posted = dingtalk.messages.at(-1)!;
    expect(posted.msgtype).toBe('markdown');
    expect(posted.markdown.title).toBe('新客户分配：张三');
    expect(posted.markdown.text).toContain('**张三**，请尽快跟进。');
    expect(posted.markdown.text).toContain('(http://crm.test/customers/7)');
    expect(posted.markdown.text).toContain('@13800138000');
    expect(posted.at).toEqual({ atMobiles: ['13800138000'], atUserIds: [], isAtAll: false });
  });

  it('is refused by a robot whose secret is another (310000), and not retried', async () => {
    const before = dingtalk.messages.length;
    const outcome = await send(dingtalkChannel(dingtalkConfig(WRONG.dingtalk)));
    expect(outcome).toEqual({ ok: false, retry: false, error: 'DingTalk: errcode 310000: sign not match' });
    expect(dingtalk.messages.length).toBe(before);
  });

  it('is refused with a timestamp more than an hour off', async () => {
    setClock(new Date(Date.now() - 2 * 60 * 60_000));
    const outcome = await send(dingtalkChannel(dingtalkConfig()));
    expect(outcome).toMatchObject({
      ok: false,
      retry: false,
      error: expect.stringContaining('invalid timestamp'),
    });
  });

  it('posts unsigned to a robot without a secret, and mentions nobody without a mobile', async () => {
    const open = await startDingtalkFake({ accessToken: DINGTALK_TOKEN, secret: null });
    try {
      const channel = dingtalkChannel(notifyConfig({ dingtalk: { webhook: open.webhook, secret: null } }));
      const landline = { ...recipient, phone: '010-12345678' };
      expect(channel.unreachable(landline, 'customer_assigned')).toBeNull();
      expect(await send(channel, { recipient: landline })).toEqual({ ok: true });
      expect(open.messages[0]!.at?.atMobiles).toEqual([]);
      expect(open.messages[0]!.markdown.text).not.toContain('@');
    } finally {
      await open.close();
    }
  });

  it('tries again later when DingTalk says too many a minute', async () => {
    dingtalk.answerNext(130101);
    expect(await send(dingtalkChannel(dingtalkConfig()))).toMatchObject({ ok: false, retry: true });
    expect(await send(dingtalkChannel(dingtalkConfig()))).toEqual({ ok: true });
  });

  it('says it is not configured without a webhook', () => {
    expect(dingtalkChannel(notifyConfig({})).notConfigured()).toBe('DINGTALK_ROBOT_WEBHOOK is not set');
    expect(dingtalkChannel(dingtalkConfig()).notConfigured()).toBeNull();
  });
});

describe('WeChat template messages', () => {
  const tokenRow = () =>
    database.db.select().from(providerTokens).where(eq(providerTokens.provider, 'wechat'));

  it('sends the template message with one token, fetched once and shared by two instances', async () => {
    const first = wechatChannel(wechatConfig(), { db: database.db });
    const second = wechatChannel(wechatConfig(), { db: database.db });
    const a = await send(first);
    const b = await send(second);
    expect(a).toEqual({ ok: true, providerMessageId: expect.any(String) });
    expect(b).toEqual({ ok: true, providerMessageId: expect.any(String) });
    expect(wechat.tokensIssued()).toBe(1);
    expect(wechat.tokenRequests()).toBe(1);
    const [row] = await tokenRow();
    expect(row?.token).toMatch(/^tok_/);
    expect(wechat.messages[0]).toEqual({
      touser: 'openid-li',
      template_id: 'TPL_ASSIGNED',
      url: 'http://crm.test/customers/7',
      data: {
        customer: { value: "张三 (Zhang*San~) O'Neil!" },
        time: { value: '2026-12-07 17:10' },
        note: { value: 'a&b=c+d' },
      },
    });
  });

  it('fills the keywords a template names from the fields (or the title) they name', async () => {
    expect(parseWechatTemplate('TPL_GRAB;thing1:customer;thing2:title')).toEqual({
      id: 'TPL_GRAB',
      keywords: [
        ['thing1', 'customer'],
        ['thing2', 'title'],
      ],
    });
    const outcome = await send(wechatChannel(wechatConfig(), { db: database.db }), {
      message: { ...message, event: 'grab_won' },
    });
    expect(outcome.ok).toBe(true);
    expect(wechat.messages.at(-1)).toMatchObject({
      template_id: 'TPL_GRAB',
      data: { thing1: { value: "张三 (Zhang*San~) O'Neil!" }, thing2: { value: '新客户分配：张三' } },
    });
  });

  it('replaces a token WeChat voided (40001) and sends the message once; the other instance takes the new one', async () => {
    const first = wechatChannel(wechatConfig(), { db: database.db });
    const second = wechatChannel(wechatConfig(), { db: database.db });
    expect((await send(first)).ok && (await send(second)).ok).toBe(true);
    const [issued, sent] = [wechat.tokensIssued(), wechat.messages.length];
    wechat.voidTokens();
    expect(await send(first)).toMatchObject({ ok: true });
    expect(wechat.tokensIssued()).toBe(issued + 1);
    expect(wechat.messages.length).toBe(sent + 1);
    // The second still holds the voided one: refused, it reads the new one from the database.
    expect(await send(second)).toMatchObject({ ok: true });
    expect(wechat.tokensIssued()).toBe(issued + 1);
    expect(wechat.messages.length).toBe(sent + 2);
  });

  it('forces a new token when the normal fetch hands back the one refused', async () => {
    const channel = wechatChannel(wechatConfig(), { db: database.db });
    expect((await send(channel)).ok).toBe(true);
    const forced = wechat.forcedRefreshes();
    wechat.refuseCurrentToken();
    expect(await send(channel)).toMatchObject({ ok: true });
    expect(wechat.forcedRefreshes()).toBe(forced + 1);
  });

  it('lets one instance fetch when several find the token voided at once', async () => {
    const first = wechatChannel(wechatConfig(), { db: database.db });
    const second = wechatChannel(wechatConfig(), { db: database.db });
    expect((await send(first)).ok && (await send(second)).ok).toBe(true);
    wechat.voidTokens();
    const [requests, sent] = [wechat.tokenRequests(), wechat.messages.length];
    const outcomes = await Promise.all([send(first), send(second), send(first), send(second)]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true, true]);
    expect(wechat.tokenRequests()).toBe(requests + 1);
    expect(wechat.messages.length).toBe(sent + 4);
  });

  it('fetches a new token before the old one lapses (not in its last minute)', async () => {
    const channel = wechatChannel(wechatConfig(), { db: database.db });
    expect((await send(channel)).ok).toBe(true);
    const requests = wechat.tokenRequests();
    const [row] = await tokenRow();
    setClock(new Date(row!.expiresAt.getTime() - 30_000));
    expect((await send(channel)).ok).toBe(true);
    expect(wechat.tokenRequests()).toBe(requests + 1);
  });

  it('is refused a token with the wrong app secret, and says so without the secret', async () => {
    await database.db.delete(providerTokens);
    const outcome = await send(wechatChannel(wechatConfig(WRONG.wechat), { db: database.db }));
    expect(outcome).toEqual({
      ok: false,
      retry: false,
      error: 'WeChat: no access token, errcode 40125: invalid appsecret',
    });
    expect(await tokenRow()).toEqual([]);
  });

  it('reaches only people bound to WeChat, for events with a template', async () => {
    const channel = wechatChannel(wechatConfig(), { db: database.db });
    expect(channel.unreachable({ ...recipient, wechatOpenid: null }, 'customer_assigned')).toBe(
      'not bound to WeChat',
    );
    expect(channel.unreachable(recipient, 'import_finished')).toBe(
      'no WeChat template for import_finished (WECHAT_TEMPLATE_IDS)',
    );
    expect(channel.unreachable(recipient, 'customer_assigned')).toBeNull();
    expect(await send(channel, { message: { ...message, event: 'import_finished' } })).toMatchObject({
      ok: false,
      retry: false,
    });
    expect(wechatChannel(notifyConfig({}), { db: database.db }).notConfigured()).toBe(
      'WECHAT_APP_ID is not set',
    );
  });

  it('does not retry an openid WeChat refuses; retries when WeChat is busy', async () => {
    const channel = wechatChannel(wechatConfig(), { db: database.db });
    expect(await send(channel, { recipient: { ...recipient, wechatOpenid: 'openid-stranger' } })).toEqual({
      ok: false,
      retry: false,
      error: 'WeChat: errcode 40003: invalid openid',
    });
    wechat.answerNext(-1);
    expect(await send(channel)).toMatchObject({ ok: false, retry: true });
  });
});

describe('Aliyun SMS', () => {
  it('sends a signed SendSms with the template, its parameters and the idempotency key', async () => {
    const outcome = await send(aliyunSmsChannel(smsConfig()));
    expect(outcome).toEqual({ ok: true, providerMessageId: expect.stringMatching(/\^0$/) });
    const params = aliyun.messages.at(-1)!;
    expect(params).toMatchObject({
      Action: 'SendSms',
      Version: '2017-05-25',
      RegionId: 'cn-hangzhou',
      PhoneNumbers: '13800138000',
      SignName: '榕树教育',
      TemplateCode: 'SMS_100',
      OutId: 'notification:41',
    });
    expect(JSON.parse(params.TemplateParam!)).toEqual(message.fields);
  });

  it('percent-encodes as RFC 3986 does', () => {
    expect(percentEncode("a b*c~d!e'f(g)h/中")).toBe('a%20b%2Ac~d%21e%27f%28g%29h%2F%E4%B8%AD');
  });

  it('is refused with the wrong secret (SignatureDoesNotMatch), and not retried', async () => {
    const before = aliyun.messages.length;
    const outcome = await send(aliyunSmsChannel(smsConfig(WRONG.aliyun)));
    expect(outcome).toEqual({
      ok: false,
      retry: false,
      error: 'Aliyun SMS: SignatureDoesNotMatch: Specified signature is not matched with our calculation.',
    });
    expect(aliyun.messages.length).toBe(before);
  });

  it('tries again later when throttled', async () => {
    aliyun.answerNext('isv.BUSINESS_LIMIT_CONTROL');
    expect(await send(aliyunSmsChannel(smsConfig()))).toMatchObject({ ok: false, retry: true });
  });

  it('reaches mobiles only, for events with a template', () => {
    const channel = aliyunSmsChannel(smsConfig());
    expect(channel.unreachable({ ...recipient, phone: null }, 'customer_assigned')).toBe('no mobile number');
    expect(channel.unreachable({ ...recipient, phone: '010-12345678' }, 'customer_assigned')).toBe(
      'no mobile number',
    );
    expect(channel.unreachable(recipient, 'grab_won')).toBe(
      'no SMS template for grab_won (ALIYUN_SMS_TEMPLATE_CODES)',
    );
    expect(channel.unreachable(recipient, 'customer_assigned')).toBeNull();
  });
});

type Case = { name: string; fake: () => FakeServer; channel: () => Channel };
const cases: Case[] = [
  { name: 'DingTalk', fake: () => dingtalk, channel: () => dingtalkChannel(dingtalkConfig()) },
  { name: 'WeChat', fake: () => wechat, channel: () => wechatChannel(wechatConfig(), { db: database.db }) },
  { name: 'Aliyun SMS', fake: () => aliyun, channel: () => aliyunSmsChannel(smsConfig()) },
];

const FAULTS: { fault: Fault; retry: boolean; error: RegExp }[] = [
  { fault: 'refuse', retry: true, error: /: connection refused$/ },
  { fault: '500', retry: true, error: /: answered HTTP 500$/ },
  { fault: 'hang', retry: true, error: /: timed out after 500 ms$/ },
  { fault: 'redirect', retry: false, error: /: answered a redirect \(HTTP 302\)$/ },
  { fault: 'huge', retry: false, error: /: answered more than 1 MB$/ },
];

describe.each(cases)('$name when the provider fails', ({ name, fake, channel }) => {
  afterEach(() => fake().fault(null));

  it.each(FAULTS)('$fault: retry $retry, and delivered once it mends', async ({ fault, retry, error }) => {
    const sender = channel();
    // A first message goes through (WeChat's token is then at hand, so the fault meets the send).
    expect((await send(sender)).ok).toBe(true);
    await fake().fault(fault);
    const started = Date.now();
    const outcome = await send(sender);
    expect(outcome).toMatchObject({ ok: false, retry });
    expect(!outcome.ok && outcome.error).toMatch(error);
    expect(!outcome.ok && outcome.error.startsWith(`${name}: `)).toBe(true);
    // Bounded in time, and (an endless body) in what it read.
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 5_000);
    if (fault === 'huge') expect(fake().hugeBytesSent()).toBeLessThan(256 * 1024 * 1024);
    await fake().fault(null);
    expect((await send(sender)).ok).toBe(true);
  });

  it('stops when the caller cancels', async () => {
    const sender = channel();
    expect((await send(sender)).ok).toBe(true);
    await fake().fault('hang');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const outcome = await send(sender, { signal: controller.signal });
    expect(outcome).toMatchObject({ ok: false, retry: true, error: `${name}: cancelled before it answered` });
  });
});

describe('secrets', () => {
  it('appear in no error a channel answered, nor does the phone number', () => {
    expect(errors.length).toBeGreaterThan(20);
    for (const error of errors) {
      for (const secret of SECRETS) expect(error).not.toContain(secret);
      expect(error).not.toContain('13800138000');
    }
  });
});
