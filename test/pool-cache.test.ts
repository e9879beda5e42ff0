import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addDays, setClock } from '../server/clock.ts';
import { customers, poolSettings, users } from '../server/db/schema/index.ts';
import { seedDemo } from '../server/db/seed/demo.ts';
import { startOwnership } from '../server/modules/distributions/service.ts';
import { DEFAULT_POOL_RULES } from '../server/modules/pool/rules.ts';
import { buildTestApp, listenAsInstances, type TestApp } from './app.ts';
import { makeUser, TEST_PASSWORD } from './factories.ts';

/**
 * Pool pages are kept in memory while nothing they show changes (db/changes.ts). What a
 * consultant must never notice is the cache: every page is as fresh as one read from the
 * database, whichever instance or hand-written SQL made the change, and whenever a deadline passes.
 */
const T0 = new Date('2026-06-01T04:00:00.000Z');
let t: TestApp;
let instances: Awaited<ReturnType<typeof listenAsInstances>>;
const db = () => t.database.db;
let serial = 0;

type Client = { cookie: string; csrf: string; url: string };
type PoolPage = { items: { id: number; name: string; previousConsultant: { name: string } | null }[] };

async function consultant(instance = 0): Promise<{ id: number; client: Client }> {
  const user = await makeUser(db(), { roleCodes: ['consultant'] });
  const url = instances.urls[instance % instances.urls.length]!;
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user.username, password: TEST_PASSWORD }),
  });
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return {
    id: user.id,
    client: { cookie: response.headers.get('set-cookie')!.split(';')[0]!, csrf: csrfToken, url },
  };
}

async function pool(client: Client, query = 'page=1&pageSize=100') {
  const response = await fetch(`${client.url}/api/pool?${query}`, { headers: { cookie: client.cookie } });
  expect(response.status).toBe(200);
  return { cache: response.headers.get('cache-status'), page: (await response.json()) as PoolPage };
}

/** A customer owned by `ownerId` from `at`, so public from `at` + 3 days unless followed up. */
async function ownedCustomer(ownerId: number, at = T0) {
  const [row] = await db()
    .insert(customers)
    .values({ name: `缓存${++serial}`, phone: `1361${String(++serial).padStart(7, '0')}` })
    .returning();
  await db().transaction((tx) =>
    startOwnership(tx, {
      customerId: row!.id,
      consultantId: ownerId,
      via: 'assigned',
      at,
      rules: DEFAULT_POOL_RULES,
    }),
  );
  return row!.id;
}

const ids = (page: PoolPage) => page.items.map((i) => i.id);

beforeAll(async () => {
  t = await buildTestApp();
  await seedDemo(db(), { password: TEST_PASSWORD, at: T0 });
  instances = await listenAsInstances(t, 3);
});
afterEach(async () => {
  setClock(null);
  await db().delete(poolSettings);
});
afterAll(async () => {
  await instances?.close();
  await t?.close();
});

describe('the pool page cache', () => {
  it('answers a page again from memory, and not once another instance has grabbed from it', async () => {
    const owner = await consultant();
    const id = await ownedCustomer(owner.id);
    const reader = await consultant(0);
    const grabber = await consultant(2);
    setClock(addDays(T0, 4));

    const first = await pool(reader.client);
    expect(first.cache).toBe('banyan; fwd=miss; stored');
    expect(ids(first.page)).toContain(id);
    const again = await pool(reader.client);
    expect(again.cache).toBe('banyan; hit');
    expect(again.page).toEqual(first.page);

    const grabbed = await fetch(`${grabber.client.url}/api/pool/${id}/grab`, {
      method: 'POST',
      headers: { cookie: grabber.client.cookie, 'x-csrf-token': grabber.client.csrf },
    });
    expect(grabbed.status).toBe(200);
    const after = await pool(reader.client);
    expect(after.cache).not.toBe('banyan; hit');
    expect(ids(after.page)).not.toContain(id);
  });

  it('shows a change made in plain SQL on the very next page: a customer renamed, a consultant renamed', async () => {
    const owner = await consultant();
    const id = await ownedCustomer(owner.id);
    const reader = await consultant();
    setClock(addDays(T0, 4));
    await pool(reader.client);
    expect((await pool(reader.client)).cache).toBe('banyan; hit');

    await db().execute(sql`update customers set name = '改名了' where id = ${id}`);
    const renamed = (await pool(reader.client)).page.items.find((i) => i.id === id);
    expect(renamed?.name).toBe('改名了');

    await db().update(users).set({ name: '新名字' }).where(eq(users.id, owner.id));
    const previous = (await pool(reader.client)).page.items.find((i) => i.id === id);
    expect(previous?.previousConsultant?.name).toBe('新名字');
  });

  it('shows a customer whose deadline has just passed, with nothing written in between', async () => {
    const owner = await consultant();
    const id = await ownedCustomer(owner.id, addDays(T0, 10));
    const reader = await consultant();
    const deadline = addDays(T0, 13);
    setClock(new Date(deadline.getTime() - 60_000));
    await pool(reader.client);
    const before = await pool(reader.client);
    expect(before.cache).toBe('banyan; hit');
    expect(ids(before.page)).not.toContain(id);

    setClock(new Date(deadline.getTime() + 60_000));
    const after = await pool(reader.client);
    expect(after.cache).not.toBe('banyan; hit');
    expect(ids(after.page)[0]).toBe(id);
  });

  it('gives the last owner back their customer the moment the cooldown ends', async () => {
    await db().insert(poolSettings).values({ previousOwnerCooldownDays: 1 });
    const owner = await consultant();
    const id = await ownedCustomer(owner.id, addDays(T0, 20));
    const released = addDays(T0, 23);
    setClock(addDays(released, 0.5));
    await pool(owner.client);
    const during = await pool(owner.client);
    expect(during.cache).toBe('banyan; hit');
    expect(ids(during.page)).not.toContain(id);

    setClock(addDays(released, 1.01));
    expect(ids((await pool(owner.client)).page)).toContain(id);
  });

  // Only PostgreSQL has a second connection to hold a transaction open on.
  it.skipIf(!process.env.TEST_DATABASE_URL)('keeps nothing read while a writer is still open', async () => {
    const owner = await consultant();
    const id = await ownedCustomer(owner.id);
    const reader = await consultant();
    setClock(addDays(T0, 4));
    const writer = new pg.Client({ connectionString: t.database.url! });
    await writer.connect();
    try {
      await writer.query('begin');
      await writer.query(`update customers set name = '未提交' where id = $1`, [id]);
      // The counter already counts the open writer; what this page reads does not have its work.
      const during = await pool(reader.client);
      expect(during.cache).toBe('banyan; fwd=miss');
      expect(during.page.items.find((i) => i.id === id)?.name).not.toBe('未提交');
      await writer.query('commit');
    } finally {
      await writer.end();
    }
    const after = await pool(reader.client);
    expect(after.cache).not.toBe('banyan; hit');
    expect(after.page.items.find((i) => i.id === id)?.name).toBe('未提交');
  });
});
