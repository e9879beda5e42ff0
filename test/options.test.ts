import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClock } from '../server/clock.ts';
import { queryRows } from '../server/db/client.ts';
import { classes, courses, schools, users } from '../server/db/schema/index.ts';
import { isOpenForEnrolment, openForEnrolmentSql } from '../server/modules/classes/rules.ts';
import { seedDemo } from '../server/seed/demo.ts';
import { buildTestApp, call, type Session, signIn, type TestApp } from './app.ts';
import { makeClass } from './factories.ts';

/**
 * The names-only options that pickers and labels read (`GET /api/options/courses|classes|users`):
 * who may read them, what they answer, and that the lists they stand beside stay as scoped as before.
 */
const PASSWORD = 'options-password';
let t: TestApp;
const s: Record<string, Session> = {};
const get = (who: string | null, url: string) => call(t.app, who ? s[who]! : null, 'GET', url);
const db = () => t.database.db;
const shanghai = (local: string) => new Date(`${local}+08:00`);
const T0 = shanghai('2026-03-02T12:00:00');
let schoolId = 0;
let pythonId = 0;

type Option = { id: number; name: string; nameEn?: string };
const items = async (who: string | null, url: string): Promise<Option[]> => {
  const answer = await get(who, url);
  expect(answer.statusCode, `${who} GET ${url}: ${answer.body}`).toBe(200);
  return answer.json().items;
};

/** A class of Python全栈 graduating on `graduateDate` (school days), with a term no demo class has. */
const pythonClass = async (graduateDate: string | null): Promise<number> =>
  (await makeClass(db(), { schoolId, courseId: pythonId, startDate: '2025-09-01', graduateDate })).id;

beforeAll(async () => {
  t = await buildTestApp({ testClock: true });
  await seedDemo(db(), { password: PASSWORD, at: T0 });
  for (const who of ['admin', 'manager', 'sanjiang', 'teacher', 'finance']) {
    s[who] = await signIn(t.app, who, PASSWORD);
  }
  schoolId = (await db().select({ id: schools.id }).from(schools).limit(1))[0]!.id;
  pythonId = (await db().select().from(courses)).find((c) => c.name === 'Python全栈')!.id;
});
afterEach(() => setClock(null));
afterAll(async () => t?.close());

describe('course names for pickers', () => {
  it('give a consultant the 咨询课程 they may pick, while the course administration stays closed to them', async () => {
    expect((await get('sanjiang', '/api/courses')).statusCode).toBe(403);
    const all = await items('sanjiang', '/api/options/courses');
    const demo = await db().select({ id: courses.id, name: courses.name }).from(courses).orderBy(courses.id);
    expect(all).toEqual(demo);
    expect((await items('sanjiang', '/api/options/courses?q=python')).map((c) => c.name)).toEqual([
      'Python全栈',
    ]);
    const [first, second] = demo;
    expect(
      (await items('finance', `/api/options/courses?id=${second!.id},${first!.id},99999`)).sort(
        (a, b) => a.id - b.id,
      ),
    ).toEqual([first, second]);
    expect(await items('sanjiang', '/api/options/courses?q=%25')).toEqual([]);
    expect(await items('sanjiang', '/api/options/courses?pageSize=1')).toEqual([first]);
  });

  it('answer nobody who is not signed in, and refuse what is not a list of ids', async () => {
    for (const url of ['/api/options/courses', '/api/options/classes', '/api/options/users']) {
      expect((await get(null, url)).statusCode).toBe(401);
    }
    expect((await get('sanjiang', '/api/options/courses?id=1;drop')).statusCode).toBe(400);
    expect((await get('sanjiang', '/api/options/classes?open=maybe')).statusCode).toBe(400);
    expect((await get('sanjiang', '/api/options/courses?sort=name')).statusCode).toBe(400);
  });
});

describe('class names for pickers and labels', () => {
  it('name a class in both languages to anyone signed in, and nothing more, while the class list stays scoped', async () => {
    const [py9] = await items('finance', '/api/options/classes?q=9期');
    expect(py9).toEqual({ id: expect.any(Number), name: 'Python全栈 (9期)', nameEn: 'Python全栈 (term 9)' });
    // Finance could not name the class of the payments they confirm; a consultant neither.
    expect((await get('finance', `/api/classes/${py9!.id}`)).statusCode).toBe(403);
    expect((await get('sanjiang', `/api/classes/${py9!.id}`)).statusCode).toBe(403);
    expect(await items('sanjiang', `/api/options/classes?id=${py9!.id}`)).toEqual([py9]);

    // The teacher's list keeps to the two classes they teach; the names cover all three.
    const taught = (await get('teacher', '/api/classes?pageSize=200')).json();
    expect(taught.total).toBe(2);
    const named = await items('teacher', '/api/options/classes?pageSize=200');
    expect(named.length).toBe((await db().select().from(classes)).length);
    for (const option of named) expect(Object.keys(option).sort()).toEqual(['id', 'name', 'nameEn']);

    expect((await items('sanjiang', '/api/options/classes?q=linux')).map((c) => c.nameEn)).toEqual([
      'Linux运维 (term 3)',
    ]);
  });

  it("offer only classes open for enrolment with open=true, counting days in the school's time zone", async () => {
    const graduatedYesterday = await pythonClass('2026-03-02');
    const graduatesToday = await pythonClass('2026-03-03');
    const undated = await pythonClass(null);
    // 00:30 on 3 March in Shanghai is still 2 March in UTC: the school's day decides.
    setClock(shanghai('2026-03-03T00:30:00'));
    const open = (await items('sanjiang', '/api/options/classes?open=true&pageSize=200')).map((c) => c.id);
    expect(open).toContain(graduatesToday);
    expect(open).toContain(undated);
    expect(open).not.toContain(graduatedYesterday);
    // Every demo class is still running.
    expect(open.length).toBe((await db().select().from(classes)).length - 1);
    // A label names whatever a record points at, closed or not.
    expect((await items('sanjiang', `/api/options/classes?id=${graduatedYesterday}&open=true`)).length).toBe(
      1,
    );
    expect((await items('sanjiang', '/api/options/classes?pageSize=200')).map((c) => c.id)).toContain(
      graduatedYesterday,
    );
  });

  it('decide openness the same way in TypeScript and in SQL', async () => {
    const dates = [null, '2026-01-31', '2026-02-28', '2026-03-01', '2026-03-02', '2027-01-01'];
    const ids = new Map<number, string | null>();
    for (const date of dates) ids.set(await pythonClass(date), date);
    for (const today of ['2026-02-28', '2026-03-01', '2026-03-02', '2026-12-31']) {
      const rows = await queryRows<{ id: number; open: boolean }>(
        db(),
        sql`select ${classes.id} as id, ${openForEnrolmentSql(today)} as open from ${classes}
            where ${classes.id} in (${sql.join([...ids.keys()], sql`, `)})`,
      );
      for (const row of rows) {
        expect(row.open, `graduating ${ids.get(row.id)}, on ${today}`).toBe(
          isOpenForEnrolment(ids.get(row.id) ?? null, today),
        );
      }
    }
  });
});

describe('staff names for pickers', () => {
  it('search active staff and name any given ids, without opening user administration', async () => {
    expect((await get('sanjiang', '/api/users')).statusCode).toBe(403);
    expect((await items('sanjiang', '/api/options/users?q=三江')).map((u) => u.name)).toEqual(['三江']);
    const [admin] = await db()
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(sql`username = 'admin'`);
    expect(await items('finance', `/api/options/users?id=${admin!.id}`)).toEqual([admin]);
  });

  it('offer only staff who may own customers where a consultant is chosen to give them to', async () => {
    const everyone = (await items('manager', '/api/options/users?pageSize=50')).map((u) => u.name);
    const owners = (await items('manager', '/api/options/users?owners=true&pageSize=50')).map((u) => u.name);
    expect(everyone).toEqual(expect.arrayContaining(['钱会计', '李老师', '三江']));
    expect(owners).toEqual(expect.arrayContaining(['三江', '暴雨', '大傻']));
    expect(owners).not.toContain('钱会计');
    expect(owners).not.toContain('李老师');
    const meta = (await get('manager', '/api/meta/customers')).json() as {
      fields: { key: string; refParams?: Record<string, string> }[];
    };
    expect(meta.fields.find((f) => f.key === 'consultantId')?.refParams).toEqual({ owners: 'true' });
  });
});
