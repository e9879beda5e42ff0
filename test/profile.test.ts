import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { notificationEvent } from '../server/db/schema/enums.ts';
import { auditLog, notifications, users } from '../server/db/schema/index.ts';
import { enqueue } from '../server/modules/notify/outbox.ts';
import { appForTests, call, type Session, signIn } from './app.ts';
import { makeUser, TEST_PASSWORD } from './factories.ts';

/**
 * My notification settings (issue 23 item 7, docs/spec.md §6): anyone signed in reads and changes
 * their own general channels and their choices per event, and nobody else's; bad channels and
 * events are refused with nothing saved; each change is audited; the outbox follows what was saved;
 * which channels the school configured is shown, never a setting.
 */
const SMTP_URL = 'smtp://mailer:hunter2-smtp-password@127.0.0.1:2525';
const t = appForTests({
  importWorker: false,
  notify: {
    worker: false,
    retryBaseSeconds: 30,
    maxAttempts: 8,
    timeoutMs: 1_000,
    email: { smtpUrl: SMTP_URL, from: 'CRM <crm@school.test>' },
    dingtalk: null,
    sms: null,
    wechat: null,
  },
});
const db = () => t.database.db;

/** Someone holding no permission at all: the settings are theirs whatever their role. */
async function person(): Promise<Session> {
  const user = await makeUser(db(), {});
  await db()
    .update(users)
    .set({ email: `${user.username}@school.test`, phone: '13912345678' })
    .where(eq(users.id, user.id));
  return signIn(t.app, user.username, TEST_PASSWORD);
}

const stored = async (userId: number) =>
  (
    await db()
      .select({ channels: users.notifyChannels, prefs: users.notifyPrefs })
      .from(users)
      .where(eq(users.id, userId))
  )[0]!;

const audits = (userId: number) =>
  db()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityId, userId), eq(auditLog.action, 'notify-settings')));

let me: Session;
beforeAll(async () => {
  me = await person();
});

describe('reading my settings', () => {
  it('gives my channels, choices, contacts and binding, and which channels are configured — no setting', async () => {
    const response = await call(t.app, me, 'GET', '/api/me/notify-settings');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    const user = (await db().select().from(users).where(eq(users.id, me.userId)))[0]!;
    expect(body).toMatchObject({
      channels: [],
      perEvent: {},
      wechatBound: false,
      contacts: { email: user.email, phone: '13912345678' },
      configured: [
        { channel: 'sms', configured: false },
        { channel: 'wechat', configured: false },
        { channel: 'dingtalk', configured: false },
        { channel: 'email', configured: true },
      ],
    });
    expect(body.events.map((e: { event: string }) => e.event)).toEqual([...notificationEvent.codes]);
    expect(body.events[0]).toEqual({
      event: 'customer_assigned',
      title: '新客户分配',
      titleEn: 'New customer assigned',
    });
    expect(response.body).not.toContain('hunter2');
    expect(response.body).not.toContain('smtp://');
  });

  it('needs a session', async () => {
    expect((await call(t.app, null, 'GET', '/api/me/notify-settings')).statusCode).toBe(401);
  });
});

describe('changing my settings', () => {
  it('saves my general channels and choices per event, in order, and the outbox follows them', async () => {
    const someone = await person();
    const response = await call(t.app, someone, 'PUT', '/api/me/notify-settings', {
      channels: ['email', 'sms'],
      perEvent: { grab_won: ['wechat', 'dingtalk'], pool_unassigned: [] },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      channels: ['sms', 'email'],
      perEvent: { grab_won: ['wechat', 'dingtalk'], pool_unassigned: [] },
    });
    expect(await stored(someone.userId)).toEqual({
      channels: ['sms', 'email'],
      prefs: { grab_won: ['wechat', 'dingtalk'], pool_unassigned: [] },
    });
    expect((await call(t.app, someone, 'GET', '/api/me/notify-settings')).json()).toMatchObject({
      channels: ['sms', 'email'],
      perEvent: { grab_won: ['wechat', 'dingtalk'], pool_unassigned: [] },
    });

    const at = new Date();
    const key = (name: string) => `${name}:${someone.userId}`;
    await enqueue(
      db(),
      [
        { userId: someone.userId, event: 'grab_won', payload: {}, dedupeKey: key('g') },
        { userId: someone.userId, event: 'customer_released', payload: {}, dedupeKey: key('r') },
        { userId: someone.userId, event: 'pool_unassigned', payload: {}, dedupeKey: key('p') },
      ],
      at,
    );
    const rows = await db()
      .select({ channel: notifications.channel, status: notifications.status, key: notifications.dedupeKey })
      .from(notifications)
      .where(eq(notifications.userId, someone.userId))
      .orderBy(notifications.dedupeKey);
    expect(rows).toEqual([
      { channel: 'dingtalk', status: 'pending', key: `${key('g')}:dingtalk` },
      { channel: 'wechat', status: 'pending', key: `${key('g')}:wechat` },
      // None chosen for this event: one row, skipped, so it stays visible.
      { channel: 'email', status: 'skipped', key: `${key('p')}:email` },
      { channel: 'email', status: 'pending', key: `${key('r')}:email` },
      { channel: 'sms', status: 'pending', key: `${key('r')}:sms` },
    ]);
  });

  it('is audited with what it was and what it became; saving the same again writes no entry', async () => {
    const someone = await person();
    const body = { channels: ['wechat'], perEvent: { release_reminder: ['sms'] } };
    expect((await call(t.app, someone, 'PUT', '/api/me/notify-settings', body)).statusCode).toBe(200);
    const [entry, ...more] = await audits(someone.userId);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      actorId: someone.userId,
      entity: 'users',
      before: { channels: [], perEvent: {} },
      after: { channels: ['wechat'], perEvent: { release_reminder: ['sms'] } },
    });
    expect((await call(t.app, someone, 'PUT', '/api/me/notify-settings', body)).statusCode).toBe(200);
    expect(await audits(someone.userId)).toHaveLength(1);
    // Back to following the general choice for every event.
    await call(t.app, someone, 'PUT', '/api/me/notify-settings', { channels: ['wechat'], perEvent: {} });
    expect(await stored(someone.userId)).toEqual({ channels: ['wechat'], prefs: {} });
    expect(await audits(someone.userId)).toHaveLength(2);
    // The audit log words the action.
    const admin = await makeUser(db(), { codes: ['audit_log.list'] });
    const reader = await signIn(t.app, admin.username, TEST_PASSWORD);
    const meta = (await call(t.app, reader, 'GET', '/api/meta/audit-log')).json();
    const action = meta.fields.find((f: { key: string }) => f.key === 'action');
    expect(action.options).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ value: 'notify-settings', title: '修改通知设置' }),
        expect.objectContaining({ value: 'wechat-bind', title: '绑定微信' }),
        expect.objectContaining({ value: 'wechat-unbind', title: '解绑微信' }),
      ]),
    );
  });

  it.each([
    ['an unknown channel', { channels: ['fax'], perEvent: {} }],
    ['an unknown channel for an event', { channels: [], perEvent: { grab_won: ['pigeon'] } }],
    ['an unknown event', { channels: [], perEvent: { birthday: ['sms'] } }],
    ['a channel twice', { channels: ['sms', 'sms'], perEvent: {} }],
    ['channels that are not a list', { channels: 'sms', perEvent: {} }],
    ['an event’s channels that are not a list', { channels: [], perEvent: { grab_won: 'sms' } }],
    ['no perEvent', { channels: ['sms'] }],
    ['no channels', { perEvent: {} }],
    ['another field', { channels: [], perEvent: {}, wechatBound: true }],
    ['someone else’s id', { channels: ['sms'], perEvent: {}, userId: 1 }],
    ['the openid', { channels: ['sms'], perEvent: {}, wechatOpenid: 'oAttacker' }],
  ])('refuses %s with 400, saving nothing', async (_, body) => {
    const someone = await person();
    await call(t.app, someone, 'PUT', '/api/me/notify-settings', {
      channels: ['email'],
      perEvent: { grab_won: ['sms'] },
    });
    const before = await stored(someone.userId);
    const response = await call(t.app, someone, 'PUT', '/api/me/notify-settings', body);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error).toBe('validation');
    expect(await stored(someone.userId)).toEqual(before);
    expect(await audits(someone.userId)).toHaveLength(1);
    const user = (await db().select().from(users).where(eq(users.id, someone.userId)))[0]!;
    expect(user.wechatOpenid).toBeNull();
  });

  it('changes only my own settings, whoever else exists', async () => {
    const a = await person();
    const b = await person();
    await call(t.app, b, 'PUT', '/api/me/notify-settings', { channels: ['dingtalk'], perEvent: {} });
    await call(t.app, a, 'PUT', '/api/me/notify-settings', {
      channels: ['sms'],
      perEvent: { grab_won: ['email'] },
    });
    expect(await stored(b.userId)).toEqual({ channels: ['dingtalk'], prefs: {} });
    expect((await call(t.app, b, 'GET', '/api/me/notify-settings')).json()).toMatchObject({
      channels: ['dingtalk'],
      perEvent: {},
    });
    expect((await call(t.app, a, 'GET', '/api/me/notify-settings')).json()).toMatchObject({
      channels: ['sms'],
      perEvent: { grab_won: ['email'] },
    });
  });

  it('needs a session and the CSRF token', async () => {
    const body = { channels: ['sms'], perEvent: {} };
    expect((await call(t.app, null, 'PUT', '/api/me/notify-settings', body)).statusCode).toBe(401);
    const someone = await person();
    const forged = await call(
      t.app,
      { ...someone, csrfToken: 'nope' },
      'PUT',
      '/api/me/notify-settings',
      body,
    );
    expect(forged.statusCode).toBe(403);
    expect(await stored(someone.userId)).toEqual({ channels: [], prefs: {} });
  });
});
