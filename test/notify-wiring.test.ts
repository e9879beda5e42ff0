import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotifyConfig } from '../server/config.ts';
import { notifications, users } from '../server/db/schema/index.ts';
import { channelsFrom, secretsOf } from '../server/modules/notify/channels/index.ts';
import { deliverDue } from '../server/modules/notify/delivery/deliver.ts';
import { enqueue } from '../server/modules/notify/outbox.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { makeUser } from './factories.ts';
import { type DingtalkFake, startDingtalkFake } from './fakes/dingtalk.ts';
import { startWechatFake, type WechatFake } from './fakes/wechat.ts';

/**
 * The worker through the real providers' channels (docs/spec.md §6): an event goes out on each
 * channel its person chose, rendered once with its name and link, and one a channel cannot carry
 * (no WeChat template for it) is skipped with the reason instead of failing.
 */
const PUBLIC_URL = 'https://crm.example.edu';
let database: TestDatabase;
let dingtalk: DingtalkFake;
let wechat: WechatFake;
let notify: NotifyConfig;
const db = () => database.db;

beforeAll(async () => {
  database = await createTestDatabase();
  dingtalk = await startDingtalkFake({ accessToken: 'robot-token', secret: 'SECrobot-secret' });
  wechat = await startWechatFake({
    appId: 'wx-app',
    appSecret: 'wechat-app-secret',
    templates: ['TPL-GRAB'],
    openids: ['openid-of-sanjiang'],
  });
  notify = {
    worker: false,
    retryBaseSeconds: 30,
    maxAttempts: 8,
    timeoutMs: 5_000,
    email: null,
    dingtalk: { webhook: dingtalk.webhook, secret: 'SECrobot-secret' },
    wechat: {
      appId: 'wx-app',
      appSecret: 'wechat-app-secret',
      apiBase: wechat.url,
      openBase: 'https://open.weixin.qq.com',
      templates: { grab_won: 'TPL-GRAB' },
    },
    sms: null,
  };
});
afterAll(async () => {
  await dingtalk?.close();
  await wechat?.close();
  await database?.close();
});

describe('delivery through the providers', () => {
  it('sends each chosen channel its message, and skips what a channel cannot carry', async () => {
    const user = await makeUser(db(), { name: '张三江' });
    await db()
      .update(users)
      .set({
        notifyChannels: ['dingtalk', 'wechat', 'sms'],
        phone: '13800138000',
        wechatOpenid: 'openid-of-sanjiang',
      })
      .where(eq(users.id, user.id));
    await enqueue(
      db(),
      [
        {
          userId: user.id,
          event: 'grab_won',
          payload: { customerId: 42, distributionId: 9, name: '李小龙' },
          dedupeKey: `grab_won:wiring:${user.id}`,
        },
        {
          userId: user.id,
          event: 'pool_unassigned',
          payload: { customerId: 43, name: '王小明' },
          dedupeKey: `pool_unassigned:wiring:${user.id}`,
        },
      ],
      new Date(),
    );

    await deliverDue(db(), {
      channels: channelsFrom(notify, { db: db() }),
      instance: 'wiring-test',
      settings: notify,
      publicUrl: PUBLIC_URL,
      timezone: 'Asia/Shanghai',
      leaseMs: 60_000,
      secrets: secretsOf(notify),
      random: () => 0.5,
    });

    const rows = await db()
      .select({
        event: notifications.event,
        channel: notifications.channel,
        status: notifications.status,
        lastError: notifications.lastError,
      })
      .from(notifications)
      .where(eq(notifications.userId, user.id))
      .orderBy(notifications.event, notifications.channel);
    expect(rows).toEqual([
      { event: 'grab_won', channel: 'dingtalk', status: 'sent', lastError: null },
      {
        event: 'grab_won',
        channel: 'sms',
        status: 'skipped',
        lastError: 'ALIYUN_SMS_ACCESS_KEY_ID is not set',
      },
      { event: 'grab_won', channel: 'wechat', status: 'sent', lastError: null },
      { event: 'pool_unassigned', channel: 'dingtalk', status: 'sent', lastError: null },
      {
        event: 'pool_unassigned',
        channel: 'sms',
        status: 'skipped',
        lastError: 'ALIYUN_SMS_ACCESS_KEY_ID is not set',
      },
      {
        event: 'pool_unassigned',
        channel: 'wechat',
        status: 'skipped',
        lastError: expect.stringContaining('template'),
      },
    ]);

    // The robot's message names the customer, links to them and mentions the consultant's mobile.
    const grab = dingtalk.messages.find((m) => m.markdown.text.includes('李小龙'));
    expect(grab?.markdown.text).toContain(`${PUBLIC_URL}/customers/42`);
    expect(grab?.at?.atMobiles).toEqual(['13800138000']);
    // The template message goes to the bound account, with the same link.
    expect(wechat.messages).toHaveLength(1);
    expect(wechat.messages[0]).toMatchObject({ touser: 'openid-of-sanjiang', template_id: 'TPL-GRAB' });
    expect(wechat.messages[0]?.url).toBe(`${PUBLIC_URL}/customers/42`);
  });
});
