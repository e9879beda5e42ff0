import { and, asc, eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { addDays, setClock } from '../../server/clock.ts';
import { auditLog, courses, customers, notifications } from '../../server/db/schema/index.ts';
import { DEFAULT_POOL_RULES } from '../../server/modules/pool/rules.ts';
import { makeCustomer } from '../factories.ts';
import { salesSchool, T0 } from './school.ts';

/** SPEC §3 through the API: a customer falls into the pool, and a consultant grabs it, within the limits. */
const { db, api, userId, ownedCustomer, periods, customer, poolIds } = salesSchool();

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
