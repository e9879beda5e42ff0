import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addDays, setClock } from '../server/clock.ts';
import {
  classes,
  consultRecords,
  customerDistributions,
  customers,
  saleRanks,
} from '../server/db/schema/index.ts';
import { releaseDeadline } from '../server/modules/pool/rules.ts';
import { loadPoolSettings } from '../server/modules/pool/settings.ts';
import { poolSummary } from '../server/modules/reports/dashboard.ts';
import type { PerformanceRow } from '../server/modules/reports/performance.ts';
import { seedDemo } from '../server/seed/demo.ts';
import { buildTestApp, call, type Session, signIn, type TestApp } from './app.ts';
import { makeCustomer, makePayment, makeUser, setActive, TEST_PASSWORD, userIdOf } from './factories.ts';

/**
 * Month-end performance and the dashboard (docs/spec.md §3, §8) on a small history written at known instants
 * around the turn of October to November 2026 in Asia/Shanghai (UTC+8), where a UTC date and the
 * school's date differ for eight hours.
 */
const PASSWORD = 'reports-password';
let t: TestApp;
const s: Record<string, Session> = {};
const db = () => t.database.db;
const get = (who: string, url: string) => call(t.app, s[who]!, 'GET', url);

const shanghai = (local: string) => new Date(`${local}+08:00`);
const SEP_LAST = shanghai('2026-09-30T23:59:59.999');
const OCT_FIRST = shanghai('2026-10-01T00:00:00');
const OCT_LATE = shanghai('2026-10-31T23:30:00'); // 15:30 UTC on Oct 31
const NOV_FIRST = shanghai('2026-11-01T00:00:00'); // 16:00 UTC on Oct 31: November starts here
const NOV_EARLY = shanghai('2026-11-01T00:30:00'); // still Oct 31 in UTC
const NOV_MID = shanghai('2026-11-15T12:00:00');
const DEC_FIRST = shanghai('2026-12-01T00:00:00');
/** Demo data is all before its `at`, months before the scenario. */
const DEMO_AT = new Date('2026-03-02T04:00:00.000Z');

const id: Record<string, number> = {};
let classId = 0;
let serial = 0;

const userId = (username: string) => userIdOf(db(), username);

/** A customer of nobody's (not in the pool: no release_at) to hang history on. */
const customer = async (values: Partial<typeof customers.$inferInsert> = {}) =>
  (await makeCustomer(db(), { name: `业绩${++serial}`, releaseAt: null, releasedReason: null, ...values }))
    .id;

async function period(
  who: string,
  via: 'assigned' | 'imported' | 'grabbed' | 'manual',
  startedAt: Date,
  end: { status: 'released_no_followup' | 'reassigned' | 'enrolled'; at: Date } | null = null,
) {
  await db()
    .insert(customerDistributions)
    .values({
      customerId: await customer(),
      consultantId: id[who]!,
      via,
      startedAt,
      status: end?.status ?? 'following',
      endedAt: end?.at ?? null,
    });
}

async function followUp(who: string, customerId: number, at: Date) {
  await db().insert(consultRecords).values({ customerId, consultantId: id[who]!, at, note: '电话回访' });
}

async function payment(
  who: string,
  payType: 'deposit' | 'tuition' | 'transfer' | 'withdraw' | 'refund',
  paidFee: string,
  paidAt: Date,
) {
  await makePayment(db(), {
    customerId: await customer(),
    classId,
    payType,
    paidFee,
    paidAt,
    consultantId: id[who]!,
  });
}

/** A consultant's row as the API answers it. */
type Row = PerformanceRow;
const figures = (row: Row | undefined) => row && { ...row, consultant: row.consultant.name };
const zero = { received: 0, grabbed: 0, followedUp: 0, enrolled: 0, amount: '0.00' };

beforeAll(async () => {
  t = await buildTestApp({ timezone: 'Asia/Shanghai' });
  await seedDemo(db(), { password: PASSWORD, at: DEMO_AT });
  for (const who of ['admin', 'manager', 'sanjiang', 'baoyu', 'dasha', 'teacher', 'finance']) {
    s[who] = await signIn(t.app, who, PASSWORD);
    id[who] = await userId(who);
  }
  // A consultant who left: listed for the month they earned in, not for others.
  id.ghost = (await makeUser(db(), { name: '离职顾问', codes: ['customer.grab'], active: false })).id;
  id.idle = (await makeUser(db(), { name: '闲置顾问', codes: ['customer.grab'], active: false })).id;
  // May read the report (their own row) but is no consultant.
  const reader = await makeUser(db(), { name: '只看报表', codes: ['report.performance'] });
  s.reader = await signIn(t.app, reader.username, TEST_PASSWORD);
  id.reader = reader.id;
  classId = (await db().select({ id: classes.id }).from(classes).limit(1))[0]!.id;

  // 三江: October — received 1, grabbed 1, followed up 1, paid 500.00.
  //       November — received 2 (one at the very first instant), grabbed 1, followed up 2 customers
  //       (one of them twice), enrolled 2 (one grabbed in October), paid 12800.50 − 300.25 − 100.00.
  await period('sanjiang', 'assigned', OCT_LATE, { status: 'released_no_followup', at: NOV_EARLY });
  await period('sanjiang', 'grabbed', OCT_LATE, { status: 'enrolled', at: NOV_EARLY });
  await period('sanjiang', 'imported', NOV_EARLY);
  await period('sanjiang', 'manual', NOV_FIRST);
  await period('sanjiang', 'grabbed', NOV_EARLY, { status: 'enrolled', at: addDays(NOV_EARLY, 1) });
  await period('sanjiang', 'assigned', SEP_LAST, { status: 'reassigned', at: OCT_FIRST });
  const c1 = await customer();
  const c2 = await customer();
  await followUp('sanjiang', c1, OCT_LATE);
  await followUp('sanjiang', c1, NOV_EARLY);
  await followUp('sanjiang', c1, NOV_MID);
  await followUp('sanjiang', c2, NOV_FIRST);
  await payment('sanjiang', 'deposit', '500.00', OCT_LATE);
  await payment('sanjiang', 'tuition', '12800.50', NOV_EARLY);
  await payment('sanjiang', 'refund', '300.25', NOV_MID);
  await payment('sanjiang', 'withdraw', '100', NOV_MID);
  await payment('sanjiang', 'transfer', '999.00', NOV_MID);
  await payment('sanjiang', 'deposit', '7777.00', DEC_FIRST);

  // 暴雨: enrolled one in October (received in September); November — received 1, grabbed 1, 20000.00.
  await period('baoyu', 'assigned', SEP_LAST, { status: 'enrolled', at: OCT_LATE });
  await period('baoyu', 'assigned', NOV_EARLY);
  await period('baoyu', 'grabbed', NOV_MID);
  await payment('baoyu', 'deposit', '20000.00', NOV_MID);

  // 大傻: one follow-up at the first instant of October, one just before it.
  await followUp('dasha', c2, OCT_FIRST);
  await followUp('dasha', c2, SEP_LAST);

  // The consultant who left earned 100.00 in November.
  await payment('ghost', 'deposit', '100.00', NOV_EARLY);
});
afterEach(() => setClock(null));
afterAll(async () => t?.close());

describe('month-end performance', () => {
  it('counts every figure of November in Shanghai, the manager seeing everyone in order', async () => {
    const response = await get('manager', '/api/reports/performance?month=2026-11');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      month: '2026-11',
      from: '2026-10-31T16:00:00.000Z',
      to: '2026-11-30T16:00:00.000Z',
    });
    const rows = body.items.map(figures);
    // Amount first, then enrolments, then name. 大傻 sells and is listed at zero; the administrator
    // and the manager (who may grab, but oversee) are not, nor is the teacher.
    expect(rows).toEqual([
      { consultant: '暴雨', received: 1, grabbed: 1, followedUp: 0, enrolled: 0, amount: '20000.00' },
      { consultant: '三江', received: 2, grabbed: 1, followedUp: 2, enrolled: 2, amount: '12400.25' },
      { consultant: '离职顾问', ...zero, amount: '100.00' },
      { consultant: '大傻', ...zero },
    ]);
    expect(body.items[1].consultant.id).toBe(id.sanjiang);
    expect(body.totals).toEqual({ received: 3, grabbed: 2, followedUp: 2, enrolled: 2, amount: '32500.25' });
  });

  it('counts October apart: the last half hour of October is October, the first instant is too', async () => {
    const body = (await get('admin', '/api/reports/performance?month=2026-10')).json();
    const byName = Object.fromEntries(body.items.map((row: Row) => [row.consultant.name, figures(row)]));
    expect(byName.三江).toEqual({
      consultant: '三江',
      received: 1,
      grabbed: 1,
      followedUp: 1,
      enrolled: 0,
      amount: '500.00',
    });
    expect(byName.暴雨).toEqual({ consultant: '暴雨', ...zero, enrolled: 1 });
    expect(byName.大傻).toEqual({ consultant: '大傻', ...zero, followedUp: 1 });
    // Who left is listed only for a month they have a figure in; the idle one never.
    expect(byName.离职顾问).toBeUndefined();
    expect(byName.闲置顾问).toBeUndefined();
    expect(byName.只看报表).toBeUndefined();
    expect(body.items.map((row: Row) => row.consultant.name).slice(0, 3)).toEqual(['三江', '暴雨', '大傻']);
    expect(body.totals).toEqual({ received: 1, grabbed: 1, followedUp: 2, enrolled: 1, amount: '500.00' });
  });

  it('shows a consultant only their own row, and its totals', async () => {
    const body = (await get('sanjiang', '/api/reports/performance?month=2026-11')).json();
    expect(body.items.map(figures)).toEqual([
      { consultant: '三江', received: 2, grabbed: 1, followedUp: 2, enrolled: 2, amount: '12400.25' },
    ]);
    expect(body.totals).toEqual({ received: 2, grabbed: 1, followedUp: 2, enrolled: 2, amount: '12400.25' });
    // Someone without figures or the grab permission still sees their own (empty) row.
    const reader = (await get('reader', '/api/reports/performance?month=2026-11')).json();
    expect(reader.items.map(figures)).toEqual([{ consultant: '只看报表', ...zero }]);
    expect(reader.totals).toEqual(zero);
    expect((await get('teacher', '/api/reports/performance')).statusCode).toBe(403);
  });

  it('lists at zero only the people who sell: consultants and whoever is in 销售权重', async () => {
    const names = async () =>
      (await get('manager', '/api/reports/performance?month=2026-08'))
        .json()
        .items.map((row: Row) => row.consultant.name);
    // August: nobody did anything. The demo's three consultants, not the administrator or the manager.
    expect((await names()).sort()).toEqual(['三江', '大傻', '暴雨'].sort());

    // A role that may grab and see every customer is an overseer's; given a place in 销售权重 it sells.
    const lead = await makeUser(db(), { name: '销售组长', codes: ['customer.grab', 'customer.view_all'] });
    expect(await names()).not.toContain('销售组长');
    const [rank] = await db()
      .insert(saleRanks)
      .values({ consultantId: lead.id, weight: 0, dailyQuota: 0, active: false })
      .returning();
    expect(await names()).toContain('销售组长');
    // A consultant's role under another name: may grab, does not see everyone's customers.
    const junior = await makeUser(db(), { name: '新顾问', codes: ['customer.grab', 'my_customer.list'] });
    expect(await names()).toContain('新顾问');
    // Who has left is listed only where they have figures (the November test shows one).
    await setActive(db(), junior.id, false);
    await setActive(db(), lead.id, false);
    expect(await names()).not.toContain('新顾问');
    expect(await names()).not.toContain('销售组长');
    await db().delete(saleRanks).where(eq(saleRanks.id, rank!.id));

    // The manager who sold in a month is listed for it, with the figures.
    await payment('manager', 'deposit', '50.00', shanghai('2026-08-10T10:00:00'));
    const august = (await get('manager', '/api/reports/performance?month=2026-08')).json();
    expect(figures(august.items.find((row: Row) => row.consultant.id === id.manager))).toEqual({
      consultant: '王经理',
      ...zero,
      amount: '50.00',
    });
  });

  it("defaults to the school's current month, which can differ from the UTC month", async () => {
    setClock(NOV_EARLY);
    const body = (await get('manager', '/api/reports/performance')).json();
    expect(body.month).toBe('2026-11');
    expect(body.totals.amount).toBe('32500.25');
  });

  it('refuses a month that is not YYYY-MM with 400', async () => {
    for (const month of ['2026-13', '2026-00', '2026-1', '26-11', '2026-11-01', 'november', '']) {
      const response = await get('manager', `/api/reports/performance?month=${month}`);
      expect(response.statusCode, month).toBe(400);
      expect(response.json().error, month).toBe('validation');
    }
    expect((await get('manager', '/api/reports/performance?months=2026-11')).statusCode).toBe(400);
  });
});

describe('the dashboard', () => {
  it("gives a consultant their own customers and month, and nothing of the pool or the team's", async () => {
    setClock(NOV_MID);
    const soon = (hours: number) => new Date(NOV_MID.getTime() + hours * 3_600_000);
    const owned = { consultantId: id.sanjiang!, recvAt: NOV_MID, lastConsultAt: NOV_MID };
    await customer({ ...owned, releaseAt: soon(48) });
    await customer({ ...owned, releaseAt: soon(23) });
    await customer({ ...owned, releaseAt: soon(24) });
    await customer({ ...owned, releaseAt: soon(-1) }); // already public
    await customer({ ...owned, releaseAt: null, status: 'enrolled' });
    await customer({ consultantId: id.baoyu!, releaseAt: soon(5) });

    const response = await get('sanjiang', '/api/dashboard');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      month: '2026-11',
      mine: { following: 3, expiringWithinDay: 2, grabbedThisMonth: 1, enrolledThisMonth: 2 },
    });
  });

  it('gives a manager the pool by reason and the team of this month', async () => {
    setClock(NOV_MID);
    const body = (await get('manager', '/api/dashboard')).json();
    const report = (await get('manager', '/api/reports/performance?month=2026-11')).json();
    expect(body.month).toBe('2026-11');
    // The manager sells nothing himself: no row of his own zeros, the team's figures instead.
    expect(body.mine).toBeUndefined();
    expect(body.team).toEqual(report.items);
    expect(body.classes).toBeUndefined();

    // The pool as the pure rules see it, customer by customer.
    const rules = await loadPoolSettings(db());
    const expected = { no_followup: 0, no_deal: 0, unassigned: 0 };
    for (const c of await db().select().from(customers)) {
      if (c.status !== 'unregistered' || c.releaseAt === null || c.releaseAt > NOV_MID) continue;
      const recvAt = c.recvAt ?? c.lastConsultAt;
      const reason =
        c.consultantId === null
          ? ((c.releasedReason as keyof typeof expected | null) ?? 'unassigned')
          : recvAt === null
            ? 'no_followup'
            : releaseDeadline({ recvAt, lastConsultAt: c.lastConsultAt }, rules).reason;
      expected[reason]++;
    }
    const total = expected.no_followup + expected.no_deal + expected.unassigned;
    expect(total).toBeGreaterThan(50);
    expect(expected.no_followup + expected.no_deal).toBeGreaterThan(0);
    expect(body.pool).toEqual({ total, capped: false, byReason: expected });
  });

  it("gives whoever sees every customer the team's customers and month, and their own only when they have some", async () => {
    setClock(NOV_MID);
    const soon = (hours: number) => new Date(NOV_MID.getTime() + hours * 3_600_000);
    const owned = (who: string, hours: number) =>
      customer({ consultantId: id[who]!, recvAt: NOV_MID, lastConsultAt: NOV_MID, releaseAt: soon(hours) });
    await owned('baoyu', 10);
    await owned('dasha', 30);
    await owned('dasha', -2); // public already: nobody follows it

    // Everyone's, counted from the customers and the month's periods, consultant by consultant.
    const all = await db().select().from(customers);
    const following = all.filter(
      (c) =>
        c.consultantId !== null &&
        c.status === 'unregistered' &&
        c.releaseAt !== null &&
        c.releaseAt > NOV_MID,
    );
    const report = (await get('manager', '/api/reports/performance?month=2026-11')).json();
    const expected = {
      following: following.length,
      expiringWithinDay: following.filter((c) => c.releaseAt! <= soon(24)).length,
      grabbedThisMonth: report.items.reduce((n: number, row: Row) => n + row.grabbed, 0),
      enrolledThisMonth: report.items.reduce((n: number, row: Row) => n + row.enrolled, 0),
    };
    expect(expected.following).toBeGreaterThan(3);
    expect(expected.expiringWithinDay).toBeGreaterThanOrEqual(1);
    expect(expected).toMatchObject({ grabbedThisMonth: 2, enrolledThisMonth: 2 });
    const manager = (await get('manager', '/api/dashboard')).json();
    expect(manager.teamSummary).toEqual(expected);
    // The administrator sees every customer too, and sells nothing.
    const admin = (await get('admin', '/api/dashboard')).json();
    expect(admin.teamSummary).toEqual(expected);
    expect(admin.mine).toBeUndefined();
    expect(admin.classes).toBeUndefined();
    // Without the team's rows (no report.performance_all) the month is counted all the same.
    const overseer = await makeUser(db(), { codes: ['customer.view_all', 'customer.list'] });
    const seen = (
      await call(t.app, await signIn(t.app, overseer.username, TEST_PASSWORD), 'GET', '/api/dashboard')
    ).json();
    expect(seen).toEqual({ month: '2026-11', teamSummary: expected });
    // A consultant never gets the team's.
    expect((await get('sanjiang', '/api/dashboard')).json().teamSummary).toBeUndefined();

    // A manager who sells too: his own figures beside the team's.
    await owned('manager', 5);
    const selling = (await get('manager', '/api/dashboard')).json();
    expect(selling.mine).toEqual({
      following: 1,
      expiringWithinDay: 1,
      grabbedThisMonth: 0,
      enrolledThisMonth: 0,
    });
    expect(selling.teamSummary.following).toBe(expected.following + 1);
  });

  it('counts a large pool only so far, and says so', async () => {
    const full = await poolSummary(db(), NOV_MID);
    expect(full.capped).toBe(false);
    const capped = await poolSummary(db(), NOV_MID, 5);
    expect(capped.total).toBe(5);
    expect(capped.capped).toBe(true);
    // The reasons of the most recently released few: each no more than the whole pool's.
    for (const reason of ['no_followup', 'no_deal', 'unassigned'] as const) {
      expect(capped.byReason[reason]).toBeLessThanOrEqual(full.byReason[reason]);
    }
    expect((await poolSummary(db(), NOV_MID, full.total)).capped).toBe(false);
  });

  it('gives someone without sales pages no sales figures', async () => {
    expect(Object.keys((await get('finance', '/api/dashboard')).json())).toEqual(['month']);
    // A teacher gets their classes instead (test/teaching-home.test.ts).
    expect(Object.keys((await get('teacher', '/api/dashboard')).json())).toEqual(['month', 'classes']);
    expect((await call(t.app, null, 'GET', '/api/dashboard')).statusCode).toBe(401);
  });
});
