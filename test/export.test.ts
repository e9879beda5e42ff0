import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neutralise } from '../server/engine/export.ts';
import { demoRoleGrants } from '../server/seed/demo/staff.ts';
import { buildTestApp, call, type Session, signIn, type TestApp } from './app.ts';
import { makeClass, makeCustomer, makeUser, TEST_PASSWORD } from './factories.ts';

let t: TestApp;
let manager: Session;
let consultant: Session;
let teacher: Session;

async function sheetOf(body: Buffer): Promise<(string | number | null)[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const rows: (string | number | null)[][] = [];
  workbook.worksheets[0]!.eachRow((row) => {
    rows.push((row.values as (string | number | null)[]).slice(1));
  });
  return rows;
}

beforeAll(async () => {
  t = await buildTestApp();
  const db = t.database.db;
  const boss = await makeUser(db, { codes: [...demoRoleGrants.sales_manager] });
  const seller = await makeUser(db, { name: '三江', codes: [...demoRoleGrants.consultant] });
  const lecturer = await makeUser(db, { codes: [...demoRoleGrants.teacher] });
  manager = await signIn(t.app, boss.username, TEST_PASSWORD);
  consultant = await signIn(t.app, seller.username, TEST_PASSWORD);
  teacher = await signIn(t.app, lecturer.username, TEST_PASSWORD);
  // From 百度推广: one owned, one in the pool, one whose name a spreadsheet would run; and one not.
  await makeCustomer(db, { source: 'baidu', owner: seller.id });
  await makeCustomer(db, { source: 'baidu' });
  await makeCustomer(db, { source: 'baidu', name: '=HYPERLINK("http://evil","x")' });
  await makeCustomer(db, { source: 'seo' });
  // Two classes the teacher teaches, and one they do not.
  await makeClass(db, { teacherIds: [lecturer.id] });
  await makeClass(db, { teacherIds: [lecturer.id] });
  await makeClass(db);
});
afterAll(async () => t?.close());

describe('exporting a list', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    for (const evil of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\t=x'])
      expect(neutralise(evil)).toBe(`'${evil}`);
    expect(neutralise('龙泰')).toBe('龙泰');
  });

  it('streams the filtered list as .xlsx with titles, labels and names', async () => {
    const list = (await call(t.app, manager, 'GET', '/api/customers?source=baidu&pageSize=200')).json();
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/customers/export?source=baidu&columns=name,phone,source,consultantId,status,createdAt',
      headers: { cookie: manager.cookie },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    expect(response.headers['content-disposition']).toContain('attachment;');
    const rows = await sheetOf(response.rawPayload);
    expect(rows[0]).toEqual(['姓名', '手机', '来源', '课程顾问', '状态', '录入时间']);
    expect(rows).toHaveLength(list.total + 1);
    expect(new Set(rows.slice(1).map((r) => r[2]))).toEqual(new Set(['百度推广']));
    expect(rows.slice(1).some((r) => r[0] === `'=HYPERLINK("http://evil","x")`)).toBe(true);
    expect(
      rows.slice(1).every((r) => typeof r[5] === 'string' && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(r[5])),
    ).toBe(true);
    // The owner by name; the customers nobody owns leave the cell empty.
    const named = rows.slice(1).filter((r) => r[3] != null);
    expect(named.map((r) => r[3])).toEqual(['三江']);
  });

  it('speaks English when asked, and refuses unknown columns', async () => {
    const en = await t.app.inject({
      method: 'GET',
      url: '/api/classes/export?lang=en',
      headers: { cookie: manager.cookie },
    });
    const rows = await sheetOf(en.rawPayload);
    expect(rows[0]).toContain('Campus');
    const bad = await call(t.app, manager, 'GET', '/api/customers/export?columns=name,passwordHash');
    expect(bad.statusCode).toBe(400);
  });

  it('needs the export permission and keeps to the caller’s scope', async () => {
    expect((await call(t.app, consultant, 'GET', '/api/customers/export')).statusCode).toBe(403);
    const classes = await t.app.inject({
      method: 'GET',
      url: '/api/classes/export',
      headers: { cookie: teacher.cookie },
    });
    expect((await sheetOf(classes.rawPayload)).length).toBe(3);
  });
});
