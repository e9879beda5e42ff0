import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { addDays, setClock } from '../server/clock.ts';
import { poolSettings, users } from '../server/db/schema/index.ts';
import { type Client, poolSchool, post } from './pool-school.ts';

/**
 * Pool pages are kept in memory while nothing they show changes (db/changes.ts). What a
 * consultant must never notice is the cache: every page is as fresh as one read from the
 * database, whichever instance or hand-written SQL made the change, and whenever a deadline passes.
 */
const T0 = new Date('2026-06-01T04:00:00.000Z');
const school = poolSchool(T0);
const db = () => school.db();
const consultant = (instance = 0) => school.consultant(instance);
const ownedCustomer = (ownerId: number, at = T0) => school.ownedCustomer(ownerId, at, '缓存');

type PoolPage = { items: { id: number; name: string; previousConsultant: { name: string } | null }[] };

async function pool(client: Client, query = 'page=1&pageSize=100') {
  const response = await fetch(`${client.url}/api/pool?${query}`, { headers: { cookie: client.cookie } });
  expect(response.status).toBe(200);
  return { cache: response.headers.get('cache-status'), page: (await response.json()) as PoolPage };
}

const ids = (page: PoolPage) => page.items.map((i) => i.id);

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

    expect((await post(grabber.client, `/api/pool/${id}/grab`)).status).toBe(200);
    const after = await pool(reader.client);
    expect(after.cache).not.toBe('banyan; hit');
    expect(ids(after.page)).not.toContain(id);
  });

  it('keeps its pages through grabs that took nothing, and statements that changed no row', async () => {
    const owner = await consultant();
    const id = await ownedCustomer(owner.id);
    const reader = await consultant(0);
    const winner = await consultant(1);
    const late = await consultant(2);
    setClock(addDays(T0, 4));
    expect((await post(winner.client, `/api/pool/${id}/grab`)).status).toBe(200);
    await pool(reader.client);
    expect((await pool(reader.client)).cache).toBe('banyan; hit');

    // In a storm most grabs lose: each must not end every instance's kept pages.
    expect((await post(late.client, `/api/pool/${id}/grab`)).status).toBe(409);
    expect((await post(owner.client, `/api/pool/${id}/grab`)).status).toBe(409);
    await db().execute(sql`update customers set name = 'nobody' where id = -1`);
    await db().execute(sql`delete from customer_courses where customer_id = -1`);
    const after = await pool(reader.client);
    expect(after.cache).toBe('banyan; hit');
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
    const writer = new pg.Client({ connectionString: school.t.database.url! });
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

  it('shows each customer on a page as its own page shows it', async () => {
    const owner = await consultant();
    const id = await ownedCustomer(owner.id);
    const reader = await consultant(1);
    setClock(addDays(T0, 4));
    const { page } = await pool(reader.client);
    const listed = (page.items as unknown as { id: number }[]).find((item) => item.id === id);
    expect(listed).toMatchObject({ previousConsultant: { id: owner.id }, releasedReason: 'no_followup' });
    for (const item of page.items.slice(0, 5).concat(listed ? [listed as never] : [])) {
      const response = await fetch(`${reader.client.url}/api/pool/${item.id}`, {
        headers: { cookie: reader.client.cookie },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(item);
    }
  });
});
