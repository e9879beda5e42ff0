import { and, asc, eq, gt } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { addDays, setClock } from '../../server/clock.ts';
import { customers, notifications } from '../../server/db/schema/index.ts';
import { salesSchool, T0 } from './school.ts';

/**
 * SPEC §3 through the API: a follow-up moves an owned customer's release deadline (within the deal
 * deadline), and the nightly sweep releases customers at it, telling and reminding their owners.
 */
const { db, api, userId, ownedCustomer, periods, customer } = salesSchool();

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
