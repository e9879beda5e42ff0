import { describe, expect, it } from 'vitest';
import { addDays, setClock } from '../../server/clock.ts';
import { salesSchool, T0 } from './school.ts';

/** SPEC §3 through the API: a manager hands customers to another consultant, who sees them as theirs. */
const { api, userId, ownedCustomer, periods } = salesSchool();

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
