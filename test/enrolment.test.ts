import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, setClock } from '../server/clock.ts';
import {
  courses,
  customers,
  paymentRecords,
  schools,
  studentClasses,
  students,
} from '../server/db/schema/index.ts';
import { maskContact } from '../server/modules/customers/contacts.ts';
import { makeClass, makeCustomer, userIdOf } from './factories.ts';
import { salesSchool, T0 } from './sales/school.ts';

/**
 * The sale's last steps through the API: a payment into a class open for enrolment (or not), what
 * its answer says, the student it makes, what finance is shown to confirm, and a customer's page
 * for the consultant who owned it once.
 */
const { api, db } = salesSchool();
const shanghai = (local: string) => new Date(`${local}+08:00`);
let schoolId = 0;
let pythonId = 0;
/** A demo class, open all through these tests. */
let openClass = 0;

/** A new customer owned by `username` from `at` on, through the code every assignment uses. */
const ownedCustomer = async (username: string, at = T0, name?: string) =>
  (await makeCustomer(db(), { name, owner: await userIdOf(db(), username), at, source: 'website' })).id;

/** A class of Python全栈 that graduated (or graduates) on `graduateDate`, a school day. */
const pythonClass = (graduateDate: string | null) =>
  makeClass(db(), { schoolId, courseId: pythonId, startDate: '2025-09-01', graduateDate });

const pay = (who: string, customerId: number, classId: number, payType: string, paidFee = '1000') =>
  api(who, 'POST', '/api/payments', { customerId, classId, payType, paidFee });
const customerRow = async (id: number) =>
  (await db().select().from(customers).where(eq(customers.id, id)))[0]!;
const paymentsOf = (customerId: number) =>
  db().select().from(paymentRecords).where(eq(paymentRecords.customerId, customerId));
const studentOf = async (customerId: number) =>
  (await db().select().from(students).where(eq(students.customerId, customerId)))[0];

beforeAll(async () => {
  schoolId = (await db().select({ id: schools.id }).from(schools).limit(1))[0]!.id;
  pythonId = (await db().select().from(courses)).find((c) => c.name === 'Python全栈')!.id;
  openClass = (await pythonClass(null)).id;
});

describe('a payment', () => {
  it('says whether the customer is enrolled now, and names the student and the class', async () => {
    setClock(addDays(T0, 1));
    const id = await ownedCustomer('sanjiang', addDays(T0, 1), '报名甲');
    const first = await pay('sanjiang', id, openClass, 'deposit', '2000');
    expect(first.statusCode).toBe(200);
    const answer = first.json();
    const student = await studentOf(id);
    expect(answer).toMatchObject({
      enrolled: true,
      enrolledNow: true,
      customer: { id, name: '报名甲', status: 'enrolled' },
      class: { id: openClass, name: expect.stringMatching(/^Python全栈 \(\d+期\)$/) },
      student: { id: student!.id, name: '报名甲' },
      // What the answer said before stays.
      studentId: student!.id,
      classes: [{ classId: openClass, status: 'active' }],
      payment: { customerId: id, classId: openClass, payType: 'deposit', paidFee: '2000.00' },
    });
    expect(answer.class.nameEn).toMatch(/^Python全栈 \(term \d+\)$/);

    // The rest of the fee: still enrolled, but not by this payment; the same student.
    const second = (await pay('sanjiang', id, openClass, 'tuition', '17800')).json();
    expect(second).toMatchObject({ enrolled: true, enrolledNow: false, student: { id: student!.id } });

    // A refund is money only: the customer stays enrolled.
    expect((await pay('sanjiang', id, openClass, 'refund', '500')).json()).toMatchObject({
      enrolled: true,
      enrolledNow: false,
    });

    // The customer's page shows the student it became, with the class, to whoever reads the customer.
    expect((await api('sanjiang', 'GET', `/api/customers/${id}/student`)).json()).toEqual({
      student: {
        id: student!.id,
        classes: [{ id: openClass, name: answer.class.name, nameEn: answer.class.nameEn, status: 'active' }],
      },
    });
    expect((await api('baoyu', 'GET', `/api/customers/${id}/student`)).statusCode).toBe(404);
    const fresh = await ownedCustomer('sanjiang');
    expect((await api('sanjiang', 'GET', `/api/customers/${fresh}/student`)).json()).toEqual({
      student: null,
    });

    // The timeline's payments name their class.
    const timeline = (await api('sanjiang', 'GET', `/api/customers/${id}/timeline`)).json().items;
    const paid = timeline.filter((e: { kind: string }) => e.kind === 'payment');
    expect(paid).toHaveLength(3);
    for (const event of paid) {
      expect(event.detail.class).toEqual({
        id: openClass,
        name: answer.class.name,
        nameEn: answer.class.nameEn,
      });
    }
  });

  it('into a class that has graduated is refused for a newcomer, changing nothing', async () => {
    setClock(shanghai('2026-03-03T00:30:00'));
    const closed = await pythonClass('2026-03-02');
    const lastDay = await pythonClass('2026-03-03');
    const id = await ownedCustomer('sanjiang', addDays(T0, 1));
    for (const payType of ['deposit', 'tuition']) {
      const refused = await pay('sanjiang', id, closed.id, payType);
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({
        error: 'class_closed',
        params: { graduateDate: '2026-03-02' },
      });
    }
    expect(await paymentsOf(id)).toEqual([]);
    expect(await studentOf(id)).toBeUndefined();
    expect((await customerRow(id)).status).toBe('unregistered');

    // On its graduation day a class still takes a late enrolment.
    expect((await pay('sanjiang', id, lastDay.id, 'deposit')).json()).toMatchObject({ enrolledNow: true });
    // An enrolled student may not be transferred into a class that has graduated either.
    const transfer = await pay('sanjiang', id, closed.id, 'transfer');
    expect([transfer.statusCode, transfer.json().error]).toEqual([409, 'class_closed']);
    expect(await paymentsOf(id)).toHaveLength(1);
  });

  it('for a class that has graduated still records the money of those in it: the rest of the fee, a withdrawal, a refund', async () => {
    setClock(addDays(T0, 1));
    const klass = await pythonClass('2026-04-30');
    const id = await ownedCustomer('sanjiang', addDays(T0, 1));
    expect((await pay('sanjiang', id, klass.id, 'deposit', '2000')).statusCode).toBe(200);

    setClock(shanghai('2026-05-10T10:00:00'));
    const late = await pay('sanjiang', id, klass.id, 'tuition', '17800');
    expect([late.statusCode, late.json().enrolled]).toEqual([200, true]);
    const refund = await pay('sanjiang', id, klass.id, 'refund', '300');
    expect(refund.statusCode).toBe(200);
    const withdraw = await pay('sanjiang', id, klass.id, 'withdraw', '0');
    expect(withdraw.json().classes).toEqual([{ classId: klass.id, status: 'withdrawn' }]);
    // Gone from the class, they are a newcomer to it again.
    const again = await pay('sanjiang', id, klass.id, 'tuition', '100');
    expect([again.statusCode, again.json().error]).toEqual([409, 'class_closed']);
    const student = await studentOf(id);
    expect(
      (
        await db()
          .select()
          .from(studentClasses)
          .where(and(eq(studentClasses.studentId, student!.id), eq(studentClasses.classId, klass.id)))
      ).map((m) => m.status),
    ).toEqual(['withdrawn']);
  });

  it('shows finance what they confirm: whose, which class, what kind, how much and who signed it', async () => {
    const id = await ownedCustomer('baoyu', T0, '待确认客户');
    const paid = (await pay('baoyu', id, openClass, 'deposit', '2500')).json();
    const meta = (await api('finance', 'GET', '/api/meta/payment-records')).json();
    const confirm = meta.actions.find((a: { name: string }) => a.name === 'confirm');
    expect(confirm.confirmFields).toEqual([
      'customerId',
      'classId',
      'payType',
      'paidFee',
      'consultantId',
      'paidAt',
    ]);
    const keys = meta.fields.map((f: { key: string }) => f.key);
    for (const key of confirm.confirmFields) expect(keys).toContain(key);

    // Filters finance can use: not by customer, whose names they may not search.
    const filters = (who: string) =>
      api(who, 'GET', '/api/meta/payment-records').then((r) =>
        r
          .json()
          .fields.filter((f: { filter?: string }) => f.filter)
          .map((f: { key: string }) => f.key),
      );
    expect(await filters('finance')).not.toContain('customerId');
    expect(await filters('finance')).toEqual(expect.arrayContaining(['classId', 'consultantId', 'payType']));
    expect(await filters('baoyu')).toContain('customerId');

    const row = (await api('finance', 'GET', `/api/payment-records/${paid.payment.id}`)).json();
    expect(row).toMatchObject({
      customer: { id, name: '待确认客户' },
      class: { id: openClass, name: paid.class.name, nameEn: paid.class.nameEn },
      consultant: { id: await userIdOf(db(), 'baoyu'), name: '暴雨' },
      payType: 'deposit',
      paidFee: '2500.00',
      confirmedAt: null,
    });
  });
});

describe("a former owner's view of a customer", () => {
  it('is read-only and masked as in the pool, with only their own part of the story', async () => {
    setClock(addDays(T0, 1));
    const id = await ownedCustomer('sanjiang', addDays(T0, 1), '旧客户');
    await api('sanjiang', 'POST', `/api/customers/${id}/consult-records`, {
      note: '三江的回访',
      channel: 'phone',
    });
    await api('sanjiang', 'PATCH', `/api/customers/${id}`, { note: '想学Python' });
    setClock(addDays(T0, 2));
    const handed = await api('manager', 'POST', '/api/customers/actions/reassign', {
      ids: [id],
      consultantId: await userIdOf(db(), 'baoyu'),
      reason: '三江调岗',
    });
    expect(handed.json().affected).toBe(1);
    setClock(addDays(T0, 3));
    await api('baoyu', 'POST', `/api/customers/${id}/consult-records`, {
      note: '暴雨得知新号码',
      channel: 'wechat',
    });
    expect((await api('baoyu', 'PATCH', `/api/customers/${id}`, { phone: '13912345678' })).statusCode).toBe(
      200,
    );

    // The page reads, marked read-only, every contact masked, none of the current owner's clocks.
    const read = await api('sanjiang', 'GET', `/api/customers/${id}`);
    expect(read.statusCode).toBe(200);
    const seen = read.json();
    const row = await customerRow(id);
    expect(seen).toMatchObject({
      id,
      name: '旧客户',
      access: 'former_owner',
      phone: '139****5678',
      qq: maskContact(row.qq),
      note: '想学Python',
      consultant: { name: '暴雨' },
      recvAt: null,
      lastConsultAt: null,
      releaseAt: null,
    });
    // The owner's own read says nothing of the kind, and shows the number.
    const owners = (await api('baoyu', 'GET', `/api/customers/${id}`)).json();
    expect(owners.access).toBeUndefined();
    expect(owners.phone).toBe('13912345678');

    // Their own periods and follow-ups and edits; not the new owner's, nor what they learnt.
    const story = (await api('sanjiang', 'GET', `/api/customers/${id}/timeline`)).json().items as {
      kind: string;
      user: { name: string } | null;
      detail: Record<string, unknown>;
    }[];
    expect(story.map((e) => e.kind).sort()).toEqual([
      'change',
      'follow_up',
      'ownership_ended',
      'ownership_started',
    ]);
    expect(story.every((e) => e.user?.name === '三江')).toBe(true);
    expect(JSON.stringify(story)).not.toContain('暴雨得知新号码');
    expect(JSON.stringify(story)).not.toContain('13912345678');
    expect(JSON.stringify(story)).not.toContain(row.qq!);
    const whole = (await api('baoyu', 'GET', `/api/customers/${id}/timeline`)).json().items;
    expect(whole.length).toBeGreaterThan(story.length);

    // Writes stay refused, and no list shows the customer.
    expect((await api('sanjiang', 'PATCH', `/api/customers/${id}`, { note: '改一下' })).statusCode).toBe(404);
    expect(
      (
        await api('sanjiang', 'POST', `/api/customers/${id}/consult-records`, {
          note: '再联系',
          channel: 'phone',
        })
      ).statusCode,
    ).toBe(404);
    expect((await pay('sanjiang', id, openClass, 'deposit')).statusCode).toBe(404);
    expect((await api('sanjiang', 'GET', `/api/customers/${id}/student`)).statusCode).toBe(404);
    expect((await api('sanjiang', 'GET', '/api/customers?q=旧客户')).json().total).toBe(0);
    expect((await customerRow(id)).note).toBe('想学Python');

    // Someone who never owned it still gets "not found or no access".
    expect((await api('dasha', 'GET', `/api/customers/${id}`)).statusCode).toBe(404);
    expect((await api('dasha', 'GET', `/api/customers/${id}/timeline`)).statusCode).toBe(404);
    expect((await api('finance', 'GET', `/api/customers/${id}`)).statusCode).toBe(403);
  });

  it('holds for a customer released into the pool too', async () => {
    setClock(addDays(T0, 1));
    const id = await ownedCustomer('dasha', addDays(T0, 1), '冷客户');
    setClock(addDays(T0, 5));
    expect((await api('admin', 'POST', '/api/admin/sweep')).json().released).toBeGreaterThanOrEqual(1);
    const seen = (await api('dasha', 'GET', `/api/customers/${id}`)).json();
    expect(seen).toMatchObject({
      id,
      access: 'former_owner',
      consultant: null,
      phone: expect.stringContaining('****'),
    });
    const story = (await api('dasha', 'GET', `/api/customers/${id}/timeline`)).json().items;
    expect(story.map((e: { kind: string }) => e.kind).sort()).toEqual([
      'ownership_ended',
      'ownership_started',
    ]);
    expect((await api('baoyu', 'GET', `/api/customers/${id}`)).statusCode).toBe(404);
  });
});
