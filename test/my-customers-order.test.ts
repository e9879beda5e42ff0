import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../server/auth/sessions.ts';
import { now } from '../server/clock.ts';
import { queryRows } from '../server/db/client.ts';
import { consultRecords, customerDistributions, customers } from '../server/db/schema/index.ts';
import { myCustomersResource } from '../server/modules/distributions/my-customers.ts';
import { demoRoleGrants } from '../server/seed/demo/staff.ts';
import { buildTestApp, call, type Session, signIn, type TestApp } from './app.ts';
import { makeCustomer, makeUser, TEST_PASSWORD } from './factories.ts';

/**
 * Issue 24, item 5: "my customers" reads its page one status group after another along the
 * consultant's index. Every page, in its default order (following, then released or handed on,
 * then enrolled; each newest first), with a keyword or a filter, is what sorting all of the
 * consultant's periods gives.
 */
let t: TestApp;
const db = () => t.database.db;
let consultant: Session;
let consultantId: number;

const RANK = sql`case d.status when 'following' then 0 when 'enrolled' then 2 else 1 end`;

async function expected(extra = sql`true`): Promise<number[]> {
  const rows = await queryRows<{ id: number }>(
    db(),
    sql`select d.id from customer_distributions d join customers c on c.id = d.customer_id
        where d.consultant_id = ${consultantId} and ${extra}
        order by ${RANK}, d.started_at desc, d.id`,
  );
  return rows.map((r) => r.id);
}

async function listed(query: string, pageSize: number): Promise<{ ids: number[]; total: number }> {
  const ids: number[] = [];
  let total = -1;
  for (let page = 1; page < 50; page++) {
    const response = await call(
      t.app,
      consultant,
      'GET',
      `/api/my-customers?pageSize=${pageSize}&page=${page}${query}`,
    );
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json() as { items: { id: number }[]; total: number };
    if (page === 1) total = body.total;
    ids.push(...body.items.map((item) => item.id));
    if (body.items.length < pageSize) break;
  }
  return { ids, total };
}

beforeAll(async () => {
  t = await buildTestApp({ importWorker: false });
  const user = await makeUser(db(), { codes: [...demoRoleGrants.consultant] });
  consultantId = user.id;
  consultant = await signIn(t.app, user.username, TEST_PASSWORD);
  const base = now().getTime() - 90 * 86_400_000;
  for (let i = 0; i < 46; i++) {
    const customer = await makeCustomer(db(), {
      name: i % 5 === 0 ? `张${i}` : `李${i}`,
      owner: user.id,
      // Some periods start at the same instant: the list breaks such ties by id.
      at: new Date(base + Math.floor(i / 2) * 3_600_000),
    });
    const [period] = await db()
      .select({ id: customerDistributions.id, startedAt: customerDistributions.startedAt })
      .from(customerDistributions)
      .where(eq(customerDistributions.customerId, customer.id));
    const status = (
      ['following', 'released_no_followup', 'enrolled', 'reassigned', 'released_no_deal'] as const
    )[i % 5];
    if (status === 'following') continue;
    const endedAt = new Date(period!.startedAt.getTime() + 86_400_000);
    await db()
      .update(customerDistributions)
      .set({ status, endedAt })
      .where(eq(customerDistributions.id, period!.id));
  }
});
afterAll(async () => t?.close());

describe('my customers, one status group after another', () => {
  it('pages through every period in the default order', async () => {
    const want = await expected();
    expect(want.length).toBe(46);
    for (const pageSize of [1, 7, 20, 200]) {
      const got = await listed('', pageSize);
      expect(got.ids, `pageSize=${pageSize}`).toEqual(want);
      expect(got.total).toBe(46);
    }
  });

  it('keeps the order with a keyword and with a filter', async () => {
    expect((await listed('&q=%E5%BC%A0', 4)).ids).toEqual(await expected(sql`c.name like '%张%'`));
    expect((await listed('&status=enrolled,following', 5)).ids).toEqual(
      await expected(sql`d.status in ('enrolled', 'following')`),
    );
  });

  it('gives each consultant asking for the same page their own periods, and each ask what is there now', async () => {
    const before = await listed('', 20);
    const other = await makeUser(db(), { codes: [...demoRoleGrants.consultant] });
    const otherSession = await signIn(t.app, other.username, TEST_PASSWORD);
    const theirs = await makeCustomer(db(), { name: '王另', owner: other.id });
    const page = (await call(t.app, otherSession, 'GET', '/api/my-customers?pageSize=20&page=1')).json() as {
      items: { customerId: number }[];
      total: number;
    };
    expect(page.items.map((item) => item.customerId)).toEqual([theirs.id]);
    expect(page.total).toBe(1);
    // The same page asked again after a new period: the rows are read anew, not remembered.
    const added = await makeCustomer(db(), { name: '李新', owner: consultantId });
    const again = await listed('', 20);
    expect(again.total).toBe(before.total + 1);
    expect(again.ids).toEqual(await expected());
    await db()
      .delete(customers)
      .where(inArray(customers.id, [theirs.id, added.id]));
  });

  it('shows each period as the periods and customers read apart show it', async () => {
    const other = await makeUser(db(), { codes: [...demoRoleGrants.consultant] });
    const [moved, followed] = await expected();
    const [row] = await db()
      .select({ customerId: customerDistributions.customerId, startedAt: customerDistributions.startedAt })
      .from(customerDistributions)
      .where(eq(customerDistributions.id, moved!));
    // Now someone else's: its contacts shown masked. And a follow-up of the consultant's own.
    await db()
      .update(customers)
      .set({ consultantId: other.id, phone: '13912345678' })
      .where(eq(customers.id, row!.customerId));
    const [second] = await db()
      .select({ customerId: customerDistributions.customerId, startedAt: customerDistributions.startedAt })
      .from(customerDistributions)
      .where(eq(customerDistributions.id, followed!));
    const followUpAt = new Date(second!.startedAt.getTime() + 3_600_000);
    await db().insert(consultRecords).values({
      customerId: second!.customerId,
      consultantId,
      at: followUpAt,
      note: '回访',
    });
    const body = (await call(t.app, consultant, 'GET', '/api/my-customers?pageSize=50')).json() as {
      items: Record<string, unknown>[];
    };
    const rows = (await db()
      .select()
      .from(customerDistributions)
      .where(
        inArray(
          customerDistributions.id,
          body.items.map((item) => item.id as number),
        ),
      )) as Record<string, unknown>[];
    const actor = {
      userId: consultantId,
      permissions: new Set(demoRoleGrants.consultant),
    } as unknown as Actor;
    const apart = await myCustomersResource.present!(db(), rows, actor, { timezone: 'Asia/Shanghai' });
    for (const item of body.items) {
      const want = JSON.parse(JSON.stringify(apart.find((period) => period.id === item.id)));
      expect(want).toMatchObject(item);
    }
    const movedItem = body.items.find((item) => item.id === moved) as { customer: { phone: string } };
    expect(movedItem.customer.phone).not.toBe('13912345678');
    expect(body.items.find((item) => item.id === followed)?.lastFollowUpAt).toBe(followUpAt.toISOString());
  });
});
