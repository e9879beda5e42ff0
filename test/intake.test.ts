import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setClock } from '../server/clock.ts';
import { queryRows } from '../server/db/client.ts';
import { customerDistributions, customers, notifications, saleRanks } from '../server/db/schema/index.ts';
import { demoRoleGrants } from '../server/seed/demo/staff.ts';
import { buildTestApp, call, listenAsInstances, type Session, type TestApp } from './app.ts';
import { signedInUser } from './factories.ts';

/** docs/spec.md §4: single entry, its duplicate check, and the weighted rotation behind it. */
let t: TestApp;
const db = () => t.database.db;
let manager: Session;
const consultants: { id: number; session: Session; username: string }[] = [];
let serial = 0;
const phone = () => `1390${String(++serial).padStart(7, '0')}`;

async function setRanks(specs: { weight: number; quota: number; active?: boolean }[]) {
  await db().delete(saleRanks);
  await db()
    .insert(saleRanks)
    .values(
      specs.map((s, i) => ({
        consultantId: consultants[i]!.id,
        weight: s.weight,
        dailyQuota: s.quota,
        active: s.active ?? true,
      })),
    );
}

const create = (who: Session, body: object) => call(t.app, who, 'POST', '/api/customers', body);

beforeAll(async () => {
  t = await buildTestApp({ importWorker: false });
  manager = (await signedInUser(t, demoRoleGrants.sales_manager)).session;
  for (let i = 0; i < 4; i++) consultants.push(await signedInUser(t, demoRoleGrants.consultant));
});
beforeEach(async () => {
  setClock(null);
  await db().delete(customers);
});
afterAll(async () => t?.close());

describe('single entry (录入客户)', () => {
  it('gives a new customer to the next consultant of the rotation, with both clocks started', async () => {
    await setRanks([
      { weight: 2, quota: 100 },
      { weight: 1, quota: 100 },
    ]);
    const response = await create(manager, { name: '龙泰', phone: phone(), source: 'baidu' });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.consultant).toEqual({ id: consultants[0]!.id, name: expect.any(String) });
    expect(body.recvAt).toBe(body.lastConsultAt);
    const [period] = await db()
      .select()
      .from(customerDistributions)
      .where(eq(customerDistributions.customerId, body.id));
    expect(period).toMatchObject({ consultantId: consultants[0]!.id, status: 'following', via: 'assigned' });
    const told = await db().select().from(notifications).where(eq(notifications.userId, consultants[0]!.id));
    expect(told.some((n) => n.event === 'customer_assigned')).toBe(true);
  });

  it('follows the weights: 3:1 over 40 entries gives 30 and 10, interleaved', async () => {
    await setRanks([
      { weight: 3, quota: 1000 },
      { weight: 1, quota: 1000 },
    ]);
    const owners: number[] = [];
    for (let i = 0; i < 40; i++) {
      owners.push((await create(manager, { name: `客户${i}`, phone: phone() })).json().consultantId);
    }
    expect(owners.filter((o) => o === consultants[0]!.id)).toHaveLength(30);
    expect(owners.slice(0, 4).filter((o) => o === consultants[1]!.id)).toHaveLength(1);
  });

  it('stops at the daily quota, then sends customers to the pool and tells the managers once', async () => {
    await setRanks([
      { weight: 1, quota: 2 },
      { weight: 1, quota: 1 },
      { weight: 5, quota: 0 },
    ]);
    const owners = [];
    for (let i = 0; i < 5; i++)
      owners.push((await create(manager, { name: `配额${i}`, phone: phone() })).json());
    expect(owners.map((o) => o.consultantId)).toEqual([
      consultants[0]!.id,
      consultants[1]!.id,
      consultants[0]!.id,
      null,
      null,
    ]);
    const pooled = await db().select().from(customers).where(eq(customers.id, owners[4].id));
    expect(pooled[0]).toMatchObject({ consultantId: null, releasedReason: 'unassigned' });
    const pool = await call(t.app, consultants[3]!.session, 'GET', '/api/pool?pageSize=200');
    expect(pool.json().items.map((c: { id: number }) => c.id)).toContain(owners[4].id);
    const told = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from notifications where event = 'pool_unassigned' and user_id = ${manager.userId}`,
    );
    expect(told[0]!.n).toBeGreaterThan(0);
    // Twice in a day is still one notification per channel.
    const channels = await queryRows<{ n: number }>(
      db(),
      sql`select count(distinct channel)::int as n from notifications where event = 'pool_unassigned' and user_id = ${manager.userId}`,
    );
    expect(told[0]!.n).toBe(channels[0]!.n);
  });

  it('starts the day afresh: yesterday’s assignments do not count against today’s quota', async () => {
    await setRanks([{ weight: 1, quota: 1 }]);
    setClock(new Date('2026-06-01T03:00:00Z'));
    expect((await create(manager, { name: '昨天', phone: phone() })).json().consultantId).toBe(
      consultants[0]!.id,
    );
    expect((await create(manager, { name: '昨天2', phone: phone() })).json().consultantId).toBeNull();
    setClock(new Date('2026-06-01T16:30:00Z')); // 00:30 the next day in Shanghai
    expect((await create(manager, { name: '今天', phone: phone() })).json().consultantId).toBe(
      consultants[0]!.id,
    );
    const ranks = await call(t.app, manager, 'GET', '/api/sale-ranks');
    expect(ranks.json().items[0].assignedToday).toBe(1);
  });

  it('applies a weight change at the next entry', async () => {
    await setRanks([
      { weight: 1, quota: 100 },
      { weight: 1, quota: 100 },
    ]);
    await create(manager, { name: '甲', phone: phone() });
    const [rank] = await db().select().from(saleRanks).where(eq(saleRanks.consultantId, consultants[0]!.id));
    const patched = await call(t.app, manager, 'PATCH', `/api/sale-ranks/${rank!.id}`, { weight: 0 });
    expect(patched.statusCode).toBe(200);
    for (let i = 0; i < 3; i++) {
      expect((await create(manager, { name: `乙${i}`, phone: phone() })).json().consultantId).toBe(
        consultants[1]!.id,
      );
    }
  });

  it('lets a consultant enter a lead for themselves, and a manager for anyone', async () => {
    await setRanks([{ weight: 1, quota: 100 }]);
    const me = consultants[2]!;
    const own = await create(me.session, { name: '自己的', phone: phone(), consultantId: me.id });
    expect(own.statusCode).toBe(201);
    expect(own.json()).toMatchObject({ consultantId: me.id });
    const other = await create(me.session, {
      name: '别人的',
      phone: phone(),
      consultantId: consultants[1]!.id,
    });
    expect(other.statusCode).toBe(403);
    const byManager = await create(manager, {
      name: '指定',
      phone: phone(),
      consultantId: consultants[3]!.id,
    });
    expect(byManager.json().consultantId).toBe(consultants[3]!.id);
    const [period] = await db()
      .select()
      .from(customerDistributions)
      .where(eq(customerDistributions.customerId, byManager.json().id));
    expect(period!.via).toBe('manual');
    // A lead the rotation gave to a colleague: its creator is answered, with the contact masked.
    const viaRotation = await create(me.session, { name: '轮到别人', phone: '13911112222' });
    expect(viaRotation.statusCode).toBe(201);
    expect(viaRotation.json().consultantId).toBe(consultants[0]!.id);
    expect(viaRotation.json().phone).toBe('139****2222');
  });

  it('refuses a duplicate by normalised phone, QQ or WeChat, naming the owner and masking what is not yours', async () => {
    await setRanks([{ weight: 1, quota: 100 }]);
    const first = await create(manager, {
      name: '欧阳娜娜',
      phone: '138 1234 5678',
      qq: '12345',
      wechat: 'Nana_01',
    });
    expect(first.statusCode).toBe(201);
    const count = async () => (await db().select().from(customers)).length;
    const before = await count();
    for (const body of [
      { name: '重复', phone: '+86 138-1234-5678' },
      { name: '重复', phone: '008613812345678' },
      { name: '重复', qq: ' 12345 ' },
      { name: '重复', wechat: 'nana_01 ' },
    ]) {
      const response = await create(consultants[1]!.session, body);
      expect(response.statusCode).toBe(409);
      const answer = response.json();
      expect(answer.error).toBe('duplicate');
      expect(answer.message).toContain('归属课程顾问');
      expect(answer.existing).toMatchObject({ id: first.json().id, name: '欧***', mine: false });
      expect(answer.existing.consultant.id).toBe(consultants[0]!.id);
      expect(answer.message).not.toMatch(/1381234|nana_01|12345/i);
    }
    // The owner sees their own customer in full.
    const own = await create(consultants[0]!.session, { name: '重复', phone: '13812345678' });
    expect(own.json()).toMatchObject({ error: 'duplicate', existing: { name: '欧阳娜娜', mine: true } });
    expect(own.json().message).toContain('13812345678');
    expect(await count()).toBe(before);
    // Nothing moved: the rotation did not count the refused entries.
    const [rank] = await db().select().from(saleRanks);
    expect(rank!.assignedToday).toBe(1);
  });

  it('refuses bad input with 400 and changes nothing', async () => {
    await setRanks([{ weight: 1, quota: 100 }]);
    for (const body of [
      { name: '没有联系方式' },
      { name: '', phone: phone() },
      { name: '错误来源', phone: phone(), source: 'mars' },
      { name: '停用顾问', phone: phone(), consultantId: 2_000_000_000 },
      { name: '多余字段', phone: phone(), status: 'enrolled' },
    ]) {
      const response = await create(manager, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error).toBe('validation');
    }
    expect(await db().select().from(customers)).toHaveLength(0);
    const [rank] = await db().select().from(saleRanks);
    expect(rank!.assignedToday).toBe(0);
  });

  it('refuses phones, QQ numbers and WeChat ids a school would not accept, on entry and on edit', async () => {
    await setRanks([{ weight: 1, quota: 100 }]);
    for (const [body, field, code] of [
      [{ name: '五位', phone: '12345' }, 'phone', 'phone_invalid'],
      [{ name: '十位', phone: '1381234567' }, 'phone', 'phone_invalid'],
      [{ name: '没区号', phone: '87654321' }, 'phone', 'phone_invalid'],
      [{ name: 'QQ', qq: '01234' }, 'qq', 'qq_invalid'],
      [{ name: '微信', wechat: '9abcdef' }, 'wechat', 'wechat_invalid'],
    ] as const) {
      const response = await create(manager, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json()).toMatchObject({ error: 'validation', details: [{ field, code }] });
    }
    const [rank] = await db().select().from(saleRanks);
    expect(rank!.assignedToday).toBe(0);
    expect(await db().select().from(customers)).toHaveLength(0);

    // Landlines and numbers abroad stay possible, and the answer says which kind a number is.
    const kinds: Record<string, string> = {
      '010-12345678': 'landline',
      '+852 9123 4567': 'international',
      '139 1111 2222': 'mobile',
    };
    for (const [number, kind] of Object.entries(kinds)) {
      const made = await create(manager, { name: number, phone: number, wechat: `wx_${++serial}x` });
      expect(made.statusCode, made.body).toBe(201);
      expect(made.json().phoneKind).toBe(kind);
    }
    // An edit is held to the same rules for what it changes, and leaves the rest alone.
    const [landline] = await db().select().from(customers).where(eq(customers.name, '010-12345678'));
    const edit = (body: object) => call(t.app, manager, 'PATCH', `/api/customers/${landline!.id}`, body);
    const refused = await edit({ phone: '12345', note: '不会保存' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details).toEqual([
      expect.objectContaining({ field: 'phone', code: 'phone_invalid' }),
    ]);
    await db().update(customers).set({ qq: '0123' }).where(eq(customers.id, landline!.id));
    expect((await edit({ note: '以前存的 QQ 不挡住别的修改' })).statusCode).toBe(200);
    const [after] = await db().select().from(customers).where(eq(customers.id, landline!.id));
    expect(after).toMatchObject({ phone: '010-12345678', note: '以前存的 QQ 不挡住别的修改' });
  });

  it('is fair under concurrency: 200 simultaneous entries across the instances share within ±1', async () => {
    await setRanks([
      { weight: 5, quota: 1000 },
      { weight: 3, quota: 1000 },
      { weight: 2, quota: 1000 },
    ]);
    const instances = await listenAsInstances(t, 3);
    try {
      const responses = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          fetch(`${instances.urls[i % instances.urls.length]}/api/customers`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              cookie: manager.cookie,
              'x-csrf-token': manager.csrfToken,
            },
            body: JSON.stringify({ name: `并发${i}`, phone: `1370${String(i).padStart(7, '0')}` }),
          }).then((r) => r.status),
        ),
      );
      expect(responses.filter((s) => s !== 201)).toEqual([]);
    } finally {
      await instances.close();
    }
    const shares = await queryRows<{ consultant_id: number; n: number }>(
      db(),
      sql`select consultant_id, count(*)::int as n from customer_distributions group by consultant_id`,
    );
    const got = (i: number) => shares.find((s) => s.consultant_id === consultants[i]!.id)?.n ?? 0;
    expect(Math.abs(got(0) - 100)).toBeLessThanOrEqual(1);
    expect(Math.abs(got(1) - 60)).toBeLessThanOrEqual(1);
    expect(Math.abs(got(2) - 40)).toBeLessThanOrEqual(1);
    const [state] = await queryRows<{ total: number }>(
      db(),
      sql`select sum(assigned_today)::int as total from sale_ranks`,
    );
    expect(state!.total).toBe(200);
  });
});
