import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setClock } from '../server/clock.ts';
import { customerDistributions, customers } from '../server/db/schema/index.ts';
import { runDueJobs } from '../server/jobs/daily.ts';
import { dailyJobs } from '../server/jobs/schedule.ts';
import { buildTestApp, call, type Method, type Session, signIn, type TestApp } from './app.ts';
import { makeClass, makeCourse, makeCustomer, makeSchool, makeUser, TEST_PASSWORD } from './factories.ts';

/**
 * The seed project's own story (docs/spec.md §3), told through the API with the test clock: 三江 receives
 * 龙泰 on 2018-05-18 at noon and never calls; three days later 暴雨 and 大傻 race for him; the
 * winner calls every day but never closes, so fifteen days after receiving him the nightly sweep
 * releases him for no deal; the other grabs him and enrols him.
 */
let t: TestApp;
const s: Record<string, Session> = {};
const api = (who: string, method: Method, url: string, payload?: object) =>
  call(t.app, s[who]!, method, url, payload);
const shanghai = (local: string) => new Date(`${local}+08:00`);
const clockTo = async (local: string) => {
  const answer = await call(t.app, null, 'PUT', '/api/test/clock', { now: shanghai(local).toISOString() });
  expect(answer.statusCode).toBe(200);
};

beforeAll(async () => {
  t = await buildTestApp({ testClock: true });
  for (const [username, name] of [
    ['sanjiang', '三江'],
    ['baoyu', '暴雨'],
    ['dasha', '大傻'],
  ] as const) {
    await makeUser(t.database.db, {
      username,
      name,
      codes: [
        'customer.list',
        'pool.list',
        'customer.grab',
        'my_customer.list',
        'consult_record.create',
        'payment_record.create',
        'class.list',
      ],
    });
    s[username] = await signIn(t.app, username, TEST_PASSWORD);
  }
  await makeUser(t.database.db, {
    username: 'boss',
    codes: ['admin.sweep', 'report.performance', 'report.performance_all'],
  });
  s.boss = await signIn(t.app, 'boss', TEST_PASSWORD);
});
afterAll(async () => {
  setClock(null);
  await t?.close();
});

describe('龙泰', () => {
  it('passes from 三江 to the pool, to the faster of 暴雨 and 大傻, back to the pool, and is enrolled by the other', async () => {
    const db = t.database.db;
    const { id } = await makeCustomer(db, {
      name: '龙泰',
      phone: '13912345678',
      source: 'referral',
      owner: s.sanjiang!.userId,
      at: shanghai('2018-05-18T12:00:00'),
    });

    // Three days without a call: a minute before, he is still 三江's; at noon he is public.
    await clockTo('2018-05-21T11:59:00');
    expect((await api('baoyu', 'GET', '/api/pool')).json().total).toBe(0);
    await clockTo('2018-05-21T12:00:00');
    const pool = (await api('baoyu', 'GET', '/api/pool')).json();
    expect(pool.items).toMatchObject([
      { id, releasedReason: 'no_followup', previousConsultant: { name: '三江' } },
    ]);
    expect((await api('sanjiang', 'POST', `/api/pool/${id}/grab`)).json().error).toBe('previous_owner');

    // 暴雨 and 大傻 click at the same moment: one wins, the other is told it is taken.
    const [baoyu, dasha] = await Promise.all([
      api('baoyu', 'POST', `/api/pool/${id}/grab`),
      api('dasha', 'POST', `/api/pool/${id}/grab`),
    ]);
    expect([baoyu.statusCode, dasha.statusCode].sort()).toEqual([200, 409]);
    const [winner, other] = baoyu.statusCode === 200 ? ['baoyu', 'dasha'] : ['dasha', 'baoyu'];

    // The winner calls every morning, so the three-day rule never fires…
    for (let day = 22; day <= 35; day++) {
      const date = new Date(Date.UTC(2018, 4, day));
      await clockTo(`${date.toISOString().slice(0, 10)}T10:00:00`);
      const called = await api(winner, 'POST', `/api/customers/${id}/consult-records`, {
        note: '电话沟通，还在考虑',
      });
      expect(called.json().clockMoved, `call on May ${day}`).toBe(true);
      await runDueJobs(db, dailyJobs(db), { timezone: 'Asia/Shanghai' });
    }
    expect((await db.select().from(customers).where(eq(customers.id, id)))[0]!.consultantId).toBe(
      s[winner]!.userId,
    );
    const mine = (await api(winner, 'GET', '/api/my-customers')).json().items;
    expect(mine[0]).toMatchObject({ customerId: id, status: 'following' });
    expect(mine[0].daysLeft).toBeGreaterThan(0);

    // …but fifteen days after receiving him there is no deal: the sweep at 00:05 releases him.
    await clockTo('2018-06-05T11:00:00');
    await api(winner, 'POST', `/api/customers/${id}/consult-records`, { note: '再跟一次' });
    await clockTo('2018-06-06T00:05:00');
    await runDueJobs(db, dailyJobs(db), { timezone: 'Asia/Shanghai' });
    const periods = await db
      .select()
      .from(customerDistributions)
      .where(eq(customerDistributions.customerId, id))
      .orderBy(customerDistributions.startedAt);
    expect(periods.map((p) => [p.status, p.via, p.endedAt])).toEqual([
      ['released_no_followup', 'assigned', shanghai('2018-05-21T12:00:00')],
      ['released_no_deal', 'grabbed', shanghai('2018-06-05T12:00:00')],
    ]);
    const pooled = (await api(other, 'GET', '/api/pool')).json().items;
    expect(pooled).toMatchObject([{ id, releasedReason: 'no_deal' }]);
    expect((await api(winner, 'GET', '/api/pool')).json().total).toBe(0);

    // The other consultant grabs him and he pays the deposit: enrolled, never public again.
    await clockTo('2018-06-06T09:30:00');
    expect((await api(other, 'POST', `/api/pool/${id}/grab`)).statusCode).toBe(200);
    const school = await makeSchool(db, '北京校区');
    const course = await makeCourse(db, 'Python全栈');
    const klass = await makeClass(db, {
      schoolId: school.id,
      courseId: course.id,
      semester: 9,
      startDate: '2018-07-01',
    });
    const paid = await api(other, 'POST', '/api/payments', {
      customerId: id,
      classId: klass.id,
      payType: 'deposit',
      paidFee: '2000',
    });
    expect(paid.statusCode).toBe(200);
    await clockTo('2018-07-01T00:05:00');
    await runDueJobs(db, dailyJobs(db), { timezone: 'Asia/Shanghai' });
    expect((await db.select().from(customers).where(eq(customers.id, id)))[0]).toMatchObject({
      status: 'enrolled',
      consultantId: s[other]!.userId,
      releaseAt: null,
    });
    expect((await api(other, 'GET', '/api/my-customers')).json().items[0]).toMatchObject({
      customerId: id,
      status: 'enrolled',
      daysLeft: null,
    });

    // June's performance: the other grabbed and enrolled him; the winner only followed him up.
    const june = (await api('boss', 'GET', '/api/reports/performance?month=2018-06')).json().items as {
      consultant: { name: string };
      grabbed: number;
      enrolled: number;
      followedUp: number;
    }[];
    const row = (who: string) => june.find((r) => r.consultant.name === (who === 'baoyu' ? '暴雨' : '大傻'));
    expect(row(other)).toMatchObject({ grabbed: 1, enrolled: 1 });
    expect(row(winner)).toMatchObject({ grabbed: 0, enrolled: 0, followedUp: 1 });
  });
});
