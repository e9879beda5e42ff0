import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers } from '../server/db/schema/index.ts';
import { neutralise } from '../server/engine/export.ts';
import { seedDemo } from '../server/seed/demo.ts';
import { buildTestApp, call, type Session, signIn, type TestApp } from './app.ts';

const PASSWORD = 'export-password';
let t: TestApp;
let manager: Session;

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
  await seedDemo(t.database.db, { password: PASSWORD, at: new Date() });
  manager = await signIn(t.app, 'manager', PASSWORD);
});
afterAll(async () => t?.close());

describe('exporting a list', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    for (const evil of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\t=x'])
      expect(neutralise(evil)).toBe(`'${evil}`);
    expect(neutralise('龙泰')).toBe('龙泰');
  });

  it('streams the filtered list as .xlsx with titles, labels and names', async () => {
    const [one] = await t.database.db.select().from(customers).where(eq(customers.source, 'baidu'));
    await t.database.db
      .update(customers)
      .set({ name: '=HYPERLINK("http://evil","x")' })
      .where(eq(customers.id, one!.id));
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
    const named = rows.slice(1).find((r) => r[3] !== null);
    expect(typeof named?.[3]).toBe('string');
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
    const consultant = await signIn(t.app, 'sanjiang', PASSWORD);
    expect((await call(t.app, consultant, 'GET', '/api/customers/export')).statusCode).toBe(403);
    const teacher = await signIn(t.app, 'teacher', PASSWORD);
    const classes = await t.app.inject({
      method: 'GET',
      url: '/api/classes/export',
      headers: { cookie: teacher.cookie },
    });
    expect((await sheetOf(classes.rawPayload)).length).toBe(3);
  });
});
