import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../server/clock.ts';
import { inboxItems } from '../server/db/schema/index.ts';
import { enqueue, type OutboxEvent } from '../server/modules/notify/outbox.ts';
import { appForTests, call, type Session, signIn } from './app.ts';
import { makeUser, TEST_PASSWORD } from './factories.ts';

/**
 * The in-app inbox (docs/spec.md §6, issue 23): a person lists and marks read their own
 * notifications only, newest first, worded by the same renderer as every channel.
 */
const t = appForTests();
const AT = new Date('2026-12-01T02:00:00.000Z');

type Item = {
  id: number;
  event: string;
  title: string;
  text: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
};
type Page = { items: Item[]; total: number; unread: number };

let me: Session;
let other: Session;

/** Tells `userId` of a grab of customer `n`, at AT + n hours. */
const grabbed = (userId: number, n: number): OutboxEvent => ({
  userId,
  event: 'grab_won',
  payload: { customerId: 1000 + n, distributionId: n, name: `客户${n}` },
  dedupeKey: `grab_won:test:${userId}:${n}`,
});
const tell = async (userId: number, n: number) =>
  enqueue(t.database.db, [grabbed(userId, n)], new Date(AT.getTime() + n * 3_600_000));

const list = async (session: Session | null, query = '') => {
  const response = await call(t.app, session, 'GET', `/api/me/notifications${query}`);
  return { status: response.statusCode, body: response.json() as Page };
};
const read = (session: Session, body: object) =>
  call(t.app, session, 'POST', '/api/me/notifications/read', body);

beforeAll(async () => {
  const mine = await makeUser(t.database.db);
  const theirs = await makeUser(t.database.db);
  me = await signIn(t.app, mine.username, TEST_PASSWORD);
  other = await signIn(t.app, theirs.username, TEST_PASSWORD);
  for (const n of [1, 3, 2]) await tell(me.userId, n);
  for (const n of [4, 5]) await tell(other.userId, n);
  // A batched release of the sweep's, told to me later than all the grabs.
  await enqueue(
    t.database.db,
    [
      {
        userId: me.userId,
        event: 'customer_released',
        payload: {
          count: 2,
          customers: [
            { customerId: 7, name: '甲', reason: 'no_followup', releasedAt: AT.toISOString() },
            { customerId: 8, name: '乙', reason: 'no_deal', releasedAt: AT.toISOString() },
          ],
        },
        dedupeKey: `customer_released:test:${me.userId}`,
      },
    ],
    addDays(AT, 1),
  );
});

describe('my notifications', () => {
  it('lists my own only, newest first, worded and linked, with the unread count', async () => {
    const { status, body } = await list(me);
    expect(status).toBe(200);
    expect(body.total).toBe(4);
    expect(body.unread).toBe(4);
    expect(body.items.map((i) => i.title)).toEqual([
      '客户已释放：甲等 2 位客户',
      '抢单成功：客户3',
      '抢单成功：客户2',
      '抢单成功：客户1',
    ]);
    expect(body.items[0]!.text).toContain('· 乙（超期未成单）');
    expect(body.items[0]!.link).toBe('/my-customers?status=released_no_followup,released_no_deal,reassigned');
    expect(body.items[1]).toMatchObject({
      event: 'grab_won',
      link: '/customers/1003',
      readAt: null,
      createdAt: new Date(AT.getTime() + 3 * 3_600_000).toISOString(),
    });
    // Links are paths of the web app, whatever PUBLIC_URL is.
    expect(body.items.every((i) => i.link?.startsWith('/'))).toBe(true);

    const theirs = await list(other);
    expect(theirs.body.items.map((i) => i.title)).toEqual(['抢单成功：客户5', '抢单成功：客户4']);
  });

  it('words them in English when asked', async () => {
    const { body } = await list(me, '?lang=en');
    expect(body.items[1]!.title).toBe('Grab won: 客户3');
    expect(body.items[0]!.text).toContain('These 2 customers went to the pool');
  });

  it('pages them', async () => {
    const first = await list(me, '?pageSize=3');
    const second = await list(me, '?pageSize=3&page=2');
    expect(first.body.items).toHaveLength(3);
    expect(second.body.items.map((i) => i.title)).toEqual(['抢单成功：客户1']);
    expect(second.body.total).toBe(4);
    expect((await list(me, '?page=9')).body.items).toEqual([]);
  });

  it('marks read by ids, passing over anyone else’s, which stay unread', async () => {
    const mine = (await list(me)).body.items;
    const theirs = (await list(other)).body.items;
    const response = await read(me, { ids: [mine[1]!.id, theirs[0]!.id, 999_999] });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ read: 1 });

    const after = (await list(me)).body;
    expect(after.unread).toBe(3);
    expect(after.items[1]!.readAt).not.toBeNull();
    expect(after.items.filter((i) => i.readAt === null)).toHaveLength(3);
    const theirsAfter = (await list(other)).body;
    expect(theirsAfter.unread).toBe(2);
    expect(theirsAfter.items.every((i) => i.readAt === null)).toBe(true);

    // Read again: nothing new is marked, and the time it was read stays.
    const [before] = await t.database.db.select().from(inboxItems).where(eq(inboxItems.id, mine[1]!.id));
    expect((await read(me, { ids: [mine[1]!.id] })).json()).toEqual({ read: 0 });
    const [again] = await t.database.db.select().from(inboxItems).where(eq(inboxItems.id, mine[1]!.id));
    expect(again!.readAt).toEqual(before!.readAt);
  });

  it('lists only the unread ones when asked', async () => {
    const { body } = await list(me, '?unread=true');
    expect(body.items.map((i) => i.title)).toEqual([
      '客户已释放：甲等 2 位客户',
      '抢单成功：客户2',
      '抢单成功：客户1',
    ]);
    expect(body.total).toBe(3);
    expect(body.unread).toBe(3);
  });

  it('marks all of mine read, and nobody else’s', async () => {
    expect((await read(me, { all: true })).json()).toEqual({ read: 3 });
    expect((await list(me)).body.unread).toBe(0);
    expect((await list(me, '?unread=true')).body).toEqual({ items: [], total: 0, unread: 0 });
    expect((await list(other)).body.unread).toBe(2);
    expect((await read(me, { all: true })).json()).toEqual({ read: 0 });
  });

  it('counts a new event as unread', async () => {
    await tell(me.userId, 30);
    const { body } = await list(me);
    expect(body.unread).toBe(1);
    expect(body.items[0]!.title).toBe('抢单成功：客户30');
  });

  it('refuses what is not a request it understands', async () => {
    for (const query of [
      '?unread=maybe',
      '?pageSize=0',
      '?pageSize=101',
      '?page=0',
      '?lang=fr',
      '?userId=1',
    ]) {
      const response = await call(t.app, me, 'GET', `/api/me/notifications${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error, query).toBe('validation');
    }
    for (const body of [
      {},
      { ids: [] },
      { ids: ['1'] },
      { ids: [0] },
      { ids: [1.5] },
      { ids: [1, 1] },
      { all: false },
      { all: 'true' },
      { ids: [1], all: true },
      { ids: [1], userId: other.userId },
      { ids: Array.from({ length: 1001 }, (_, i) => i + 1) },
    ]) {
      const response = await read(other, body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(response.json().error).toBe('validation');
    }
    expect((await list(other)).body.unread).toBe(2);
  });

  it('needs a session, and a write its CSRF token', async () => {
    expect((await list(null)).status).toBe(401);
    expect((await call(t.app, null, 'POST', '/api/me/notifications/read', { all: true })).statusCode).toBe(
      401,
    );
    const noToken = await t.app.inject({
      method: 'POST',
      url: '/api/me/notifications/read',
      headers: { cookie: other.cookie },
      payload: { all: true },
    });
    expect(noToken.statusCode).toBe(403);
    expect((await list(other)).body.unread).toBe(2);
  });
});
