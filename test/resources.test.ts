import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIMEZONE } from '../server/config.ts';
import { queryRows } from '../server/db/client.ts';
import { classes, customers, studyRecords } from '../server/db/schema/index.ts';
import { resourceService } from '../server/engine/service.ts';
import { customersResource } from '../server/modules/customers/resource.ts';
import { seedDemo } from '../server/seed/demo.ts';
import { buildTestApp, call, type Method, type Session, signIn, type TestApp } from './app.ts';
import { userIdOf } from './factories.ts';

const PASSWORD = 'resources-password';
let t: TestApp;
const s: Record<string, Session> = {};
const api = (who: string, method: Method, url: string, payload?: object) =>
  call(t.app, s[who]!, method, url, payload);
const userId = (username: string) => userIdOf(t.database.db, username);

beforeAll(async () => {
  t = await buildTestApp();
  await seedDemo(t.database.db, { password: PASSWORD, at: new Date() });
  for (const who of ['admin', 'manager', 'sanjiang', 'baoyu', 'teacher', 'tutor', 'finance']) {
    s[who] = await signIn(t.app, who, PASSWORD);
  }
});
afterAll(async () => t?.close());

describe('customers', () => {
  it("shows a consultant only their own customers; another's answers 404 exactly like a missing one", async () => {
    const sanjiang = await userId('sanjiang');
    const mine = (await api('sanjiang', 'GET', '/api/customers?pageSize=200')).json();
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.items.every((c: { consultantId: number }) => c.consultantId === sanjiang)).toBe(true);
    const [theirs] = await t.database.db
      .select()
      .from(customers)
      .where(eq(customers.consultantId, await userId('baoyu')));
    const foreign = await api('sanjiang', 'GET', `/api/customers/${theirs!.id}`);
    const missing = await api('sanjiang', 'GET', '/api/customers/99999999');
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toEqual(missing.json());
    expect((await api('sanjiang', 'PATCH', `/api/customers/${theirs!.id}`, { note: 'x' })).statusCode).toBe(
      404,
    );
    // The manager sees everyone's, with contacts in full.
    const managed = (await api('manager', 'GET', `/api/customers/${theirs!.id}`)).json();
    expect(managed.phone).toBe(theirs!.phone);
  });

  it('finds customers by part of a phone number and combines filters', async () => {
    const [龙泰] = await t.database.db.select().from(customers).where(eq(customers.name, '龙泰'));
    const found = (await api('manager', 'GET', `/api/customers?q=${龙泰!.phone!.slice(3, 9)}`)).json();
    expect(found.items.map((c: { name: string }) => c.name)).toContain('龙泰');
    const filtered = (
      await api(
        'manager',
        'GET',
        `/api/customers?source=baidu,seo&consultantId=${龙泰!.consultantId}&pageSize=200`,
      )
    ).json();
    expect(
      filtered.items.every(
        (c: { source: string; consultantId: number }) =>
          ['baidu', 'seo'].includes(c.source) && c.consultantId === 龙泰!.consultantId,
      ),
    ).toBe(true);
  });

  it('finds one- and two-character keywords (no trigram) exactly as a substring search does', async () => {
    const all = await t.database.db.select().from(customers);
    const contains = (value: string | null, q: string) =>
      (value ?? '').toLowerCase().includes(q.toLowerCase());
    for (const q of ['王', '泰', '龙泰', '东北', '13', '8', 'A', 'x_', '%', '_']) {
      const expected = all
        .filter((c) => [c.name, c.phone, c.qq, c.wechat].some((v) => contains(v, q)))
        .map((c) => c.id)
        .sort((a, b) => a - b);
      const page = (
        await api('manager', 'GET', `/api/customers?q=${encodeURIComponent(q)}&pageSize=200&sort=id`)
      ).json();
      expect(
        page.items.map((c: { id: number }) => c.id),
        q,
      ).toEqual(expected.slice(0, 200));
      expect(page.total, q).toBe(expected.length);
      expect(page.totalCapped).toBe(false);
    }
  });

  it('keeps the keyword search true through every write: entered, edited in the app or in SQL, deleted', async () => {
    const ids = async (q: string) =>
      (await api('manager', 'GET', `/api/customers?q=${encodeURIComponent(q)}&pageSize=200`))
        .json()
        .items.map((c: { id: number }) => c.id);
    const entered = await api('manager', 'POST', '/api/customers', {
      name: '戈壁滩',
      phone: '139 7531 0246',
      source: 'baidu',
    });
    expect(entered.statusCode).toBe(201);
    const id = entered.json().id as number;
    expect(await ids('戈壁')).toContain(id);
    expect(await ids('7531 02')).toContain(id);

    expect((await api('manager', 'PATCH', `/api/customers/${id}`, { name: '沙漠之舟' })).statusCode).toBe(
      200,
    );
    expect(await ids('戈壁')).not.toContain(id);
    expect(await ids('之舟')).toContain(id);
    expect(await ids('沙漠之')).toContain(id);

    // Written past the app, as a school's own script might.
    await t.database.db.execute(sql`update customers set wechat = 'camel_rider_88' where id = ${id}`);
    expect(await ids('rider_8')).toContain(id);
    // A change of owner leaves what is searched alone.
    await t.database.db.execute(
      sql`update customers set consultant_id = null, recv_at = null where id = ${id}`,
    );
    expect(await ids('之舟')).toContain(id);

    // The copy the search reads is the customers' own name and contacts, row for row.
    const drift = await queryRows<{ id: number }>(
      t.database.db,
      sql`select coalesce(c.id, s.customer_id) as id from customers c
          full join customer_search s on s.customer_id = c.id
          where s.customer_id is null or c.id is null
             or (c.name, c.phone, c.qq, c.wechat) is distinct from (s.name, s.phone, s.qq, s.wechat)
             or s.grams is distinct from search_grams(c.name, c.phone, c.qq, c.wechat)`,
    );
    expect(drift).toEqual([]);

    expect((await api('admin', 'DELETE', `/api/customers/${id}`)).statusCode).toBeLessThan(300);
    const [left] = await queryRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from customer_search where customer_id = ${id}`,
    );
    expect(left!.n).toBe(0);
  });

  it('tells the total on every page, past the end too, and counts no further than asked', async () => {
    const [counted] = await queryRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from customers`,
    );
    const n = counted!.n;
    const last = Math.ceil(n / 30);
    for (const page of [1, last, last + 1]) {
      const answer = (await api('manager', 'GET', `/api/customers?pageSize=30&page=${page}`)).json();
      expect(answer.total, `page ${page}`).toBe(n);
    }
    const service = resourceService(t.database.db, customersResource, { timezone: DEFAULT_TIMEZONE });
    expect(await service.countUpTo(undefined, 5)).toBe(6);
    expect(await service.countUpTo(undefined, n)).toBe(n);
  });

  it('lets the owner edit the file but not take a contact someone else has', async () => {
    const mine = (await api('sanjiang', 'GET', '/api/customers?pageSize=2')).json().items;
    const edited = await api('sanjiang', 'PATCH', `/api/customers/${mine[0].id}`, {
      note: '周末可以来试听',
      courseIds: [1, 2],
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ note: '周末可以来试听', courseIds: [1, 2] });
    const clash = await api('sanjiang', 'PATCH', `/api/customers/${mine[0].id}`, {
      phone: ` ${mine[1].phone.replace(/^(\d{3})/, '$1 ')}`,
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error).toBe('duplicate');
    const none = await api('sanjiang', 'PATCH', `/api/customers/${mine[0].id}`, {
      phone: null,
      qq: null,
      wechat: ' ',
    });
    expect(none.statusCode).toBe(400);
    expect(
      (await api('sanjiang', 'PATCH', `/api/customers/${mine[0].id}`, { consultantId: 1 })).statusCode,
    ).toBe(400);
  });
});

describe('the customer timeline', () => {
  it("tells an enrolled customer's story newest first, and hides other consultants' customers", async () => {
    const [泰哥] = await t.database.db.select().from(customers).where(eq(customers.name, '泰哥'));
    const timeline = (await api('manager', 'GET', `/api/customers/${泰哥!.id}/timeline`)).json().items;
    const kinds = new Set(timeline.map((e: { kind: string }) => e.kind));
    expect(kinds).toEqual(expect.objectContaining(new Set(['ownership_started', 'follow_up', 'payment'])));
    const times = timeline.map((e: { at: string }) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(timeline.find((e: { kind: string }) => e.kind === 'payment').user.name).toBe('大傻');
    expect((await api('sanjiang', 'GET', `/api/customers/${泰哥!.id}/timeline`)).statusCode).toBe(404);
  });
});

describe('classes, lessons and study records', () => {
  it("keeps a teacher to the classes they teach, and refuses a lesson in someone else's", async () => {
    const taught = (await api('teacher', 'GET', '/api/classes')).json();
    expect(taught.total).toBe(2);
    const all = await t.database.db.select().from(classes);
    const other = all.find((c) => !taught.items.some((i: { id: number }) => i.id === c.id))!;
    expect((await api('teacher', 'GET', `/api/classes/${other.id}`)).statusCode).toBe(404);
    const refused = await api('teacher', 'POST', '/api/course-records', {
      classId: other.id,
      dayNum: 99,
      date: '2026-10-01',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details[0].field).toBe('classId');
    expect((await api('tutor', 'GET', '/api/classes')).json().total).toBe(1);
  });

  it('creates a lesson with a study record for every active student, and initialising again adds none', async () => {
    const [cls] = (await api('teacher', 'GET', '/api/classes')).json().items;
    const students = (await api('teacher', 'GET', `/api/students?classIds=${cls.id}&pageSize=200`)).json();
    const lesson = await api('teacher', 'POST', '/api/course-records', {
      classId: cls.id,
      dayNum: 50,
      date: '2026-10-08',
      title: '第50天：复习',
    });
    expect(lesson.statusCode).toBe(201);
    const records = (
      await api('teacher', 'GET', `/api/study-records?courseRecordId=${lesson.json().id}&pageSize=200`)
    ).json();
    expect(records.total).toBe(students.total);
    expect(
      records.items.every(
        (r: { attendance: string; score: number }) => r.attendance === 'checked' && r.score === -1,
      ),
    ).toBe(true);
    const again = await api('teacher', 'POST', '/api/course-records/actions/init-study-records', {
      ids: [lesson.json().id],
    });
    expect(again.json()).toEqual({ ok: true, affected: 0, created: 0 });
    const duplicate = await api('teacher', 'POST', '/api/course-records', {
      classId: cls.id,
      dayNum: 50,
      date: '2026-10-09',
    });
    expect(duplicate.statusCode).toBe(409);

    const ids = records.items.slice(0, 2).map((r: { id: number }) => r.id);
    expect(
      (await api('teacher', 'POST', '/api/study-records/actions/mark-late', { ids })).json().affected,
    ).toBe(2);
    const late = await t.database.db
      .select()
      .from(studyRecords)
      .where(and(eq(studyRecords.courseRecordId, lesson.json().id), eq(studyRecords.attendance, 'late')));
    expect(late.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect((await api('teacher', 'PATCH', `/api/study-records/${ids[0]}`, { score: 85 })).json().score).toBe(
      85,
    );
    expect((await api('teacher', 'PATCH', `/api/study-records/${ids[0]}`, { score: 77 })).statusCode).toBe(
      400,
    );
  });
});

describe('payments', () => {
  it('lets finance confirm payments once, keeping the first confirmation', async () => {
    const open = (await api('finance', 'GET', '/api/payment-records?pageSize=200'))
      .json()
      .items.filter((p: { confirmedAt: string | null }) => !p.confirmedAt);
    const id = open[0].id;
    const first = await api('finance', 'POST', '/api/payment-records/actions/confirm', { ids: [id] });
    expect(first.json()).toEqual({ ok: true, affected: 1 });
    const again = await api('admin', 'POST', '/api/payment-records/actions/confirm', { ids: [id] });
    expect(again.json()).toEqual({ ok: true, affected: 0 });
    const payment = (await api('finance', 'GET', `/api/payment-records/${id}`)).json();
    expect(payment.confirmer).toEqual({ id: await userId('finance'), name: expect.any(String) });
    expect(
      (await api('sanjiang', 'POST', '/api/payment-records/actions/confirm', { ids: [id] })).statusCode,
    ).toBe(403);
  });
});
