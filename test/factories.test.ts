import { asc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { permissionCodes } from '../server/auth/catalogue.ts';
import { setClock } from '../server/clock.ts';
import { customerDistributions, customers, paymentRecords, studyRecords } from '../server/db/schema/index.ts';
import { demoRoleGrants } from '../server/seed/demo/staff.ts';
import { buildTestApp, call, type Method, type Session, signIn, type TestApp } from './app.ts';
import {
  makeClass,
  makeCourse,
  makeCustomer,
  makeLesson,
  makePayment,
  makeSchool,
  makeUser,
  TEST_PASSWORD,
} from './factories.ts';

/**
 * The factories make what the API makes: each record built both ways, at the same instant, reads
 * the same. Tests built on the factories then stand on the product's rules, not on a guess of them.
 */
const AT = new Date('2026-03-02T04:00:00.000Z');
let t: TestApp;
let boss: Session;
let consultantId: number;
const db = () => t.database.db;
const api = (method: Method, url: string, payload?: object) => call(t.app, boss, method, url, payload);

/** A customer and its periods of ownership, leaving out what names it. */
const ownership = async (customerId: number) => {
  const [row] = await db().select().from(customers).where(eq(customers.id, customerId));
  const { id, name, phone, qq, wechat, phoneNorm, qqNorm, wechatNorm, ...customer } = row!;
  const periods = await db()
    .select()
    .from(customerDistributions)
    .where(eq(customerDistributions.customerId, customerId))
    .orderBy(asc(customerDistributions.id));
  return { customer, periods: periods.map(({ id, customerId, ...period }) => period) };
};

beforeAll(async () => {
  t = await buildTestApp({ testClock: true, importWorker: false });
  const admin = await makeUser(db(), { codes: [...permissionCodes] });
  boss = await signIn(t.app, admin.username, TEST_PASSWORD);
  consultantId = (await makeUser(db(), { codes: [...demoRoleGrants.consultant] })).id;
});
afterEach(() => setClock(null));
afterAll(async () => t?.close());

describe('the factories', () => {
  it('own a customer as 录入 gives one to a consultant, and leave one nobody took in the pool', async () => {
    setClock(AT);
    const given = await api('POST', '/api/customers', { name: '甲', phone: '13912345678', consultantId });
    expect(given.statusCode, given.body).toBe(201);
    const made = await makeCustomer(db(), { owner: consultantId, via: 'manual', at: AT });
    expect(await ownership(made.id)).toEqual(await ownership(given.json().id));

    // Nobody in 销售权重: the rotation gives it to nobody.
    const unowned = await api('POST', '/api/customers', { name: '乙', phone: '13912345679' });
    expect(unowned.statusCode, unowned.body).toBe(201);
    const pooled = await makeCustomer(db(), { at: AT });
    expect(await ownership(pooled.id)).toEqual(await ownership(unowned.json().id));
  });

  it('make a class as the class form does', async () => {
    const school = await makeSchool(db());
    const course = await makeCourse(db(), 'Python全栈');
    const values = {
      schoolId: school.id,
      courseId: course.id,
      startDate: '2026-03-09',
      tutorId: consultantId,
    };
    const created = await api('POST', '/api/classes', { ...values, semester: 9, teacherIds: [consultantId] });
    expect(created.statusCode, created.body).toBe(201);
    const made = await makeClass(db(), { ...values, semester: 10, teacherIds: [consultantId] });
    // The same but for the term, which a class of the course at the campus has only once.
    const shown = async (classId: number) => {
      const { id, semester, label, createdAt, updatedAt, ...rest } = (
        await api('GET', `/api/classes/${classId}`)
      ).json();
      return { ...rest, label: String(label).replace(/\d+期/, 'N期') };
    };
    expect(await shown(made.id)).toEqual(await shown(created.json().id));
  });

  it('make a lesson with a study record for each active student, as creating one does', async () => {
    setClock(AT);
    const klass = await makeClass(db(), { startDate: '2026-03-01' });
    const pay = async (customerId: number, payType: 'deposit' | 'withdraw') => {
      const paid = await api('POST', '/api/payments', {
        customerId,
        classId: klass.id,
        payType,
        paidFee: '100',
      });
      expect(paid.statusCode, paid.body).toBe(200);
    };
    // Two students of the class, one of whom withdrew.
    const stays = await makeCustomer(db(), { owner: consultantId });
    const leaves = await makeCustomer(db(), { owner: consultantId });
    await pay(stays.id, 'deposit');
    await pay(leaves.id, 'deposit');
    await pay(leaves.id, 'withdraw');
    const created = await api('POST', '/api/course-records', {
      classId: klass.id,
      dayNum: 1,
      date: '2026-03-02',
    });
    expect(created.statusCode, created.body).toBe(201);
    const made = await makeLesson(db(), { classId: klass.id, at: AT });
    expect(made).toMatchObject({ dayNum: 2, date: '2026-03-02' });
    const records = async (lessonId: number) =>
      (
        await db()
          .select()
          .from(studyRecords)
          .where(eq(studyRecords.courseRecordId, lessonId))
          .orderBy(asc(studyRecords.studentId))
      ).map(({ id, courseRecordId, ...record }) => record);
    const expected = await records(created.json().id);
    expect(expected).toHaveLength(1);
    expect(await records(made.id)).toEqual(expected);
  });

  it('record a payment as the payments API records one, signed by whoever owns the customer', async () => {
    setClock(AT);
    const klass = await makeClass(db());
    const customerId = (await makeCustomer(db(), { owner: consultantId })).id;
    const paid = await api('POST', '/api/payments', {
      customerId,
      classId: klass.id,
      payType: 'deposit',
      paidFee: '1000',
    });
    expect(paid.statusCode, paid.body).toBe(200);
    const made = await makePayment(db(), { customerId, classId: klass.id, payType: 'tuition' });
    const [viaApi] = await db()
      .select()
      .from(paymentRecords)
      .where(eq(paymentRecords.id, paid.json().payment.id));
    const record = ({ id, payType, ...rest }: typeof made) => rest;
    expect(record(made)).toEqual(record(viaApi!));
    expect(made.consultantId).toBe(consultantId);
  });
});
