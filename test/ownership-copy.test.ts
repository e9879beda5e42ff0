import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addDays, setClock } from '../server/clock.ts';
import { isUniqueViolation, queryRows } from '../server/db/client.ts';
import { classes, customers } from '../server/db/schema/index.ts';
import { seedDemo } from '../server/seed/demo.ts';
import { buildTestApp, call, type Method, type Session, signIn, type TestApp } from './app.ts';
import { makeCustomer, userIdOf } from './factories.ts';

/**
 * What migration 0015 moved: the owned customers' index lives in customer_owners, kept by triggers,
 * and "one following period per customer" in a trigger, so that no index of customers or
 * customer_distributions names what a release changes.
 */
const PASSWORD = 'ownership-password';
const T0 = new Date('2026-05-11T02:00:00.000Z');
let t: TestApp;
const s: Record<string, Session> = {};
const api = (who: string, method: Method, url: string, payload?: object) =>
  call(t.app, s[who]!, method, url, payload);
const db = () => t.database.db;
const userId = (username: string) => userIdOf(db(), username);

/** Rows where the copy and the customers disagree: none, whatever wrote last. */
const drift = () =>
  queryRows<{ id: number }>(
    db(),
    sql`select coalesce(c.id, o.customer_id) as id
        from (select id, consultant_id, name, case when status = 'unregistered' then release_at end as release_at
              from customers where consultant_id is not null) c
        full join customer_owners o on o.customer_id = c.id
        where c.id is null or o.customer_id is null
           or (c.consultant_id, c.name, c.release_at) is distinct from (o.consultant_id, o.name, o.release_at)`,
  );

beforeAll(async () => {
  t = await buildTestApp({ testClock: true });
  await seedDemo(db(), { password: PASSWORD, at: T0 });
  for (const who of ['admin', 'manager', 'sanjiang', 'baoyu', 'finance']) {
    s[who] = await signIn(t.app, who, PASSWORD);
  }
});
afterEach(() => setClock(null));
afterAll(async () => t?.close());

describe('the copy of the owned customers', () => {
  it('equals the owned customers row for row through every write, in the app or in SQL', async () => {
    expect(await drift()).toEqual([]);
    setClock(T0);
    const entered = await api('manager', 'POST', '/api/customers', {
      name: '青石板',
      phone: '139 2468 1357',
      source: 'seo',
      consultantId: await userId('sanjiang'),
    });
    expect(entered.statusCode).toBe(201);
    const id = entered.json().id as number;
    expect(await drift()).toEqual([]);

    const steps: [string, () => Promise<unknown>][] = [
      [
        'a follow-up moves the deadline',
        async () => {
          setClock(addDays(T0, 1));
          await api('sanjiang', 'POST', `/api/customers/${id}/consult-records`, { note: '约了试听' });
        },
      ],
      ['a rename', () => api('manager', 'PATCH', `/api/customers/${id}`, { name: '青石路' })],
      [
        'a reassignment',
        async () => {
          const moved = await api('manager', 'POST', '/api/customers/actions/reassign', {
            ids: [id],
            consultantId: await userId('baoyu'),
            reason: '三江休假',
          });
          expect(moved.statusCode).toBe(200);
        },
      ],
      [
        'the sweep releases it',
        async () => {
          setClock(addDays(T0, 30));
          await api('admin', 'POST', '/api/admin/sweep');
        },
      ],
      ['a grab', () => api('sanjiang', 'POST', `/api/pool/${id}/grab`)],
      [
        'plain SQL',
        () =>
          db().execute(
            sql`update customers set name = '青石街', release_at = release_at + interval '1 hour' where id = ${id}`,
          ),
      ],
      [
        'an enrolment',
        async () => {
          const [klass] = await db().select({ id: classes.id }).from(classes).limit(1);
          const paid = await api('sanjiang', 'POST', '/api/payments', {
            customerId: id,
            classId: klass!.id,
            payType: 'deposit',
            paidFee: '500',
          });
          expect(paid.statusCode).toBe(200);
        },
      ],
    ];
    for (const [step, run] of steps) {
      await run();
      expect(await drift(), step).toEqual([]);
    }
    const [copy] = await queryRows<{ consultant_id: number; name: string; release_at: Date | null }>(
      db(),
      sql`select consultant_id, name, release_at from customer_owners where customer_id = ${id}`,
    );
    expect(copy).toMatchObject({ consultant_id: await userId('sanjiang'), name: '青石街', release_at: null });

    await db().execute(sql`update customers set consultant_id = null where id = ${id}`);
    expect(await drift()).toEqual([]);
    await db().execute(sql`update customers set consultant_id = ${await userId('baoyu')} where id = ${id}`);
    expect(await drift()).toEqual([]);
    const other = await api('manager', 'POST', '/api/customers', {
      name: '石板桥',
      phone: '139 2468 2468',
      source: 'seo',
      consultantId: await userId('baoyu'),
    });
    expect(await drift()).toEqual([]);
    expect((await api('admin', 'DELETE', `/api/customers/${other.json().id}`)).statusCode).toBe(200);
    expect(await drift()).toEqual([]);
  });

  it("finds a consultant's own customers, and a manager's filter by consultant, through it", async () => {
    const sanjiang = await userId('sanjiang');
    const owned = await db()
      .select({ id: customers.id })
      .from(customers)
      .where(eq(customers.consultantId, sanjiang));
    const mine = (await api('sanjiang', 'GET', '/api/customers?pageSize=200')).json();
    expect(mine.total).toBe(owned.length);
    expect(mine.items.map((c: { id: number }) => c.id).sort()).toEqual(owned.map((c) => c.id).sort());
    const filtered = (
      await api('manager', 'GET', `/api/customers?consultantId=${sanjiang}&pageSize=200`)
    ).json();
    expect(filtered.total).toBe(owned.length);
  });
});

describe('one following period per customer', () => {
  const open = (customerId: number, consultantId: number) =>
    db().execute(
      sql`insert into customer_distributions (customer_id, consultant_id, started_at, status, via)
          values (${customerId}, ${consultantId}, now(), 'following', 'manual')`,
    );

  it('refuses a second following period, opened or reopened, as the unique index did', async () => {
    const entered = await api('manager', 'POST', '/api/customers', {
      name: '独一份',
      phone: '139 1357 9246',
      source: 'seo',
      consultantId: await userId('sanjiang'),
    });
    const [following] = await queryRows<{ customer_id: number; consultant_id: number }>(
      db(),
      sql`select customer_id, consultant_id from customer_distributions
          where status = 'following' and customer_id = ${entered.json().id}`,
    );
    const refusal = await open(following!.customer_id, following!.consultant_id).catch((e: unknown) => e);
    expect(isUniqueViolation(refusal)).toBe(true);
    expect(String((refusal as { cause?: unknown }).cause ?? refusal)).toContain('one following period');

    const [ended] = await queryRows<{ id: number }>(
      db(),
      sql`select id from customer_distributions
          where customer_id = ${following!.customer_id} and status <> 'following' limit 1`,
    );
    if (ended) {
      const reopened = await db()
        .execute(
          sql`update customer_distributions set status = 'following', ended_at = null where id = ${ended.id}`,
        )
        .catch((e: unknown) => e);
      expect(isUniqueViolation(reopened)).toBe(true);
    }
    // Two in one statement are refused too.
    const unowned = await makeCustomer(db(), { name: '两头跑', phone: '13912340000' });
    const both = await db()
      .execute(
        sql`insert into customer_distributions (customer_id, consultant_id, started_at, status, via)
            values (${unowned.id}, ${following!.consultant_id}, now(), 'following', 'manual'),
                   (${unowned.id}, ${following!.consultant_id}, now(), 'following', 'manual')`,
      )
      .catch((e: unknown) => e);
    expect(isUniqueViolation(both)).toBe(true);
    await open(unowned.id, following!.consultant_id);
  });
});

describe('releases as HOT updates', () => {
  it('keeps every column a release writes out of every index of customers and customer_distributions', async () => {
    const written: Record<string, string[]> = {
      customers: [
        'consultant_id',
        'previous_consultant_id',
        'released_reason',
        'recv_at',
        'last_consult_at',
        'updated_at',
      ],
      customer_distributions: ['status', 'ended_at', 'updated_at'],
    };
    for (const [table, columns] of Object.entries(written)) {
      const indexes = await queryRows<{ name: string; definition: string }>(
        db(),
        sql`select indexrelid::regclass::text as name, pg_get_indexdef(indexrelid) as definition
            from pg_index where indrelid = ${table}::regclass`,
      );
      expect(indexes.length).toBeGreaterThan(0);
      for (const index of indexes) {
        for (const column of columns) {
          expect(index.definition, `${index.name} names ${column}`).not.toMatch(
            new RegExp(`\\b${column}\\b`),
          );
        }
      }
    }
  });
});
