import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxItems, notifications, users } from '../server/db/schema/index.ts';
import { enqueue } from '../server/modules/notify/outbox.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { makeUser } from './factories.ts';

/**
 * The outbox writes one row per channel the person chose for that event (their choice per event,
 * else their general one), and the inbox gets each event once, whatever they chose (docs/spec.md §6).
 */
let database: TestDatabase;
const db = () => database.db;
const AT = new Date('2026-12-01T02:00:00.000Z');

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

const rowsOf = (userId: number) =>
  db()
    .select({ channel: notifications.channel, status: notifications.status, key: notifications.dedupeKey })
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(notifications.dedupeKey);
const inboxOf = (userId: number) =>
  db()
    .select({ event: inboxItems.event, key: inboxItems.eventKey, readAt: inboxItems.readAt })
    .from(inboxItems)
    .where(eq(inboxItems.userId, userId))
    .orderBy(inboxItems.eventKey);

describe('the outbox and the inbox', () => {
  it('writes a row per chosen channel and one inbox item per event, once however often it is told', async () => {
    const user = await makeUser(db());
    await db()
      .update(users)
      .set({ notifyChannels: ['wechat', 'sms'] })
      .where(eq(users.id, user.id));
    const event = {
      userId: user.id,
      event: 'grab_won' as const,
      payload: { customerId: 7 },
      dedupeKey: `g:${user.id}`,
    };
    expect(await enqueue(db(), [event], AT)).toBe(1);
    expect(await enqueue(db(), [event], AT)).toBe(0);
    expect(await rowsOf(user.id)).toEqual([
      { channel: 'sms', status: 'pending', key: `g:${user.id}:sms` },
      { channel: 'wechat', status: 'pending', key: `g:${user.id}:wechat` },
    ]);
    expect(await inboxOf(user.id)).toEqual([{ event: 'grab_won', key: `g:${user.id}`, readAt: null }]);
  });

  it('puts an event in the inbox of someone who chose no channel, beside one skipped row', async () => {
    const user = await makeUser(db());
    await enqueue(
      db(),
      [{ userId: user.id, event: 'customer_released', payload: {}, dedupeKey: `r:${user.id}` }],
      AT,
    );
    expect(await rowsOf(user.id)).toEqual([
      { channel: 'email', status: 'skipped', key: `r:${user.id}:email` },
    ]);
    expect(await inboxOf(user.id)).toHaveLength(1);
  });

  it("follows a person's choice for one event, and their general choice for the others", async () => {
    const user = await makeUser(db());
    await db()
      .update(users)
      .set({
        notifyChannels: ['email'],
        notifyPrefs: { grab_won: ['dingtalk', 'wechat'], pool_unassigned: [] },
      })
      .where(eq(users.id, user.id));
    await enqueue(
      db(),
      [
        { userId: user.id, event: 'grab_won', payload: {}, dedupeKey: `a:${user.id}` },
        { userId: user.id, event: 'customer_assigned', payload: {}, dedupeKey: `b:${user.id}` },
        { userId: user.id, event: 'pool_unassigned', payload: {}, dedupeKey: `c:${user.id}` },
      ],
      AT,
    );
    expect(await rowsOf(user.id)).toEqual([
      { channel: 'dingtalk', status: 'pending', key: `a:${user.id}:dingtalk` },
      { channel: 'wechat', status: 'pending', key: `a:${user.id}:wechat` },
      { channel: 'email', status: 'pending', key: `b:${user.id}:email` },
      { channel: 'email', status: 'skipped', key: `c:${user.id}:email` },
    ]);
    expect((await inboxOf(user.id)).map((item) => item.event)).toEqual([
      'grab_won',
      'customer_assigned',
      'pool_unassigned',
    ]);
  });
});
