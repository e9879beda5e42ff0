import { describe, expect, it } from 'vitest';
import { addDays } from '../../server/clock.ts';
import { salesSchool, T0 } from './school.ts';

/** SPEC §3 through the API: the pool's rules, saved, move every owned customer's deadline. */
const { api, ownedCustomer, customer } = salesSchool();

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
