import { and, asc, eq, gt } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { addDays, setClock } from '../server/clock.ts';
import {
  auditLog,
  courses,
  customerDistributions,
  customers,
  notifications,
  poolSettings,
  studentClasses,
  students,
} from '../server/db/schema/index.ts';
import { seedDemo } from '../server/db/seed/demo.ts';
import { DEFAULT_POOL_RULES } from '../server/modules/pool/rules.ts';
import { buildTestApp, call, type Method, type Session, signIn, type TestApp } from './app.ts';
import { makeCustomer, userIdOf } from './factories.ts';

/** SPEC §3 through the API: the pool, grabbing, follow-ups, enrolment, reassignment, the sweep. */
const PASSWORD = 'sales-password';
let t: TestApp;
const s: Record<string, Session> = {};
const api = (who: string, method: Method, url: string, payload?: object) =>
  call(t.app, s[who]!, method, url, payload);
const db = () => t.database.db;
const T0 = new Date('2026-03-02T04:00:00.000Z'); // 12:00 in Shanghai

const userId = (username: string) => userIdOf(db(), username);

/** A new customer owned by `username` from `at` on, through the code every assignment uses. */
const ownedCustomer = async (username: string, at: Date) =>
  (await makeCustomer(db(), { owner: await userId(username), at, source: 'baidu' })).id;

const periods = (customerId: number) =>
  db()
    .select()
    .from(customerDistributions)
    .where(eq(customerDistributions.customerId, customerId))
    .orderBy(asc(customerDistributions.startedAt), asc(customerDistributions.id));
const customer = async (id: number) => (await db().select().from(customers).where(eq(customers.id, id)))[0]!;
const poolIds = async (who: string) =>
  (await api(who, 'GET', '/api/pool?pageSize=200&sort=-releaseAt'))
    .json()
    .items.map((c: { id: number }) => c.id);

beforeAll(async () => {
  t = await buildTestApp({ testClock: true });
  await seedDemo(db(), { password: PASSWORD, at: T0 });
  for (const who of ['admin', 'manager', 'sanjiang', 'baoyu', 'dasha', 'finance', 'teacher']) {
    s[who] = await signIn(t.app, who, PASSWORD);
  }
});
afterEach(async () => {
  setClock(null);
  await db().delete(poolSettings);
});
afterAll(async () => t?.close());

describe('the public pool and grabbing', () => {
  it('lets a customer fall into the pool at its deadline, hidden from its last owner, and grabbed once', async () => {
    const [course] = await db().select().from(courses).orderBy(asc(courses.id)).limit(1);
    const { id } = await makeCustomer(db(), {
      owner: await userId('sanjiang'),
      at: T0,
      courseIds: [course!.id],
    });
    setClock(new Date(addDays(T0, 3).getTime() - 1));
    expect(await poolIds('baoyu')).not.toContain(id);
    expect((await api('baoyu', 'POST', `/api/pool/${id}/grab`)).json().error).toBe('already_taken');

    setClock(addDays(T0, 3));
    const pool = (await api('baoyu', 'GET', '/api/pool?pageSize=200')).json();
    const item = pool.items.find((c: { id: number }) => c.id === id);
    expect(item).toMatchObject({
      releasedReason: 'no_followup',
      previousConsultantId: await userId('sanjiang'),
      previousConsultant: { name: '三江' },
      courseIds: [course!.id],
      courses: [{ id: course!.id, name: course!.name }],
    });
    expect(item.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(await poolIds('sanjiang')).not.toContain(id);
    const own = await api('sanjiang', 'POST', `/api/pool/${id}/grab`);
    expect([own.statusCode, own.json().error]).toEqual([403, 'previous_owner']);

    const won = await api('baoyu', 'POST', `/api/pool/${id}/grab`);
    expect(won.statusCode).toBe(200);
    expect(won.json().customer).toMatchObject({ id, consultant: { name: '暴雨' } });
    expect(won.json().customer.phone).not.toContain('*');
    expect(won.json().distribution).toMatchObject({ customerId: id, status: 'following', via: 'grabbed' });
    expect((await api('dasha', 'POST', `/api/pool/${id}/grab`)).statusCode).toBe(409);

    const [first, second] = await periods(id);
    expect(first).toMatchObject({ status: 'released_no_followup', endedAt: addDays(T0, 3) });
    expect(second).toMatchObject({ status: 'following', via: 'grabbed', startedAt: addDays(T0, 3) });
    expect(await customer(id)).toMatchObject({
      consultantId: await userId('baoyu'),
      recvAt: addDays(T0, 3),
      lastConsultAt: addDays(T0, 3),
      releaseAt: addDays(T0, 6),
    });
    // The winner is told, the audit log names the grab, and the answer is the customer as its API shows it.
    const told = await db().select().from(notifications).where(eq(notifications.event, 'grab_won'));
    const mine = told.filter((n) => (n.payload as { customerId: number }).customerId === id);
    expect(mine.length).toBeGreaterThan(0); // one row per channel 暴雨 chose
    for (const row of mine) {
      expect(row).toMatchObject({ userId: await userId('baoyu'), payload: { distributionId: second!.id } });
    }
    const [audit] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'grab'), eq(auditLog.entityId, id)));
    expect(audit).toMatchObject({
      actorId: await userId('baoyu'),
      before: { consultantId: await userId('sanjiang') },
      after: { consultantId: await userId('baoyu'), distributionId: second!.id },
    });
    const shown = (await api('baoyu', 'GET', `/api/customers/${id}`)).json();
    expect(won.json().customer).toMatchObject(shown);
  });

  it('answers 404 for no such customer and refuses a grab without the permission', async () => {
    expect((await api('baoyu', 'POST', '/api/pool/99999999/grab')).statusCode).toBe(404);
    expect(
      (await api('teacher', 'POST', `/api/pool/${await ownedCustomer('sanjiang', T0)}/grab`)).statusCode,
    ).toBe(403);
  });

  it('refuses a grab of a customer someone owns with the one statement that checks the session', async () => {
    const id = await ownedCustomer('sanjiang', T0);
    setClock(addDays(T0, 1));
    // A first request loads 暴雨's permissions and moves the session's last-seen time.
    expect((await api('baoyu', 'POST', `/api/pool/${id}/grab`)).json().error).toBe('already_taken');
    // The driver's own client (PGlite, or node-postgres's pool): every statement goes through its query().
    const client = (db() as unknown as { $client: { query: (...args: unknown[]) => unknown } }).$client;
    const queries = vi.spyOn(client, 'query');
    try {
      const refused = await api('baoyu', 'POST', `/api/pool/${id}/grab`);
      expect([refused.statusCode, refused.json().error]).toEqual([409, 'already_taken']);
      expect(queries).toHaveBeenCalledTimes(1);
      const own = await api('sanjiang', 'POST', `/api/pool/${id}/grab`);
      expect([own.statusCode, own.json().error]).toEqual([409, 'already_taken']);
    } finally {
      queries.mockRestore();
    }
    // The read rides only on integer ids; anything else is the schema's to refuse.
    expect((await api('baoyu', 'POST', '/api/pool/2147483648/grab')).statusCode).toBe(400);
    expect((await api('baoyu', 'POST', '/api/pool/x1/grab')).statusCode).toBe(400);
  });

  it('holds the daily grab limit, the owned limit and the previous-owner cooldown', async () => {
    const ids = [
      await ownedCustomer('dasha', T0),
      await ownedCustomer('dasha', T0),
      await ownedCustomer('dasha', T0),
    ];
    setClock(addDays(T0, 20));
    await api('admin', 'PUT', '/api/settings/pool', {
      ...DEFAULT_POOL_RULES,
      previousOwnerCooldownDays: 2,
      dailyGrabLimit: 1,
      maxOwned: 0,
      remindDaysBefore: 1,
    });
    expect((await api('baoyu', 'POST', `/api/pool/${ids[0]}/grab`)).statusCode).toBe(200);
    const limited = await api('baoyu', 'POST', `/api/pool/${ids[1]}/grab`);
    expect([limited.statusCode, limited.json().error]).toEqual([429, 'grab_limit']);

    // The last owner may have it back once the cooldown has passed since it became public.
    expect((await api('dasha', 'POST', `/api/pool/${ids[1]}/grab`)).statusCode).toBe(200);

    await ownedCustomer('sanjiang', addDays(T0, 20));
    const following = (
      await db()
        .select()
        .from(customers)
        .where(
          and(eq(customers.consultantId, await userId('sanjiang')), eq(customers.status, 'unregistered')),
        )
    ).filter((c) => c.releaseAt! > addDays(T0, 20)).length;
    await api('admin', 'PUT', '/api/settings/pool', {
      ...DEFAULT_POOL_RULES,
      previousOwnerCooldownDays: null,
      dailyGrabLimit: 0,
      maxOwned: following,
      remindDaysBefore: 1,
    });
    const full = await api('sanjiang', 'POST', `/api/pool/${ids[2]}/grab`);
    expect([full.statusCode, full.json().error]).toEqual([409, 'owned_limit']);
  });
});

describe('follow-ups', () => {
  it("restarts the clock for the owner's follow-up only, and keeps consultants to their own", async () => {
    const id = await ownedCustomer('sanjiang', T0);
    setClock(addDays(T0, 2));
    const mine = await api('sanjiang', 'POST', `/api/customers/${id}/consult-records`, {
      note: '约了周六试听',
      channel: 'wechat',
    });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ clockMoved: true });
    expect(await customer(id)).toMatchObject({ lastConsultAt: addDays(T0, 2), releaseAt: addDays(T0, 5) });

    setClock(addDays(T0, 3));
    const managers = await api('manager', 'POST', `/api/customers/${id}/consult-records`, {
      note: '主管回访',
    });
    expect(managers.json().clockMoved).toBe(false);
    expect((await customer(id)).releaseAt).toEqual(addDays(T0, 5));
    expect(
      (await api('baoyu', 'POST', `/api/customers/${id}/consult-records`, { note: 'x' })).statusCode,
    ).toBe(404);
    expect(
      (await api('sanjiang', 'POST', `/api/customers/${id}/consult-records`, { note: '  ' })).statusCode,
    ).toBe(400);
    expect(
      (await api('sanjiang', 'POST', `/api/customers/${id}/consult-records`, { note: 'x', channel: 'fax' }))
        .statusCode,
    ).toBe(400);
  });

  it('cannot keep a customer past the deal deadline by following up daily', async () => {
    const id = await ownedCustomer('sanjiang', T0);
    for (let day = 1; day <= 14; day++) {
      setClock(addDays(T0, day));
      await api('sanjiang', 'POST', `/api/customers/${id}/consult-records`, { note: `第${day}天跟进` });
    }
    expect((await customer(id)).releaseAt).toEqual(addDays(T0, 15));
    setClock(addDays(T0, 15));
    const swept = await api('admin', 'POST', '/api/admin/sweep');
    expect(swept.json().released).toBeGreaterThanOrEqual(1);
    expect(await customer(id)).toMatchObject({
      consultantId: null,
      previousConsultantId: await userId('sanjiang'),
      releasedReason: 'no_deal',
    });
    expect((await periods(id))[0]).toMatchObject({ status: 'released_no_deal', endedAt: addDays(T0, 15) });
  });
});

describe('the nightly sweep', () => {
  type Listed = { customerId: number; name: string } & Record<string, unknown>;
  const listed = (n: { payload: unknown }) => (n.payload as { customers?: Listed[] }).customers ?? [];
  const toldOf = async (username: string, after = 0) =>
    db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, await userId(username)), gt(notifications.id, after)))
      .orderBy(asc(notifications.id));

  it('releases, notifies and reminds once, however often it runs', async () => {
    const late = await ownedCustomer('dasha', addDays(T0, 100));
    const soon = await ownedCustomer('dasha', addDays(T0, 102.5));
    setClock(addDays(T0, 105));
    const first = (await api('admin', 'POST', '/api/admin/sweep')).json();
    expect(first.released).toBeGreaterThanOrEqual(1);
    expect(first.reminded).toBeGreaterThanOrEqual(1);
    expect((await customer(late)).consultantId).toBeNull();
    expect((await customer(soon)).consultantId).toBe(await userId('dasha'));
    expect(await api('admin', 'POST', '/api/admin/sweep').then((r) => r.json())).toEqual({
      released: 0,
      reminded: 0,
    });

    const told = await toldOf('dasha');
    const about = (id: number, event: string) =>
      told.filter((n) => n.event === event && listed(n).some((c) => c.customerId === id));
    expect(new Set(told.map((n) => n.dedupeKey)).size).toBe(told.length);

    // 大傻 is told once (a row per channel), in one message listing every customer this sweep took
    // from them, with the deadline that passed; the sweep writes it in SQL, so its times read as
    // JavaScript writes them.
    const gone = about(late, 'customer_released');
    expect(gone.length).toBeGreaterThanOrEqual(1);
    expect(new Set(gone.map((n) => n.channel)).size).toBe(gone.length);
    const lost = await db()
      .select({ id: customers.id })
      .from(customers)
      .where(
        and(
          eq(customers.previousConsultantId, await userId('dasha')),
          eq(customers.updatedAt, addDays(T0, 105)),
        ),
      );
    const message = gone[0]!;
    expect(
      listed(message)
        .map((c) => c.customerId)
        .sort(),
    ).toEqual(lost.map((c) => c.id).sort());
    expect(message.payload).toMatchObject({ count: lost.length });
    const releasedAt = (await customer(late)).releaseAt!.toISOString();
    expect(listed(message).find((c) => c.customerId === late)).toEqual({
      customerId: late,
      name: (await customer(late)).name,
      reason: 'no_followup',
      releasedAt,
    });
    const head = listed(message)[0]!;
    expect(message.dedupeKey).toBe(
      `customer_released:${head.customerId}:${head.releasedAt}:${message.channel}`,
    );

    const due = about(soon, 'release_reminder');
    expect(due.length).toBe(gone.length);
    const releaseAt = (await customer(soon)).releaseAt!.toISOString();
    expect(listed(due[0]!).find((c) => c.customerId === soon)).toEqual({
      customerId: soon,
      name: (await customer(soon)).name,
      releaseAt,
    });
  });

  it('tells of one customer as it always did, and reminds again only when the deadline moves', async () => {
    const username = 'sanjiang';
    const id = await ownedCustomer(username, addDays(T0, 200));
    const before = (await toldOf(username)).at(-1)?.id ?? 0;
    // 三江 owns nothing else due by then: the reminder names the one customer at its top level.
    setClock(addDays(T0, 202.5));
    expect((await api('admin', 'POST', '/api/admin/sweep')).json().reminded).toBeGreaterThanOrEqual(1);
    const reminded = (await toldOf(username, before)).filter((n) => n.event === 'release_reminder');
    const releaseAt = addDays(T0, 203).toISOString();
    expect(reminded.length).toBeGreaterThanOrEqual(1);
    for (const n of reminded) {
      expect(n.payload).toMatchObject({ customerId: id, releaseAt, count: 1 });
      expect(n.dedupeKey).toBe(`release_reminder:${id}:${releaseAt}:${n.channel}`);
    }
    expect((await api('admin', 'POST', '/api/admin/sweep')).json().reminded).toBe(0);

    // A follow-up moves the deadline: the next day's sweep reminds of the new one, once.
    await api(username, 'POST', `/api/customers/${id}/consult-records`, { note: '还在考虑' });
    setClock(addDays(T0, 205));
    await api('admin', 'POST', '/api/admin/sweep');
    const again = (await toldOf(username, before)).filter(
      (n) => n.event === 'release_reminder' && listed(n).some((c) => c.customerId === id),
    );
    expect(again.map((n) => (n.payload as { releaseAt: string }).releaseAt).sort()).toEqual(
      [...reminded.map(() => releaseAt), ...reminded.map(() => addDays(T0, 205.5).toISOString())].sort(),
    );
    expect((await api('admin', 'POST', '/api/admin/sweep')).json()).toEqual({ released: 0, reminded: 0 });
  });
});

describe('enrolment', () => {
  it('enrols on a deposit, keeps the customer out of the pool, and records withdrawals without un-enrolling', async () => {
    const id = await ownedCustomer('sanjiang', T0);
    setClock(addDays(T0, 1));
    const refused = await api('sanjiang', 'POST', '/api/payments', {
      customerId: id,
      classId: 1,
      payType: 'refund',
      paidFee: '100',
    });
    expect([refused.statusCode, refused.json().error]).toEqual([409, 'not_enrolled']);
    const paid = await api('sanjiang', 'POST', '/api/payments', {
      customerId: id,
      classId: 1,
      payType: 'deposit',
      paidFee: '2000',
      note: '报名费',
    });
    expect(paid.statusCode).toBe(200);
    expect(paid.json().classes).toEqual([{ classId: 1, status: 'active' }]);
    expect(await customer(id)).toMatchObject({ status: 'enrolled', releaseAt: null });
    expect((await periods(id))[0]).toMatchObject({ status: 'enrolled', endedAt: addDays(T0, 1) });

    setClock(addDays(T0, 60));
    await api('admin', 'POST', '/api/admin/sweep');
    expect(await customer(id)).toMatchObject({ status: 'enrolled', consultantId: await userId('sanjiang') });
    expect(await poolIds('baoyu')).not.toContain(id);

    const withdraw = await api('sanjiang', 'POST', '/api/payments', {
      customerId: id,
      classId: 1,
      payType: 'withdraw',
      paidFee: '500',
    });
    expect(withdraw.json().classes).toEqual([{ classId: 1, status: 'withdrawn' }]);
    expect((await customer(id)).status).toBe('enrolled');
    const [student] = await db().select().from(students).where(eq(students.customerId, id));
    const memberships = await db()
      .select()
      .from(studentClasses)
      .where(eq(studentClasses.studentId, student!.id));
    expect(memberships.map((m) => m.status)).toEqual(['withdrawn']);

    expect(
      (
        await api('sanjiang', 'POST', '/api/payments', {
          customerId: id,
          classId: 99999,
          payType: 'tuition',
          paidFee: '1',
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await api('sanjiang', 'POST', '/api/payments', {
          customerId: id,
          classId: 1,
          payType: 'tuition',
          paidFee: '-1',
        })
      ).statusCode,
    ).toBe(400);
  });
});

describe('reassignment and my customers', () => {
  it('hands customers on with a reason, and lists a consultant’s periods following first', async () => {
    const id = await ownedCustomer('sanjiang', T0);
    setClock(addDays(T0, 1));
    const dasha = await userId('dasha');
    const noReason = await api('manager', 'POST', '/api/customers/actions/reassign', {
      ids: [id],
      consultantId: dasha,
      reason: ' ',
    });
    expect(noReason.statusCode).toBe(400);
    const moved = await api('manager', 'POST', '/api/customers/actions/reassign', {
      ids: [id],
      consultantId: dasha,
      reason: '三江休假',
    });
    expect(moved.statusCode).toBe(200);
    const [old, fresh] = await periods(id);
    expect(old).toMatchObject({ status: 'reassigned', memo: '三江休假', endedAt: addDays(T0, 1) });
    expect(fresh).toMatchObject({ consultantId: dasha, via: 'manual', status: 'following' });
    expect(
      (
        await api('sanjiang', 'POST', '/api/customers/actions/reassign', {
          ids: [id],
          consultantId: dasha,
          reason: 'x',
        })
      ).statusCode,
    ).toBe(403);

    const mine = (await api('dasha', 'GET', '/api/my-customers?pageSize=200')).json().items as {
      status: string;
      customerId: number;
      daysLeft: number | null;
    }[];
    const rank = (status: string) => (status === 'following' ? 0 : status === 'enrolled' ? 2 : 1);
    expect(mine.map((d) => rank(d.status))).toEqual([...mine.map((d) => rank(d.status))].sort());
    expect(mine.find((d) => d.customerId === id)?.daysLeft).toBe(3);
  });
});

describe('pool settings', () => {
  it('validates, and recomputes every owned customer’s deadline when the days change', async () => {
    expect((await api('manager', 'GET', '/api/settings/pool')).json()).toMatchObject({
      followUpDays: 3,
      dealDays: 15,
    });
    const bad = await api('admin', 'PUT', '/api/settings/pool', {
      followUpDays: 0,
      dealDays: 15,
      previousOwnerCooldownDays: null,
      dailyGrabLimit: -1,
      maxOwned: 0,
      remindDaysBefore: 1,
    });
    expect(bad.statusCode).toBe(400);
    const id = await ownedCustomer('sanjiang', T0);
    const saved = await api('admin', 'PUT', '/api/settings/pool', {
      followUpDays: 5,
      dealDays: 15,
      previousOwnerCooldownDays: null,
      dailyGrabLimit: 0,
      maxOwned: 0,
      remindDaysBefore: 1,
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().recomputed).toBeGreaterThan(0);
    expect((await customer(id)).releaseAt).toEqual(addDays(T0, 5));
    await api('admin', 'PUT', '/api/settings/pool', { ...saved.json().settings, followUpDays: 3 });
    expect((await customer(id)).releaseAt).toEqual(addDays(T0, 3));
  });
});
