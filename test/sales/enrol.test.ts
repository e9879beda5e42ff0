import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { addDays, setClock } from '../../server/clock.ts';
import { studentClasses, students } from '../../server/db/schema/index.ts';
import { salesSchool, T0 } from './school.ts';

/** SPEC §3 through the API: a payment enrols the customer for good (test/enrolment.test.ts has the rest). */
const { db, api, userId, ownedCustomer, periods, customer, poolIds } = salesSchool();

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
