import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../server/db/client.ts';
import { customerDistributions, customers } from '../server/db/schema/index.ts';
import { foldPeriodCounts, periodCountSql } from '../server/modules/distributions/period-counts.ts';
import { demoRoleGrants } from '../server/seed/demo/staff.ts';
import { buildTestApp, call, type Session, type TestApp } from './app.ts';
import { makeCustomer, signedInUser } from './factories.ts';

/**
 * Issue 24: "my customers" counts a consultant's periods from their counter (migration 0027), kept
 * by triggers whichever way periods come and go, instead of reading every period. The total shown
 * must stay the number of periods, before the waiting changes are folded in and after.
 */
let t: TestApp;
const db = () => t.database.db;
let manager: Session;
const consultants: { id: number; session: Session }[] = [];

const periodsOf = async (consultantId: number) => {
  const [row] = await queryRows<{ n: number }>(
    db(),
    sql`select count(*)::int as n from customer_distributions where consultant_id = ${consultantId}`,
  );
  return row?.n ?? 0;
};

const shownTotal = async (session: Session, query = '') => {
  const answer = await call(t.app, session, 'GET', `/api/my-customers?pageSize=2${query}`);
  expect(answer.statusCode, answer.body).toBe(200);
  return (JSON.parse(answer.body) as { total: number }).total;
};

/** Every consultant's counter says what counting their periods says. */
const expectCountersRight = async () => {
  const rows = await queryRows<{ consultant_id: number; counted: number; real: number }>(
    db(),
    sql`select u.id as consultant_id, ${periodCountSql(sql.raw('u.id') as unknown as number)} as counted,
          (select count(*)::int from customer_distributions d where d.consultant_id = u.id) as real
        from users u`,
  );
  for (const row of rows) expect(row.counted, `consultant ${row.consultant_id}`).toBe(row.real);
};

beforeAll(async () => {
  t = await buildTestApp({ importWorker: false });
  manager = (await signedInUser(t, demoRoleGrants.sales_manager)).session;
  for (let i = 0; i < 2; i++) consultants.push(await signedInUser(t, demoRoleGrants.consultant));
});
afterAll(async () => t?.close());

describe("a consultant's count of periods", () => {
  it('follows periods opened, handed over and deleted, folded or not', async () => {
    const [a, b] = consultants as [(typeof consultants)[0], (typeof consultants)[0]];
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push((await makeCustomer(db(), { owner: a.id, via: 'manual' })).id);
    expect(await shownTotal(a.session)).toBe(7);
    await expectCountersRight();

    // Handed over: a's periods end (still theirs, still counted), b's open.
    const handed = await call(t.app, manager, 'POST', '/api/customers/actions/reassign', {
      ids: ids.slice(0, 3),
      consultantId: b.id,
      reason: '转交',
    });
    expect(handed.statusCode, handed.body).toBe(200);
    expect(await shownTotal(a.session)).toBe(7);
    expect(await shownTotal(b.session)).toBe(3);

    await foldPeriodCounts(db());
    await expectCountersRight();

    // A customer deleted takes its periods with it (a cascade, counted by the same trigger).
    await db().delete(customers).where(eq(customers.id, ids[0]!));
    expect(await shownTotal(a.session)).toBe(await periodsOf(a.id));
    expect(await shownTotal(b.session)).toBe(2);
    await expectCountersRight();

    // A period moved to another consultant by a write of its own.
    const [period] = await db()
      .select({ id: customerDistributions.id })
      .from(customerDistributions)
      .where(eq(customerDistributions.consultantId, a.id))
      .limit(1);
    await db()
      .update(customerDistributions)
      .set({ consultantId: b.id })
      .where(eq(customerDistributions.id, period!.id));
    expect(await shownTotal(b.session)).toBe(3);
    await foldPeriodCounts(db());
    await expectCountersRight();
    expect(await shownTotal(a.session)).toBe(await periodsOf(a.id));
  });

  it('still counts the matches when a filter or a keyword narrows the list', async () => {
    const [a] = consultants as [(typeof consultants)[0]];
    const [following] = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from customer_distributions where consultant_id = ${a.id} and status = 'following'`,
    );
    expect(await shownTotal(a.session, '&status=following')).toBe(following!.n);
    expect(following!.n).toBeLessThan(await periodsOf(a.id));
    expect(await shownTotal(a.session, '&q=nobody-has-this-name')).toBe(0);
  });
});
