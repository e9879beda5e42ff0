import { asc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { setClock } from '../../server/clock.ts';
import { customerDistributions, customers, poolSettings } from '../../server/db/schema/index.ts';
import { seedDemo } from '../../server/seed/demo.ts';
import { buildTestApp, call, type Method, type Session, signIn, type TestApp } from '../app.ts';
import { makeCustomer, userIdOf } from '../factories.ts';

/** When the demo school is loaded: 12:00 in Shanghai. */
export const T0 = new Date('2026-03-02T04:00:00.000Z');
const PASSWORD = 'sales-password';

/**
 * For one test file of the sales rules (SPEC §3) through the API: the demo school loaded at T0 on a
 * fresh database with the test clock, its staff signed in by username; the clock and the pool rules
 * are reset after each test. Call at the top of the file.
 */
export function salesSchool() {
  let t: TestApp;
  const s: Record<string, Session> = {};
  beforeAll(async () => {
    t = await buildTestApp({ testClock: true });
    await seedDemo(t.database.db, { password: PASSWORD, at: T0 });
    for (const who of ['admin', 'manager', 'sanjiang', 'baoyu', 'dasha', 'finance', 'teacher']) {
      s[who] = await signIn(t.app, who, PASSWORD);
    }
  });
  afterEach(async () => {
    setClock(null);
    await t.database.db.delete(poolSettings);
  });
  afterAll(async () => t?.close());

  const db = () => t.database.db;
  const api = (who: string, method: Method, url: string, payload?: object) =>
    call(t.app, s[who]!, method, url, payload);
  const userId = (username: string) => userIdOf(db(), username);
  return {
    db,
    api,
    userId,
    /** A new customer owned by `username` from `at` on, through the code every assignment uses. */
    ownedCustomer: async (username: string, at: Date) =>
      (await makeCustomer(db(), { owner: await userId(username), at, source: 'baidu' })).id,
    /** The customer's periods of ownership, oldest first. */
    periods: (customerId: number) =>
      db()
        .select()
        .from(customerDistributions)
        .where(eq(customerDistributions.customerId, customerId))
        .orderBy(asc(customerDistributions.startedAt), asc(customerDistributions.id)),
    customer: async (id: number) => (await db().select().from(customers).where(eq(customers.id, id)))[0]!,
    /** The ids `who` sees in the pool, the latest released first. */
    poolIds: async (who: string): Promise<number[]> =>
      (await api(who, 'GET', '/api/pool?pageSize=200&sort=-releaseAt'))
        .json()
        .items.map((c: { id: number }) => c.id),
  };
}
