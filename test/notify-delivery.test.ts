import { Writable } from 'node:stream';
import { and, eq, inArray, like } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.ts';
import { setClock } from '../server/clock.ts';
import type { NotifyConfig } from '../server/config.ts';
import { type Database, openPostgres } from '../server/db/client.ts';
import { auditLog, notifications, users } from '../server/db/schema/index.ts';
import { createLogger } from '../server/log.ts';
import { bodyOf } from '../server/modules/notify/channels/email.ts';
import { channelsFrom, secretsOf } from '../server/modules/notify/channels/index.ts';
import type { Channel, ChannelCode } from '../server/modules/notify/channels/types.ts';
import { deliverDue } from '../server/modules/notify/delivery/deliver.ts';
import { claimDue, LOST_WORDS } from '../server/modules/notify/delivery/queries.ts';
import { idempotencyKeyOf } from '../server/modules/notify/delivery/rules.ts';
import { renderMessage } from '../server/modules/notify/messages.ts';
import { enqueue, type NotificationEvent } from '../server/modules/notify/outbox.ts';
import { appForTests, call, signIn } from './app.ts';
import { BUSY_MACHINE_TIMEOUTS } from './db.ts';
import { makeUser, TEST_PASSWORD } from './factories.ts';
import { type FakeChannel, fakeChannel } from './fakes/channel.ts';
import { type FakeSmtp, startFakeSmtp } from './fakes/smtp.ts';

/**
 * Delivering the outbox (docs/spec.md §6, issue 23): the worker claims due rows, sends them outside
 * any transaction and records each outcome — sent, retried with backoff, given up, skipped with the
 * reason — never sending one row twice, across instances and crashes. E-mail goes to an SMTP server
 * in this test; a provider that takes idempotency keys is a fake channel in this process.
 */
const SMTP_USER = 'crm-mailer';
const SMTP_PASSWORD = 'smtp-pass-7Hq2xV';
const PUBLIC_URL = 'https://crm.school.test';
const T0 = new Date('2026-12-01T02:00:00.000Z');
const seconds = (n: number) => new Date(T0.getTime() + n * 1000);

let smtp: FakeSmtp;
const t = appForTests({ notify: settings(null), publicUrl: PUBLIC_URL });
const db = () => t.database.db;

beforeAll(async () => {
  smtp = await startFakeSmtp({ user: SMTP_USER, pass: SMTP_PASSWORD });
});
afterAll(async () => smtp?.close());
beforeEach(() => {
  setClock(T0);
  smtp.mood = 'up';
  smtp.delayMs = 0;
});

/** The delivery settings, e-mail to the fake SMTP server once it has started. */
function settings(smtpUrl: string | null, overrides: Partial<NotifyConfig> = {}): NotifyConfig {
  return {
    worker: false,
    retryBaseSeconds: 30,
    maxAttempts: 8,
    timeoutMs: 5_000,
    email: smtpUrl ? { smtpUrl, from: 'Banyan CRM <crm@school.test>' } : null,
    dingtalk: null,
    wechat: null,
    sms: null,
    ...overrides,
  };
}

/** One run of the worker: everything due now, as `instance`, through these channels. */
function deliver(
  options: {
    notify?: NotifyConfig;
    channels?: Partial<Record<ChannelCode, Channel>>;
    instance?: string;
    leaseMs?: number;
    log?: ReturnType<typeof createLogger>;
  } = {},
) {
  const notify = options.notify ?? settings(smtp.url);
  return deliverDue(db(), {
    channels: options.channels ?? channelsFrom(notify, { db: db() }),
    instance: options.instance ?? 'test-instance',
    settings: notify,
    publicUrl: PUBLIC_URL,
    leaseMs: options.leaseMs ?? 60_000,
    secrets: secretsOf(notify),
    random: () => 0.5,
    log: options.log,
  });
}

let serial = 0;

/** A staff member who chose `channels`, with an e-mail address unless given null. */
async function person(
  options: { channels?: ChannelCode[]; email?: string | null; active?: boolean } = {},
): Promise<{ id: number; email: string | null }> {
  const user = await makeUser(db(), { active: options.active });
  const email = options.email === undefined ? `staff${++serial}.${user.id}@school.test` : options.email;
  await db()
    .update(users)
    .set({ email, notifyChannels: options.channels ?? ['email'] })
    .where(eq(users.id, user.id));
  return { id: user.id, email };
}

/** Tells `userId` of an event now; the outbox rows written, by channel. */
async function tell(
  userId: number,
  payload: Record<string, unknown> = { customerId: 7, name: '张三' },
  event: NotificationEvent = 'customer_assigned',
): Promise<Record<string, number>> {
  const key = `test:${++serial}:${userId}`;
  await enqueue(db(), [{ userId, event, payload, dedupeKey: key }], T0);
  const rows = await db()
    .select({ id: notifications.id, channel: notifications.channel })
    .from(notifications)
    .where(like(notifications.dedupeKey, `${key}:%`));
  return Object.fromEntries(rows.map((r) => [r.channel, r.id]));
}

async function rowOf(id: number) {
  const [row] = await db().select().from(notifications).where(eq(notifications.id, id));
  return row!;
}

/** What the fake SMTP server got for one notification (by its stable Message-ID). */
async function mailsFor(id: number) {
  const row = await rowOf(id);
  const key = idempotencyKeyOf({ id, dedupeKey: row.dedupeKey });
  return smtp.mails.filter((mail) => mail.messageId === `<${key}@school.test>`);
}

describe('e-mail', () => {
  it('reaches the recipient: their address, the event’s title and text with its link, once', async () => {
    const staff = await person();
    const payload = { customerId: 7, name: '张三' };
    const { email: id } = await tell(staff.id, payload);
    await deliver();

    const row = await rowOf(id!);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, sentAt: T0, claimedUntil: null });
    expect(row.providerMessageId).toBeTruthy();
    const mails = await mailsFor(id!);
    expect(mails).toHaveLength(1);
    // As the worker renders it: from the payload as stored (jsonb orders its keys its own way).
    const message = renderMessage('customer_assigned', row.payload as typeof payload, {
      publicUrl: PUBLIC_URL,
    });
    expect(mails[0]).toMatchObject({
      from: 'crm@school.test',
      to: [staff.email],
      subject: message.title,
      text: bodyOf(message),
      acknowledged: true,
    });
    expect(mails[0]!.text).toContain(PUBLIC_URL);

    // Delivered is delivered: another run sends nothing.
    await deliver();
    expect(await mailsFor(id!)).toHaveLength(1);
  });

  it('is retried while the server is down, with backoff, and delivered once when it is back', async () => {
    const staff = await person();
    const { email: id } = await tell(staff.id);
    smtp.mood = 'down';
    await deliver();
    expect(await rowOf(id!)).toMatchObject({ status: 'failed', attempts: 1, nextAttemptAt: seconds(30) });
    expect((await rowOf(id!)).lastError).toContain('421');

    // Not due yet: nothing is tried.
    setClock(seconds(29));
    await deliver();
    expect(await rowOf(id!)).toMatchObject({ status: 'failed', attempts: 1 });

    setClock(seconds(30));
    await deliver();
    expect(await rowOf(id!)).toMatchObject({ status: 'failed', attempts: 2, nextAttemptAt: seconds(90) });

    smtp.mood = 'up';
    setClock(seconds(90));
    await deliver();
    expect(await rowOf(id!)).toMatchObject({ status: 'sent', attempts: 3, sentAt: seconds(90) });
    expect(await mailsFor(id!)).toHaveLength(1);
  });

  it('is given up at once when the server refuses the recipient for good', async () => {
    const staff = await person();
    const { email: id } = await tell(staff.id);
    smtp.mood = 'reject';
    await deliver();
    const row = await rowOf(id!);
    expect(row).toMatchObject({ status: 'dead', attempts: 1 });
    expect(row.lastError).toContain('550');
  });

  it('never stores or logs the SMTP password, the address or the message', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger('debug', 'json', stream);
    const staff = await person();
    const { email: id } = await tell(staff.id, { customerId: 8, name: '保密的名字' });
    // A wrong password: refused at the login, which the settings may yet fix (retried).
    const wrong = smtp.url.replace(encodeURIComponent(SMTP_PASSWORD), 'not-the-password');
    await deliver({ notify: settings(wrong), log });
    const failed = await rowOf(id!);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    // A provider whose error quotes a secret of the settings: blanked out.
    const leaky: FakeChannel = fakeChannel('email', { idempotent: false });
    leaky.send = async () => ({ ok: false, error: `refused for ${SMTP_PASSWORD}`, retry: true });
    setClock(seconds(30));
    await deliver({ channels: { email: leaky }, log });
    const row = await rowOf(id!);
    expect(row.lastError).toBe('refused for ***');
    const logged = lines.join('');
    expect(logged).toContain(`"notificationId":${id}`);
    for (const secret of [SMTP_PASSWORD, 'not-the-password', '保密的名字', staff.email!]) {
      expect(logged).not.toContain(secret);
    }
    smtp.mood = 'up';
    setClock(seconds(90));
    await deliver();
    expect(await rowOf(id!)).toMatchObject({ status: 'sent', attempts: 3 });
  });
});

describe('retries', () => {
  it('wait base·2^(n−1) after the n-th failure, then give up as dead after the last attempt', async () => {
    const staff = await person({ channels: ['wechat'] });
    const { wechat: id } = await tell(staff.id);
    const provider = fakeChannel('wechat', { idempotent: true });
    provider.mood = 'down';
    const waits: number[] = [];
    let at = T0;
    for (let attempt = 1; attempt <= 8; attempt++) {
      setClock(at);
      await deliver({ channels: { wechat: provider } });
      const row = await rowOf(id!);
      expect(row.attempts).toBe(attempt);
      if (attempt < 8) {
        expect(row.status).toBe('failed');
        waits.push((row.nextAttemptAt!.getTime() - at.getTime()) / 1000);
        at = row.nextAttemptAt!;
      } else {
        expect(row).toMatchObject({ status: 'dead', lastError: 'HTTP 503 from the fake provider' });
      }
    }
    expect(waits).toEqual([30, 60, 120, 240, 480, 960, 1920]);
    expect(provider.calls.filter((k) => k.startsWith(`crm-${id}-`))).toHaveLength(8);
    // Dead stays dead.
    setClock(new Date(at.getTime() + 86_400_000));
    await deliver({ channels: { wechat: provider } });
    expect((await rowOf(id!)).attempts).toBe(8);
  });

  it('count a provider that does not answer within the timeout as a failure to retry', async () => {
    const staff = await person({ channels: ['wechat'] });
    const { wechat: id } = await tell(staff.id);
    const provider = fakeChannel('wechat', { idempotent: true });
    provider.mood = 'hang';
    await deliver({ channels: { wechat: provider }, notify: settings(smtp.url, { timeoutMs: 200 }) });
    expect(await rowOf(id!)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: 'no answer within 0.2 s',
      nextAttemptAt: seconds(30),
    });
  });
});

describe('not sent at all: skipped, saying why', () => {
  it('a channel that is not configured', async () => {
    const staff = await person({ channels: ['email', 'sms'] });
    const rows = await tell(staff.id);
    await deliver({ notify: settings(null) });
    expect(await rowOf(rows.email!)).toMatchObject({
      status: 'skipped',
      lastError: 'SMTP_URL is not set',
      attempts: 0,
    });
    expect((await rowOf(rows.sms!)).status).toBe('skipped');
    expect((await rowOf(rows.sms!)).lastError).toMatch(/ALIYUN_SMS_ACCESS_KEY_ID is not set/);
  });

  it('a backlog of a channel not configured, in bulk, while configured channels still send', async () => {
    const texter = await person({ channels: ['sms'] });
    const reader = await person({ channels: ['email'] });
    const many = 2_500;
    const told = (userId: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        userId,
        event: 'customer_assigned' as const,
        payload: { customerId: i + 1, name: '张三' },
        dedupeKey: `backlog:${userId}:${i}`,
      }));
    await enqueue(db(), [...told(texter.id, many), ...told(reader.id, 3)], T0);
    const counts = await deliver();
    const rows = await db()
      .select({
        userId: notifications.userId,
        status: notifications.status,
        lastError: notifications.lastError,
      })
      .from(notifications)
      .where(like(notifications.dedupeKey, 'backlog:%'));
    const texts = rows.filter((r) => r.userId === texter.id);
    expect(texts.filter((r) => r.status === 'skipped')).toHaveLength(many);
    expect(new Set(texts.map((r) => r.lastError))).toEqual(
      new Set([expect.stringMatching(/ALIYUN_SMS_ACCESS_KEY_ID is not set/)]),
    );
    expect(rows.filter((r) => r.userId === reader.id).map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    expect(counts).toMatchObject({ skipped: many, sent: 3 });
  });

  it('a person the channel cannot reach, or who has left', async () => {
    const noAddress = await person({ email: null });
    const left = await person({ active: false });
    const { email: unreachable } = await tell(noAddress.id);
    const { email: disabled } = await tell(left.id);
    await deliver();
    expect(await rowOf(unreachable!)).toMatchObject({ status: 'skipped', lastError: 'no e-mail address' });
    expect(await rowOf(disabled!)).toMatchObject({ status: 'skipped', lastError: 'account disabled' });
    expect(await mailsFor(disabled!)).toHaveLength(0);
  });
});

describe('a send cut off by its instance dying', () => {
  it('is sent again where the provider takes an idempotency key (delivered once), else unknown', async () => {
    const staff = await person({ channels: ['wechat', 'email'] });
    const rows = await tell(staff.id);
    const provider = fakeChannel('wechat', { idempotent: true });
    // An instance claims them, calls the provider, and dies before recording anything.
    const claimed = await claimDue(db(), {
      instance: 'dead-instance',
      leaseUntil: seconds(60),
      limit: 1000,
      at: T0,
    });
    const wechatRow = claimed.find((row) => row.id === rows.wechat)!;
    await provider.send({
      message: renderMessage('customer_assigned', {}, { publicUrl: null }),
      recipient: {
        userId: staff.id,
        name: '',
        email: null,
        phone: null,
        wechatOpenid: null,
        dingtalkUserId: null,
      },
      idempotencyKey: idempotencyKeyOf(wechatRow),
      signal: new AbortController().signal,
    });

    // While its claim holds, nobody else touches them.
    setClock(seconds(59));
    await deliver({
      channels: { wechat: provider, email: channelsFrom(settings(smtp.url), { db: db() }).email },
    });
    expect((await rowOf(rows.wechat!)).status).toBe('sending');
    expect((await rowOf(rows.email!)).status).toBe('sending');

    setClock(seconds(61));
    await deliver({
      channels: { wechat: provider, email: channelsFrom(settings(smtp.url), { db: db() }).email },
    });
    // The lost attempt counts; the provider recognised the key: one message, two calls.
    expect(await rowOf(rows.wechat!)).toMatchObject({
      status: 'sent',
      attempts: 2,
      claimedBy: 'test-instance',
    });
    expect(provider.calls.filter((k) => k === idempotencyKeyOf(wechatRow))).toHaveLength(2);
    expect(provider.delivered.get(idempotencyKeyOf(wechatRow))).toBe(1);
    // SMTP takes no key: for a person to decide, never sent on a guess.
    expect(await rowOf(rows.email!)).toMatchObject({
      status: 'unknown',
      attempts: 1,
      lastError: LOST_WORDS.unknown,
      claimedBy: 'dead-instance',
    });
    expect(await mailsFor(rows.email!)).toHaveLength(0);
  });
});

describe('the delivery log', () => {
  it('retries dead, unknown and failed rows at once, attempts kept; others are left alone', async () => {
    const admin = await makeUser(db(), { codes: ['notification.list', 'notification.retry'] });
    const reader = await makeUser(db(), { codes: ['notification.list'] });
    const staff = await person();
    const ids: number[] = [];
    for (const [status, attempts] of [
      ['dead', 8],
      ['unknown', 1],
      ['failed', 2],
      ['sent', 1],
    ] as const) {
      const { email: id } = await tell(staff.id);
      await db()
        .update(notifications)
        .set({
          status,
          attempts,
          lastError: status === 'sent' ? null : 'earlier',
          nextAttemptAt: seconds(3600),
        })
        .where(eq(notifications.id, id!));
      ids.push(id!);
    }
    setClock(seconds(120));
    const refused = await call(
      t.app,
      await signIn(t.app, reader.username, TEST_PASSWORD),
      'POST',
      '/api/notifications/actions/retry',
      { ids },
    );
    expect(refused.statusCode).toBe(403);

    const session = await signIn(t.app, admin.username, TEST_PASSWORD);
    const retried = await call(t.app, session, 'POST', '/api/notifications/actions/retry', { ids });
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toEqual({ ok: true, affected: 3 });
    const after = await db()
      .select()
      .from(notifications)
      .where(inArray(notifications.id, ids))
      .orderBy(notifications.id);
    expect(after.map((r) => [r.status, r.attempts, r.nextAttemptAt])).toEqual([
      ['pending', 8, seconds(120)],
      ['pending', 1, seconds(120)],
      ['pending', 2, seconds(120)],
      ['sent', 1, seconds(3600)],
    ]);
    const [audited] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'notifications'), eq(auditLog.action, 'retry')));
    expect(audited).toMatchObject({ actorId: admin.id, after: { ids } });

    // Each is sent once; the dead one had its one more try.
    await deliver();
    const sent = await db()
      .select()
      .from(notifications)
      .where(inArray(notifications.id, ids))
      .orderBy(notifications.id);
    expect(sent.map((r) => [r.status, r.attempts])).toEqual([
      ['sent', 9],
      ['sent', 2],
      ['sent', 3],
      ['sent', 1],
    ]);
    for (const id of ids.slice(0, 3)) expect(await mailsFor(id)).toHaveLength(1);

    // The log filters by status, channel and event.
    const listed = await call(
      t.app,
      session,
      'GET',
      `/api/notifications?status=sent&channel=email&event=customer_assigned&userId=${staff.id}&pageSize=200`,
    );
    expect(listed.statusCode, listed.body).toBe(200);
    expect(
      listed
        .json()
        .items.map((item: { id: number }) => item.id)
        .sort(),
    ).toEqual(expect.arrayContaining(ids));
  });

  it('says which channels can send, and never a secret', async () => {
    const app = await buildApp({
      config: {
        ...t.config,
        notify: settings(smtp.url, {
          dingtalk: {
            webhook: 'https://oapi.dingtalk.test/robot/send?access_token=dt-token-123456',
            secret: 'dt-secret-abcdef',
          },
        }),
      },
      database: t.database,
      logger: false,
    });
    try {
      const reader = await makeUser(db(), { codes: ['notification.list'] });
      const nobody = await makeUser(db(), { codes: ['customer.list'] });
      const url = '/api/notify/channels';
      expect((await call(app, null, 'GET', url)).statusCode).toBe(401);
      expect(
        (await call(app, await signIn(app, nobody.username, TEST_PASSWORD), 'GET', url)).statusCode,
      ).toBe(403);
      const answer = await call(app, await signIn(app, reader.username, TEST_PASSWORD), 'GET', url);
      expect(answer.statusCode, answer.body).toBe(200);
      const statuses = answer.json() as { channel: string; configured: boolean; reason: string | null }[];
      expect(statuses.map((s) => s.channel)).toEqual(['sms', 'wechat', 'dingtalk', 'email']);
      expect(statuses.find((s) => s.channel === 'email')).toEqual({
        channel: 'email',
        configured: true,
        reason: null,
      });
      expect(statuses.find((s) => s.channel === 'sms')).toEqual({
        channel: 'sms',
        configured: false,
        reason: 'ALIYUN_SMS_ACCESS_KEY_ID is not set',
      });
      for (const secret of [SMTP_PASSWORD, SMTP_USER, 'dt-token-123456', 'dt-secret-abcdef', '127.0.0.1']) {
        expect(answer.body).not.toContain(secret);
      }
    } finally {
      await app.close();
    }
  });
});

describe('many notifications, several instances', () => {
  const ROWS = 1_000;
  const clustered = Boolean(process.env.TEST_DATABASE_URL);

  it(`delivers ${ROWS} rows each exactly once, from ${clustered ? 'two instances on PostgreSQL' : 'one instance on PGlite'}`, {
    timeout: 180_000,
  }, async () => {
    setClock(null);
    // A little time per message, so that the instances overlap.
    smtp.delayMs = 2;
    const people = await Promise.all(Array.from({ length: 50 }, () => person()));
    const before = new Date();
    await enqueue(
      db(),
      Array.from({ length: ROWS }, (_, i) => ({
        userId: people[i % people.length]!.id,
        event: 'grab_won' as const,
        payload: { customerId: i },
        dedupeKey: `bulk:${i}`,
      })),
      before,
    );
    const ids = (
      await db()
        .select({ id: notifications.id })
        .from(notifications)
        .where(
          and(
            eq(notifications.event, 'grab_won'),
            inArray(
              notifications.userId,
              people.map((p) => p.id),
            ),
          ),
        )
    ).map((r) => r.id);
    expect(ids).toHaveLength(ROWS);

    const config = { ...t.config, notify: settings(smtp.url, { worker: true }) };
    const instances: { app: FastifyInstance; database?: Database }[] = [];
    for (let i = 0; i < (clustered ? 2 : 1); i++) {
      const database = clustered
        ? openPostgres(t.database.url!, { max: 5, timeouts: BUSY_MACHINE_TIMEOUTS })
        : undefined;
      const app = await buildApp({ config, database: database ?? t.database, logger: false });
      await app.ready();
      instances.push({ app, database });
    }
    try {
      const deadline = Date.now() + 150_000;
      for (;;) {
        const open = await db()
          .select({ id: notifications.id })
          .from(notifications)
          .where(
            and(
              inArray(notifications.id, ids),
              inArray(notifications.status, ['pending', 'sending', 'failed']),
            ),
          );
        if (open.length === 0 || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      for (const { app, database } of instances) {
        await app.close();
        await database?.close();
      }
    }
    const rows = await db().select().from(notifications).where(inArray(notifications.id, ids));
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    // Counted at the server: every row's message arrived, none twice.
    const counts = smtp.countsById();
    const keys = rows.map((r) => `<${idempotencyKeyOf(r)}@school.test>`);
    expect(keys.filter((key) => counts.get(key) !== 1)).toEqual([]);
    const byInstance = new Set(rows.map((r) => r.claimedBy));
    expect(byInstance.size).toBe(clustered ? 2 : 1);
  });
});
