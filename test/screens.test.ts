import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setClock } from '../server/clock.ts';
import { auditLog, classes, classTeachers, courseRecords, customers } from '../server/db/schema/index.ts';
import { searchedByEngine } from '../server/engine/query.ts';
import { mapHeader, parseRow } from '../server/modules/imports/columns.ts';
import { resources } from '../server/modules/index.ts';
import { seedDemo } from '../server/seed/demo.ts';
import { buildTestApp, call, type Method, type Session, signIn, type TestApp } from './app.ts';
import { userIdOf } from './factories.ts';
import { readWorkbook } from './spreadsheets.ts';

/** Issue 19's "honest screens": what the API gives the screens to show words, not codes. */
const PASSWORD = 'screens-password';
let t: TestApp;
const s: Record<string, Session> = {};
const api = (who: string, method: Method, url: string, payload?: object) =>
  call(t.app, s[who]!, method, url, payload);
const get = async (who: string, url: string) => {
  const response = await api(who, 'GET', url);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};

beforeAll(async () => {
  t = await buildTestApp({ importWorker: false });
  await seedDemo(t.database.db, { password: PASSWORD, at: new Date() });
  for (const who of ['admin', 'manager', 'sanjiang', 'baoyu', 'teacher']) {
    s[who] = await signIn(t.app, who, PASSWORD);
  }
});
afterAll(async () => {
  setClock(null);
  await t?.close();
});

type Option = { value: string; title: string; titleEn: string };
type MetaField = { key: string; kind: string; options?: Option[]; codeTip?: true | string; format?: string };
const fieldOf = async (resource: string, key: string): Promise<MetaField> =>
  (await get('admin', `/api/meta/${resource}`)).fields.find((f: MetaField) => f.key === key);

describe('the audit log', () => {
  it('tells the demo school’s history: entries, grabs, follow-ups and payments, by whom, of whom', async () => {
    const page = await get('admin', '/api/audit-log?pageSize=200');
    expect(page.total).toBeGreaterThan(200);
    const kinds = new Set(
      page.items.map((i: { action: string; entity: string }) => `${i.action} ${i.entity}`),
    );
    for (const kind of ['create consult-records', 'create customers', 'grab customers'])
      expect(kinds).toContain(kind);
    const payments = await get('admin', '/api/audit-log?entity=payment-records&pageSize=5');
    expect(payments.total).toBeGreaterThan(0);
    for (const item of [...page.items, ...payments.items]) {
      expect(item.actor?.name).toEqual(expect.any(String));
      expect(item.recordName).not.toMatch(/^#/);
    }
  });

  it('names the action, the record and the actor of every write, and which fields an edit changed', async () => {
    const role = (
      await api('admin', 'POST', '/api/roles', {
        code: 'screens_auditor',
        title: '审计员',
        permissionCodes: [],
      })
    ).json();
    await api('admin', 'PATCH', `/api/roles/${role.id}`, {
      description: '只看日志',
      permissionCodes: ['audit_log.list'],
    });
    const log = await get('admin', `/api/audit-log?entity=roles&entityId=${role.id}&sort=id`);
    expect(log.items).toEqual([
      expect.objectContaining({
        action: 'create',
        entity: 'roles',
        recordName: '审计员',
        actor: { id: await userIdOf(t.database.db, 'admin'), name: '管理员' },
      }),
      expect.objectContaining({
        action: 'update',
        recordName: '审计员',
        changes: [
          { key: 'description', title: '说明', titleEn: 'Description' },
          { key: 'permissionCodes', title: expect.any(String), titleEn: expect.any(String) },
        ],
      }),
    ]);

    // A bulk action: no one record, but how many it touched, and the action's own title.
    const records = (await get('teacher', '/api/study-records?pageSize=2')).items as { id: number }[];
    await api('teacher', 'POST', '/api/study-records/actions/mark-late', { ids: records.map((r) => r.id) });
    const [marked] = (await get('admin', '/api/audit-log?action=mark-late&sort=-id')).items;
    expect(marked).toMatchObject({ entity: 'study-records', recordName: null, count: 2 });

    // Every action and record type the log can hold has words in both languages.
    const action = await fieldOf('audit-log', 'action');
    const entity = await fieldOf('audit-log', 'entity');
    expect(action).toMatchObject({ kind: 'enum', codeTip: true });
    expect(action.options).toContainEqual({ value: 'mark-late', title: '标记为迟到', titleEn: 'Mark late' });
    expect(action.options).toContainEqual({ value: 'update', title: '修改', titleEn: 'Updated' });
    expect(entity.options).toContainEqual({ value: 'roles', title: '角色', titleEn: 'Roles' });
    for (const resource of resources) {
      for (const name of Object.keys(resource.actions ?? {})) {
        expect(action.options!.map((o) => o.value)).toContain(name);
      }
    }

    // The export reads as the list does: words, in the language asked.
    const exported = await api(
      'admin',
      'GET',
      `/api/audit-log/export?entity=roles&entityId=${role.id}&sort=id&lang=en`,
    );
    const rows = await readWorkbook(exported.rawPayload);
    expect(rows[1]).toEqual([expect.any(String), '管理员', 'Created', 'Roles', '审计员']);
  });

  it('answers a row whose codes have no words yet as it is, rather than failing the list', async () => {
    const [odd] = await t.database.db
      .insert(auditLog)
      .values({ action: 'archive', entity: 'ledgers', entityId: 5, at: new Date() })
      .returning();
    const response = await api('admin', 'GET', `/api/audit-log/${odd!.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ action: 'archive', entity: 'ledgers', recordName: '#5' });
    expect((await api('admin', 'GET', '/api/audit-log?pageSize=5')).statusCode).toBe(200);
    await t.database.db.delete(auditLog).where(eq(auditLog.id, odd!.id));
  });

  it('names a record a service wrote without a name (a grab keeps only ids) as it is named now', async () => {
    const [pooled] = await t.database.db.select().from(customers).where(eq(customers.name, '龙泰'));
    const log = await get('admin', `/api/audit-log?entity=customers&entityId=${pooled!.id}`);
    await api('manager', 'PATCH', `/api/customers/${pooled!.id}`, { note: '改一下' });
    const after = await get('admin', `/api/audit-log?entity=customers&entityId=${pooled!.id}`);
    expect(after.total).toBe(log.total + 1);
    expect(after.items[0]).toMatchObject({
      action: 'update',
      recordName: '龙泰',
      changes: [{ key: 'note' }],
    });
  });
});

describe('notifications', () => {
  it('name their event and channel in words, codes kept for the tooltip', async () => {
    const event = await fieldOf('notifications', 'event');
    expect(event).toMatchObject({ kind: 'enum', codeTip: true });
    expect(event.options!.map((o) => o.title)).toEqual([
      '新客户分配',
      '抢单成功',
      '即将释放提醒',
      '客户已释放',
      '导入完成',
      '待确认缴费',
      '无人可分配',
      '学员连续缺勤',
      '客户即将释放（主管）',
    ]);
    // A customer the manager gives a consultant tells that consultant.
    const baoyu = await userIdOf(t.database.db, 'baoyu');
    await api('manager', 'POST', '/api/customers', {
      name: '通知测试',
      phone: '13966660002',
      consultantId: baoyu,
    });
    const listed = (await get('admin', `/api/notifications?userId=${baoyu}&event=customer_assigned`))
      .items as {
      event: string;
    }[];
    expect(listed.length).toBeGreaterThan(0);
    for (const item of listed) expect(event.options!.map((o) => o.value)).toContain(item.event);
  });
});

describe('lists', () => {
  it('link to one record by id, within the caller’s scope', async () => {
    const [one] = (await get('admin', '/api/users?pageSize=1&sort=id')).items;
    const found = await get('admin', `/api/users?id=${one.id}`);
    expect(found.items.map((u: { id: number }) => u.id)).toEqual([one.id]);
    const [theirs] = await t.database.db
      .select()
      .from(customers)
      .where(eq(customers.consultantId, await userIdOf(t.database.db, 'baoyu')));
    expect((await get('sanjiang', `/api/customers?id=${theirs!.id}`)).items).toEqual([]);
    expect((await api('admin', 'GET', '/api/users?id=abc')).statusCode).toBe(400);
  });

  it('search exactly what their search box names', async () => {
    for (const resource of resources) {
      for (const key of resource.searchFields) {
        const field = resource.fields.find((f) => f.key === key);
        expect(field, `${resource.name}.${key}`).toBeDefined();
        if (!field?.column) {
          expect(
            resource.searchSql ?? resource.searchKeyword,
            `${resource.name} searches ${key}`,
          ).toBeDefined();
        }
      }
      if (resource.searchSql) {
        const named = resource.searchFields.some((key) => {
          const field = resource.fields.find((f) => f.key === key);
          return field !== undefined && !searchedByEngine(field);
        });
        expect(named, `${resource.name}: what searchSql matches is named in searchFields`).toBe(true);
      }
    }
    const [student] = (await get('admin', '/api/students?pageSize=1')).items as { name: string }[];
    const byName = (await get('admin', `/api/students?q=${encodeURIComponent(student!.name)}`)).items;
    expect(byName.map((x: { name: string }) => x.name)).toContain(student!.name);
    expect((await get('admin', '/api/meta/students')).searchFields).toEqual(['name', 'company', 'position']);
    const byCourse = (await get('admin', `/api/classes?q=${encodeURIComponent('Python')}`)).items;
    expect(byCourse.length).toBeGreaterThan(0);
  });

  it('say 其他 for "other" everywhere, and call how a consultant got a customer 获得方式', async () => {
    const source = await fieldOf('customers', 'source');
    const education = await fieldOf('customers', 'education');
    expect(source.options!.find((o) => o.value === 'other')!.title).toBe('其他');
    expect(education.options!.find((o) => o.value === 'other')!.title).toBe('其他');
    // Sheets written with the older word still import.
    const header = mapHeader(['姓名', '手机', '来源']);
    const parsed = parseRow(['甲', '13800000001', '其它'], header, {
      timezone: 'Asia/Shanghai',
      at: new Date(),
    });
    expect(parsed).toMatchObject({ values: { source: 'other' }, errors: [] });
    const via = (await get('manager', '/api/meta/distributions')).fields.find(
      (f: MetaField) => f.key === 'via',
    );
    expect(via).toMatchObject({ title: '获得方式', titleEn: 'How received' });
  });
});

describe('lessons', () => {
  it('are named 第N节 / Lesson N, and a teacher’s new lesson is theirs', async () => {
    const teacher = await userIdOf(t.database.db, 'teacher');
    const [taught] = await t.database.db
      .select({ id: classes.id })
      .from(classes)
      .innerJoin(classTeachers, eq(classTeachers.classId, classes.id))
      .where(eq(classTeachers.teacherId, teacher));
    const made = await api('teacher', 'POST', '/api/course-records', {
      classId: taught!.id,
      dayNum: 90,
      date: '2026-12-01',
      title: '复习',
    });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({
      teacherId: teacher,
      teacher: { id: teacher, name: '李老师' },
      label: '第90节 复习',
      labelEn: 'Lesson 90 复习',
    });
    // Given no teacher explicitly, it has none.
    const untaught = await api('teacher', 'POST', '/api/course-records', {
      classId: taught!.id,
      dayNum: 91,
      date: '2026-12-02',
      teacherId: null,
    });
    expect(untaught.json().teacherId).toBeNull();

    const [record] = (await get('teacher', `/api/study-records?courseRecordId=${made.json().id}`)).items;
    expect(record.lesson).toEqual({ id: made.json().id, name: '第90节 复习', nameEn: 'Lesson 90 复习' });
    const demoTitles = await t.database.db.select({ title: courseRecords.title }).from(courseRecords);
    expect(demoTitles.filter((l) => /第\d+天/.test(l.title ?? ''))).toEqual([]);
  });
});

describe('my customers', () => {
  it('shows a former owner their own last follow-up in their period, not a later owner’s', async () => {
    const sanjiang = await userIdOf(t.database.db, 'sanjiang');
    const baoyu = await userIdOf(t.database.db, 'baoyu');
    const start = new Date(Date.now() + 86_400_000);
    setClock(start);
    const made = (
      await api('manager', 'POST', '/api/customers', {
        name: '屏幕测试',
        phone: '13966660001',
        consultantId: sanjiang,
      })
    ).json();
    setClock(new Date(start.getTime() + 3_600_000));
    const mine = await api('sanjiang', 'POST', `/api/customers/${made.id}/consult-records`, {
      note: '聊过了',
    });
    expect(mine.statusCode, mine.body).toBe(200);
    setClock(new Date(start.getTime() + 2 * 3_600_000));
    await api('manager', 'POST', '/api/customers/actions/reassign', {
      ids: [made.id],
      consultantId: baoyu,
      reason: '换人跟进',
    });
    setClock(new Date(start.getTime() + 5 * 3_600_000));
    await api('baoyu', 'POST', `/api/customers/${made.id}/consult-records`, { note: '接手后跟进' });

    const periods = (await get('sanjiang', `/api/my-customers?customerId=${made.id}`)).items;
    expect(periods).toHaveLength(1);
    expect(periods[0]).toMatchObject({ status: 'reassigned' });
    expect(new Date(periods[0].lastFollowUpAt).getTime()).toBe(start.getTime() + 3_600_000);
    expect(new Date(periods[0].customer.lastConsultAt).getTime()).toBe(start.getTime() + 5 * 3_600_000);
    const theirs = (await get('baoyu', `/api/my-customers?customerId=${made.id}`)).items;
    expect(new Date(theirs[0].lastFollowUpAt).getTime()).toBe(start.getTime() + 5 * 3_600_000);
    setClock(null);
  });
});
