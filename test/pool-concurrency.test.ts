import { eq, inArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { addDays, setClock } from '../server/clock.ts';
import { queryRows } from '../server/db/client.ts';
import { customerDistributions, customers, notifications, poolSettings } from '../server/db/schema/index.ts';
import { sweep } from '../server/modules/pool/sweep.ts';
import { poolSchool, post, signInAt } from './pool-school.ts';

/**
 * docs/spec.md §3's guarantees under concurrency, over real HTTP: on PostgreSQL against three app
 * instances sharing one database (each with its own connection pool), on PGlite against one.
 */
const T0 = new Date('2026-05-04T04:00:00.000Z');
const school = poolSchool(T0);
const db = () => school.db();

/** Consultants, each signed in on one of the instances in turn. */
async function consultants(count: number) {
  const made = [];
  for (let i = 0; i < count; i++) made.push(await school.consultant(i));
  return made;
}

/** A customer its owner let go cold: public since T0 + 3 days. */
const expiredCustomer = (ownerId: number) => school.ownedCustomer(ownerId, T0, '并发');

describe('grabbing under concurrency', () => {
  it('gives one customer to exactly one of 60 simultaneous grabs by 10 consultants', async () => {
    const [owner, ...grabbers] = await consultants(11);
    const id = await expiredCustomer(owner!.id);
    setClock(addDays(T0, 4));
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        post(grabbers[i % grabbers.length]!.client, `/api/pool/${id}/grab`),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(59);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.error === 'already_taken')).toBe(true);

    const periods = await db()
      .select()
      .from(customerDistributions)
      .where(eq(customerDistributions.customerId, id));
    expect(periods.filter((p) => p.via === 'grabbed')).toHaveLength(1);
    expect(periods.filter((p) => p.consultantId === owner!.id)).toMatchObject([
      { status: 'released_no_followup', endedAt: addDays(T0, 3) },
    ]);
  });

  it('lets a consultant with a daily limit of 3 win exactly 3 of 20 simultaneous grabs', async () => {
    const [owner, grabber] = await consultants(2);
    const ids = [];
    for (let i = 0; i < 20; i++) ids.push(await expiredCustomer(owner!.id));
    await db().insert(poolSettings).values({ dailyGrabLimit: 3 });
    setClock(addDays(T0, 4));
    const answers = await Promise.all(
      ids.map((id, i) =>
        post({ ...grabber!.client, url: school.urls[i % school.urls.length]! }, `/api/pool/${id}/grab`),
      ),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(3);
    expect(answers.filter((a) => a.status === 429 && a.body.error === 'grab_limit')).toHaveLength(17);
    const won = await db().select().from(customers).where(inArray(customers.id, ids));
    expect(won.filter((c) => c.consultantId === grabber!.id)).toHaveLength(3);
  });
});

describe('the sweep under concurrency', () => {
  it('has one run’s effects when started on three instances at once, and none when run again', async () => {
    const admin = await Promise.all(school.urls.map((url) => signInAt(url, 'admin')));
    const [owner] = await consultants(1);
    const ids = [];
    for (let i = 0; i < 30; i++) ids.push(await expiredCustomer(owner!.id));
    setClock(addDays(T0, 40));
    const runs = await Promise.all(admin.map((client) => post(client, '/api/admin/sweep')));
    expect(runs.every((r) => r.status === 200)).toBe(true);
    const released = runs.reduce((sum, r) => sum + (r.body as unknown as { released: number }).released, 0);
    const [{ expected } = { expected: -1 }] = await queryRows<{ expected: number }>(
      db(),
      sql`select count(*)::int as expected from customer_distributions
          where status in ('released_no_followup', 'released_no_deal') and updated_at = ${addDays(T0, 40)}`,
    );
    expect(released).toBe(expected);
    const mine = await db().select().from(customers).where(inArray(customers.id, ids));
    expect(mine.every((c) => c.consultantId === null && c.previousConsultantId === owner!.id)).toBe(true);
    const told = await db().select().from(notifications).where(eq(notifications.userId, owner!.id));
    // Told once per channel of each of the 30, in a message per owner and batch: whichever
    // instances took them, every customer is listed once on each channel.
    const messages = told.filter((n) => n.event === 'customer_released');
    const channels = new Set(messages.map((n) => n.channel));
    expect(channels.size).toBeGreaterThan(0);
    for (const channel of channels) {
      const listed = messages
        .filter((n) => n.channel === channel)
        .flatMap((n) =>
          (n.payload as { customers: { customerId: number }[] }).customers.map((c) => c.customerId),
        );
      expect(listed.sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    }

    const again = await Promise.all(admin.map((client) => post(client, '/api/admin/sweep')));
    expect(again.map((r) => r.body)).toEqual(admin.map(() => ({ released: 0, reminded: 0 })));
    expect(await db().select().from(notifications).where(eq(notifications.userId, owner!.id))).toHaveLength(
      told.length,
    );
  });

  it('never leaves a customer both grabbed and released when the sweep runs during a grab storm', async () => {
    const admin = await signInAt(school.urls[0]!, 'admin');
    const [owner, ...grabbers] = await consultants(6);
    const ids = [];
    for (let i = 0; i < 40; i++) ids.push(await expiredCustomer(owner!.id));
    setClock(addDays(T0, 80));
    await Promise.all([
      ...ids.flatMap((id, i) =>
        [0, 1].map((k) => post(grabbers[(i + k) % grabbers.length]!.client, `/api/pool/${id}/grab`)),
      ),
      post(admin, '/api/admin/sweep'),
      post(admin, '/api/admin/sweep'),
    ]);
    const rows = await db().select().from(customers).where(inArray(customers.id, ids));
    const periods = await db()
      .select()
      .from(customerDistributions)
      .where(inArray(customerDistributions.customerId, ids));
    for (const customer of rows) {
      const open = periods.filter((p) => p.customerId === customer.id && p.status === 'following');
      const ownerPeriods = periods.filter(
        (p) => p.customerId === customer.id && p.consultantId === owner!.id,
      );
      // The old owner's period ended exactly once, whoever ended it.
      expect(ownerPeriods).toHaveLength(1);
      expect(ownerPeriods[0]!.status).toBe('released_no_followup');
      if (customer.consultantId === null) {
        expect(open).toHaveLength(0);
        expect(customer.previousConsultantId).toBe(owner!.id);
      } else {
        expect(open.map((p) => p.consultantId)).toEqual([customer.consultantId]);
        expect(customer.releaseAt!.getTime()).toBeGreaterThan(addDays(T0, 80).getTime());
      }
    }
  });
});

// Last: its sweep releases whatever the tests above left public.
describe('the sweep on the embedded database', () => {
  it('lets requests in between its batches, even on the embedded database', async () => {
    const [owner] = await consultants(1);
    for (let i = 0; i < 6; i++) await expiredCustomer(owner!.id);
    // PGlite answers in-process: a sweep that never yields would run to its end before any request
    // (or, as here, any timer) got a turn.
    let served = false;
    const probe = setTimeout(() => {
      served = true;
    }, 0);
    const swept = await sweep(db(), addDays(T0, 40), { batch: 2 });
    clearTimeout(probe);
    expect(swept.released).toBeGreaterThanOrEqual(6);
    expect(served).toBe(true);
  });

  it('vacuums the periods it ended, so that counts of a consultant’s customers read the index alone', async () => {
    const [owner] = await consultants(1);
    for (let i = 0; i < 3; i++) await expiredCustomer(owner!.id);
    const vacuums = async () => {
      const [row] = await queryRows<{ n: number }>(
        db(),
        sql`select coalesce(vacuum_count, 0)::int as n from pg_stat_user_tables where relname = 'customer_distributions'`,
      );
      return row?.n ?? 0;
    };
    const before = await vacuums();
    const swept = await sweep(db(), addDays(T0, 80));
    expect(swept.released).toBeGreaterThanOrEqual(3);
    // The statistics reach the view as the vacuum's backend reports them: on PostgreSQL, soon after.
    await expect.poll(vacuums, { timeout: 5_000 }).toBeGreaterThan(before);
  });
});
