import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../server/db/client.ts';
import { customerDistributions, customers, saleRanks } from '../server/db/schema/index.ts';
import { demoRoleGrants } from '../server/seed/demo/staff.ts';
import { buildTestApp, call, type Session, signIn, type TestApp } from './app.ts';
import { makeUser, TEST_PASSWORD } from './factories.ts';
import { csvText, importEnded, multipart } from './spreadsheets.ts';

/**
 * Issue 20, item 6: only staff who may grab customers (customer.grab) may own one. Every path that
 * names an owner refuses anyone else with 400 cannot_own_customers (an import, row by row), and the
 * rotation passes them by.
 */
let t: TestApp;
const db = () => t.database.db;
let manager: Session;
let consultant: { id: number; name: string; username: string };
let finance: { id: number; name: string; username: string };
let teacher: { id: number; name: string; username: string };
let serial = 0;
const phone = () => `1370${String(++serial).padStart(7, '0')}`;

const customerCount = async () =>
  (await queryRows<{ n: number }>(db(), sql`select count(*)::int as n from customers`))[0]!.n;

async function owned(consultantId: number) {
  const response = await call(t.app, manager, 'POST', '/api/customers', {
    name: `客户${serial}`,
    phone: phone(),
    consultantId,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as number;
}

async function imported(rows: string[][], assign: 'column' | 'rotation') {
  const { payload, headers } = multipart(
    { mode: 'commit', assign },
    { name: 'c.csv', data: Buffer.from(csvText(rows)) },
  );
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/customers/import',
    payload,
    headers: { ...headers, cookie: manager.cookie, 'x-csrf-token': manager.csrfToken },
  });
  expect(response.statusCode, response.body).toBe(200);
  return importEnded(t.app, manager, response.json().importId, 600);
}

beforeAll(async () => {
  t = await buildTestApp();
  const boss = await makeUser(db(), { codes: [...demoRoleGrants.sales_manager] });
  manager = await signIn(t.app, boss.username, TEST_PASSWORD);
  consultant = await makeUser(db(), { codes: [...demoRoleGrants.consultant], name: '三江' });
  finance = await makeUser(db(), { codes: [...demoRoleGrants.finance], name: '财务小王' });
  teacher = await makeUser(db(), { codes: [...demoRoleGrants.teacher], name: '讲师老李' });
});
beforeEach(async () => {
  await db().delete(customers);
  await db().delete(saleRanks);
});
afterAll(async () => t?.close());

const refusal = (name: string) => ({ error: 'cannot_own_customers', params: { name } });

describe('only those who may grab customers may own one', () => {
  it('refuses a new customer given to finance or a teacher, and creates nothing', async () => {
    for (const who of [finance, teacher]) {
      const response = await call(t.app, manager, 'POST', '/api/customers', {
        name: '给错人',
        phone: phone(),
        consultantId: who.id,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject(refusal(who.name));
    }
    expect(await customerCount()).toBe(0);
    await owned(consultant.id);
    expect(await customerCount()).toBe(1);
  });

  it('refuses staff who enter leads but may not grab them as their owner', async () => {
    const clerk = await makeUser(db(), { codes: ['customer.list', 'customer.create'] });
    const session = await signIn(t.app, clerk.username, TEST_PASSWORD);
    const mine = await call(t.app, session, 'POST', '/api/customers', {
      name: '前台录入',
      phone: phone(),
      consultantId: clerk.id,
    });
    expect(mine.statusCode).toBe(400);
    expect(mine.json()).toMatchObject(refusal(clerk.name));
    expect(await customerCount()).toBe(0);
  });

  it('refuses 转交 to finance or a teacher, and leaves the customers with their owner', async () => {
    const id = await owned(consultant.id);
    for (const who of [finance, teacher]) {
      const response = await call(t.app, manager, 'POST', '/api/customers/actions/reassign', {
        ids: [id],
        consultantId: who.id,
        reason: '休假',
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject(refusal(who.name));
    }
    const [row] = await db().select().from(customers).where(eq(customers.id, id));
    expect(row!.consultantId).toBe(consultant.id);
    const periods = await db()
      .select()
      .from(customerDistributions)
      .where(eq(customerDistributions.customerId, id));
    expect(periods).toEqual([expect.objectContaining({ consultantId: consultant.id, status: 'following' })]);
  });

  it('refuses a weight for finance, and the rotation passes by a weighted teacher', async () => {
    const weighted = await call(t.app, manager, 'POST', '/api/sale-ranks', {
      consultantId: finance.id,
      weight: 5,
      dailyQuota: 100,
    });
    expect(weighted.statusCode).toBe(400);
    expect(weighted.json()).toMatchObject(refusal(finance.name));
    expect(await db().select().from(saleRanks)).toEqual([]);

    // A rank given before the rule, or to someone whose role changed since, takes part in nothing.
    await db()
      .insert(saleRanks)
      .values([
        { consultantId: teacher.id, weight: 100, dailyQuota: 100 },
        { consultantId: consultant.id, weight: 1, dailyQuota: 100 },
      ]);
    for (let i = 0; i < 4; i++) {
      const response = await call(t.app, manager, 'POST', '/api/customers', {
        name: `轮转${i}`,
        phone: phone(),
      });
      expect(response.statusCode, response.body).toBe(201);
    }
    const rotated = await imported(
      [
        ['姓名', '手机'],
        ['导入一', phone()],
        ['导入二', phone()],
      ],
      'rotation',
    );
    expect(rotated).toMatchObject({ status: 'done', created: 2 });
    const owners = (await db().select().from(customers)).map((c) => c.consultantId);
    expect(owners).toEqual(Array(6).fill(consultant.id));
  });

  it('refuses an import row whose consultant column names finance or a teacher', async () => {
    const done = await imported(
      [
        ['姓名', '手机', '课程顾问'],
        ['给财务', phone(), finance.username],
        ['给讲师', phone(), teacher.name],
        ['给顾问', phone(), consultant.name],
      ],
      'column',
    );
    expect(done).toMatchObject({ status: 'done', created: 1, errorCount: 2 });
    expect(done.errors).toEqual([
      expect.objectContaining({
        row: 2,
        column: '课程顾问',
        code: 'cannot_own',
        params: { name: finance.username },
      }),
      expect.objectContaining({
        row: 3,
        column: '课程顾问',
        code: 'cannot_own',
        params: { name: teacher.name },
      }),
    ]);
    const rows = await db().select().from(customers);
    expect(rows.map((c) => [c.name, c.consultantId])).toEqual([['给顾问', consultant.id]]);
  });
});
