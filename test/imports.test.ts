import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../server/db/client.ts';
import { customerDistributions, customers, saleRanks } from '../server/db/schema/index.ts';
import { demoRoleGrants } from '../server/seed/demo/staff.ts';
import { buildTestApp, call, type Session, signIn, type TestApp } from './app.ts';
import { makeCourse, makeCustomer, makeUser, TEST_PASSWORD } from './factories.ts';
import {
  compoundFile,
  csvText,
  gbk,
  importEnded,
  multipart,
  readWorkbook,
  workbook,
  zip,
  zipBomb,
} from './spreadsheets.ts';

/** docs/spec.md §4 bulk import through the API, run by the app's own background worker. */
let t: TestApp;
const db = () => t.database.db;
let manager: Session;
let consultant: Session;
const staff: { id: number; username: string; name: string }[] = [];

async function upload(
  file: { name: string; data: Buffer },
  fields: Record<string, string> = {},
  who = manager,
) {
  const { payload, headers } = multipart({ mode: 'preview', assign: 'rotation', ...fields }, file);
  return t.app.inject({
    method: 'POST',
    url: '/api/customers/import',
    payload,
    headers: { ...headers, cookie: who.cookie, 'x-csrf-token': who.csrfToken },
  });
}

const finished = (importId: number) => importEnded(t.app, manager, importId, 600);

async function run(file: { name: string; data: Buffer }, fields: Record<string, string> = {}) {
  const response = await upload(file, fields);
  expect(response.statusCode, response.body).toBe(200);
  return finished(response.json().importId);
}

const customerCount = async () =>
  (await queryRows<{ n: number }>(db(), sql`select count(*)::int as n from customers`))[0]!.n;

const header = ['姓名', '手机', 'QQ', '微信', '性别', '来源', '班型', '咨询课程', '录入时间'];

beforeAll(async () => {
  t = await buildTestApp();
  const boss = await makeUser(db(), { codes: [...demoRoleGrants.sales_manager] });
  manager = await signIn(t.app, boss.username, TEST_PASSWORD);
  for (const name of ['三江', '暴雨']) {
    const user = await makeUser(db(), { codes: [...demoRoleGrants.consultant], name });
    staff.push({ id: user.id, username: user.username, name });
  }
  consultant = await signIn(t.app, staff[0]!.username, TEST_PASSWORD);
  await makeCourse(db(), 'Python全栈');
  await makeCourse(db(), 'Linux运维');
});
beforeEach(async () => {
  await db().delete(customers);
  await db().delete(saleRanks);
  await db()
    .insert(saleRanks)
    .values(staff.map((s, i) => ({ consultantId: s.id, weight: i === 0 ? 2 : 1, dailyQuota: 1000 })));
});
afterAll(async () => t?.close());

describe('bulk import', () => {
  it('previews a workbook without writing, then commits it: labels, codes, dates, numbers as phones', async () => {
    const data = await workbook(
      [
        header,
        [
          '龙泰',
          13800000001,
          null,
          null,
          '男',
          '百度推广',
          '脱产班',
          'Python全栈、Linux运维',
          new Date(Date.UTC(2026, 2, 1)),
        ],
        ['小东北', '138-0000-0002', '20001', null, 'female', 'seo', 'online', null, 46082],
        ['泰哥', null, null, 'taige_wx', null, '官方网站', null, null, '2026/3/5 14:30'],
        ['坏来源', '13800000004', null, null, null, '火星', null, null, null],
        ['重复', '+86 138 0000 0001', null, null, null, null, null, null, null],
        ['', '13800000006', null, null, null, null, null, null, null],
      ],
      { dateColumns: [9] },
    );
    const preview = await run({ name: '客户.xlsx', data });
    expect(preview).toMatchObject({
      status: 'done',
      mode: 'preview',
      total: 6,
      processed: 6,
      valid: 3,
      errorCount: 3,
      created: 0,
    });
    // Each reason is a code with its values (worded in the reader's language) and, as before, a sentence.
    expect(preview.errors).toEqual([
      {
        row: 5,
        column: '来源',
        code: 'not_an_option',
        params: expect.objectContaining({ value: '火星', optionsEn: expect.stringContaining('Baidu ads') }),
        message: expect.stringContaining('火星'),
      },
      { row: 6, column: '手机', code: 'duplicate_in_file', params: { row: 2 }, message: '与第 2 行重复' },
      { row: 7, column: '姓名', code: 'required', params: null, message: '必填' },
    ]);
    expect(preview.columns.map((c: { field: string }) => c.field)).toEqual([
      'name',
      'phone',
      'qq',
      'wechat',
      'gender',
      'source',
      'classType',
      'courses',
      'createdAt',
    ]);
    expect(await customerCount()).toBe(0);

    const commit = await call(t.app, manager, 'POST', `/api/imports/${preview.id}/commit`, {});
    expect(commit.statusCode).toBe(200);
    const done = await finished(commit.json().importId);
    expect(done).toMatchObject({
      status: 'done',
      mode: 'commit',
      created: 3,
      skipped: 3,
      errorCount: 3,
      previewId: preview.id,
    });
    const rows = await db().select().from(customers).orderBy(customers.id);
    expect(rows.map((r) => [r.name, r.phone, r.gender, r.source, r.classType])).toEqual([
      ['龙泰', '13800000001', 'male', 'baidu', 'fulltime'],
      ['小东北', '138-0000-0002', 'female', 'seo', 'online'],
      ['泰哥', null, null, 'website', null],
    ]);
    // Dates are the school's: 2026-03-01 (a date cell), serial 46082 (2026-03-1), and text with a time.
    expect(rows.map((r) => r.createdAt.toISOString())).toEqual([
      '2026-02-28T16:00:00.000Z',
      '2026-02-28T16:00:00.000Z',
      '2026-03-05T06:30:00.000Z',
    ]);
    const interests = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from customer_courses`,
    );
    expect(interests[0]!.n).toBe(2);
    // The rotation (2:1) gave them out, each with an imported period and both clocks started.
    const periods = await db().select().from(customerDistributions);
    expect(periods).toHaveLength(3);
    expect(periods.every((p) => p.via === 'imported' && p.status === 'following')).toBe(true);
    expect(periods.filter((p) => p.consultantId === staff[0]!.id)).toHaveLength(2);
    expect(rows.every((r) => r.recvAt && r.recvAt.getTime() === r.lastConsultAt!.getTime())).toBe(true);
    const told = await queryRows<{ event: string }>(db(), sql`select distinct event from notifications`);
    expect(told.map((n) => n.event).sort()).toEqual(['customer_assigned', 'import_finished']);
  });

  it('reads CSV in UTF-8, UTF-8 with a BOM and GBK, with field names or Chinese titles', async () => {
    const rows = [
      ['name', 'phone', 'source', 'gender'],
      ['张伟', '13900000001', 'baidu', '男'],
      ['李娜', '13900000002', '百度推广', 'female'],
    ];
    const utf8 = Buffer.from(csvText(rows));
    const bom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(csvText([header.slice(0, 2), ['王芳', '13900000003']])),
    ]);
    const gbkFile = gbk(
      csvText([
        ['姓名', '手机', '来源', '备注'],
        ['赵敏', '13900000004', '腾讯课堂', '想学"Python", 周末'],
      ]),
    );
    for (const [name, data, created] of [
      ['utf8.csv', utf8, 2],
      ['bom.csv', bom, 1],
      ['gbk.csv', gbkFile, 1],
    ] as const) {
      const done = await run({ name, data }, { mode: 'commit' });
      expect(done, name).toMatchObject({ status: 'done', created, errorCount: 0 });
    }
    const names = (await db().select().from(customers)).map((c) => c.name).sort();
    expect(names).toEqual(['张伟', '李娜', '王芳', '赵敏'].sort());
    const [zhao] = await db().select().from(customers).where(eq(customers.name, '赵敏'));
    expect(zhao).toMatchObject({ source: 'tencent_classroom', note: '想学"Python", 周末' });
  });

  it('refuses duplicates against the database, the pool included, naming who has them', async () => {
    const pooled = await makeCustomer(db(), { name: '池中', phone: '13700000001' });
    const owned = await makeCustomer(db(), { name: '有主', qq: '888888', owner: staff[1]!.id });
    const done = await run(
      {
        name: 'd.csv',
        data: Buffer.from(
          csvText([
            ['姓名', '手机号', 'QQ'],
            ['甲', '137-0000-0001', ''],
            ['乙', '', '888888'],
            ['丙', '13700000003', ''],
          ]),
        ),
      },
      { mode: 'commit' },
    );
    expect(done).toMatchObject({ created: 1, errorCount: 2 });
    expect(done.errors[0].message).toContain('在公共客户池中');
    // Named as the file names it, not as the template does.
    expect(done.errors[0].column).toBe('手机号');
    expect(done.errors[1].message).toContain(`归属课程顾问 ${staff[1]!.name}`);
    expect(pooled && owned).toBeTruthy();
  });

  it('assigns by a consultant column (username or name) or straight into the pool', async () => {
    const byColumn = await run(
      {
        name: 'c.csv',
        data: Buffer.from(
          csvText([
            ['姓名', '手机', '课程顾问'],
            ['一', '13600000001', staff[1]!.username],
            ['二', '13600000002', staff[0]!.name],
            ['三', '13600000003', '不存在的人'],
          ]),
        ),
      },
      { mode: 'commit', assign: 'column' },
    );
    expect(byColumn).toMatchObject({ created: 2, errorCount: 1 });
    const owners = (await db().select().from(customers).orderBy(customers.id)).map((c) => c.consultantId);
    expect(owners).toEqual([staff[1]!.id, staff[0]!.id]);

    const toPool = await run(
      {
        name: 'p.csv',
        data: Buffer.from(
          csvText([
            ['姓名', '手机'],
            ['四', '13600000004'],
          ]),
        ),
      },
      { mode: 'commit', assign: 'pool' },
    );
    expect(toPool.created).toBe(1);
    const [four] = await db().select().from(customers).where(eq(customers.name, '四'));
    expect(four).toMatchObject({ consultantId: null, releasedReason: 'unassigned' });
    const missingColumn = await run(
      {
        name: 'm.csv',
        data: Buffer.from(
          csvText([
            ['姓名', '手机'],
            ['五', '13600000005'],
          ]),
        ),
      },
      { mode: 'commit', assign: 'column' },
    );
    expect(missingColumn.status).toBe('failed');
    expect(missingColumn.failure).toContain('课程顾问');
  });

  it('sends customers to the pool when quotas run out, and tells the managers', async () => {
    await db().update(saleRanks).set({ dailyQuota: 1 });
    const rows = [['姓名', '手机'], ...Array.from({ length: 5 }, (_, i) => [`配额${i}`, `1350000000${i}`])];
    const done = await run({ name: 'q.csv', data: Buffer.from(csvText(rows)) }, { mode: 'commit' });
    expect(done.created).toBe(5);
    const owned = await db().select().from(customers);
    expect(owned.filter((c) => c.consultantId !== null)).toHaveLength(2);
    const told = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from notifications where event = 'pool_unassigned' and user_id = ${manager.userId}`,
    );
    expect(told[0]!.n).toBeGreaterThan(0);
  });

  it('gives a downloadable error report with the refused rows as they were and a reason column', async () => {
    const done = await run({
      name: 'e.csv',
      data: Buffer.from(
        csvText([
          ['姓名', '手机', '备注'],
          ['好', '13400000001', ''],
          ['坏', 'abc', '=cmd|x'],
          ['', '13400000003', '没名字'],
        ]),
      ),
    });
    const report = await call(t.app, manager, 'GET', `/api/imports/${done.id}/errors.xlsx`);
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toContain('spreadsheetml');
    const rows = await readWorkbook(report.rawPayload);
    expect(rows[0]).toEqual(['姓名', '手机', '备注', '原行号', '错误原因']);
    expect(rows[1]).toEqual(['坏', 'abc', "'=cmd|x", 3, expect.stringContaining('不是电话号码')]);
    expect(rows[2]!.slice(1)).toEqual(['13400000003', '没名字', 4, '姓名：必填']);
  });

  it('refuses phones, QQ numbers and WeChat ids a school would not accept, with the form’s rules', async () => {
    const done = await run({
      name: 'v.csv',
      data: Buffer.from(
        csvText([
          ['姓名', '手机', 'QQ', '微信'],
          ['五位', '12345', '', ''],
          ['座机', '010-12345678', '', ''],
          ['分机', '0571 8765432 转 803', '', ''],
          ['香港', '+852 9123 4567', '', ''],
          ['零开头', '', '0123456', ''],
          ['十二位', '', '123456789012', ''],
          ['好QQ', '', '10001', ''],
          ['数字开头', '', '', '1abcdefg'],
          ['太短', '', '', 'wx_12'],
          ['手机当微信', '', '', '13300000009'],
        ]),
      ),
    });
    const refused = done.errors.map((e: { row: number; code: string; column: string }) => [
      e.row,
      e.code,
      e.column,
    ]);
    expect(refused).toEqual([
      [2, 'phone_invalid', '手机'],
      [6, 'qq_invalid', 'QQ'],
      [7, 'qq_invalid', 'QQ'],
      [9, 'wechat_invalid', '微信'],
      [10, 'wechat_invalid', '微信'],
    ]);
    expect(done.errors[0]).toMatchObject({
      params: { value: '12345' },
      message: expect.stringContaining('11 位'),
    });
    expect(done.valid).toBe(5);

    // The report in the language asked: the refused rows' reasons in English, the file's titles as they were.
    const report = await call(t.app, manager, 'GET', `/api/imports/${done.id}/errors.xlsx?lang=en`);
    expect(report.statusCode).toBe(200);
    const rows = await readWorkbook(report.rawPayload);
    expect(rows[0]).toEqual(['姓名', '手机', 'QQ', '微信', 'Row', 'Why refused']);
    expect(rows[1]!.slice(0, 2)).toEqual(['五位', '12345']);
    expect(rows[1]!.slice(4)).toEqual([
      2,
      expect.stringMatching(/^手机: "12345" is not a phone number: a mobile has 11 digits/),
    ]);
  });

  it('words row errors stored before they had codes as they were stored, in either language', async () => {
    const done = await run({
      name: 'o.csv',
      data: Buffer.from(
        csvText([
          ['姓名', '手机'],
          ['', '13500000001'],
        ]),
      ),
    });
    // As an import recorded before codes has it: a sentence, no code.
    await db().execute(sql`update import_errors set code = null, params = null where import_id = ${done.id}`);
    const shown = (await call(t.app, manager, 'GET', `/api/imports/${done.id}`)).json();
    expect(shown.errors).toEqual([{ row: 2, column: '姓名', message: '必填', code: null, params: null }]);
    const report = await call(t.app, manager, 'GET', `/api/imports/${done.id}/errors.xlsx?lang=en`);
    expect((await readWorkbook(report.rawPayload))[1]!.slice(1)).toEqual(['13500000001', 2, '姓名: 必填']);
  });

  it('serves a template with Chinese titles, drop-downs and an example row that imports as nothing', async () => {
    const response = await call(t.app, manager, 'GET', '/api/customers/import-template');
    expect(response.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(response.rawPayload as never);
    const sheet = book.worksheets[0]!;
    expect((sheet.getRow(1).values as unknown[]).slice(1, 5)).toEqual(['姓名', '手机', 'QQ', '微信']);
    expect(sheet.getCell('E2').value).toBe('男');
    const validation = sheet.getCell('F3').dataValidation;
    expect(validation).toMatchObject({ type: 'list' });
    expect(book.worksheets[1]!.state).toBe('hidden');
    const done = await run({ name: 'template.xlsx', data: response.rawPayload }, { mode: 'commit' });
    expect(done).toMatchObject({ status: 'done', created: 0, errorCount: 0, skipped: 1 });
  });

  it('refuses bad files with a clear 400 and stores nothing', async () => {
    const cases: [string, Buffer, string][] = [
      ['empty.csv', Buffer.alloc(0), 'empty_file'],
      ['picture.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3]), 'not_spreadsheet'],
      ['secret.xlsx', compoundFile(true), 'encrypted_workbook'],
      ['old.xls', compoundFile(false), 'legacy_xls'],
      ['bomb.xlsx', zipBomb(150 * 1024 * 1024), 'zip_bomb'],
      ['letter.docx', zip([{ name: 'word/document.xml', data: Buffer.from('<w/>') }]), 'not_spreadsheet'],
      ['broken.xlsx', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(100)]), 'not_spreadsheet'],
    ];
    for (const [name, data, error] of cases) {
      const response = await upload({ name, data });
      expect(response.statusCode, name).toBe(400);
      expect(response.json().error, name).toBe(error);
    }
    const form = multipart({ mode: 'preview' });
    const send = (payload: Buffer, headers = form.headers) =>
      t.app.inject({
        method: 'POST',
        url: '/api/customers/import',
        payload,
        headers: { ...headers, cookie: manager.cookie, 'x-csrf-token': manager.csrfToken },
      });
    expect((await send(form.payload)).json().error).toBe('no_file');
    const cut = multipart({ mode: 'preview' }, { name: 'a.csv', data: Buffer.from('姓名,手机\n') });
    const malformed = await send(cut.payload.subarray(0, cut.payload.length - 30), cut.headers);
    expect(malformed.statusCode).toBe(400);
    const wrongBoundary = await send(cut.payload, multipart({}).headers);
    expect(wrongBoundary.statusCode).toBe(400);
    const badMode = await upload(
      { name: 'a.csv', data: Buffer.from('姓名,手机\n甲,13300000001\n') },
      { mode: 'now' },
    );
    expect(badMode.json().error).toBe('validation');
    const json = await call(t.app, manager, 'POST', '/api/customers/import', { mode: 'preview' });
    expect(json.statusCode).toBe(400);
    const stored = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from imports where file_name in ('empty.csv', 'bomb.xlsx', 'secret.xlsx')`,
    );
    expect(stored[0]!.n).toBe(0);
  });

  it('fails an import whose first row is no header, or names no known column, and writes no customer', async () => {
    const noHeader = await run(
      {
        name: 'n.csv',
        data: Buffer.from(
          csvText([
            ['张三', '13200000001'],
            ['李四', '13200000002'],
          ]),
        ),
      },
      { mode: 'commit' },
    );
    expect(noHeader.status).toBe('failed');
    expect(noHeader.failure).toContain('标题行');
    // The reason as a code the page words in the reader's language, with what the row read.
    expect(noHeader).toMatchObject({
      failureCode: 'no_header',
      failureParams: { read: '张三、13200000001' },
    });
    const unknown = await run(
      {
        name: 'u.csv',
        data: Buffer.from(
          csvText([
            ['foo', 'bar'],
            ['1', '2'],
          ]),
        ),
      },
      { mode: 'commit' },
    );
    expect(unknown.status).toBe('failed');
    expect(unknown.ignoredColumns).toEqual(['foo', 'bar']);
    expect(await customerCount()).toBe(0);
  });

  it('is for those who may import, and shows each their own imports', async () => {
    const refused = await upload(
      { name: 'a.csv', data: Buffer.from('姓名,手机\n甲,13100000001\n') },
      {},
      consultant,
    );
    expect(refused.statusCode).toBe(403);
    const list = await call(t.app, manager, 'GET', '/api/imports');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.length).toBeGreaterThan(0);
    const other = await makeUser(db(), { codes: ['customer.import'] });
    const otherSession = await signIn(t.app, other.username, TEST_PASSWORD);
    const first = list.json().items[0].id;
    expect((await call(t.app, otherSession, 'GET', `/api/imports/${first}`)).statusCode).toBe(404);
    expect((await call(t.app, otherSession, 'GET', '/api/imports')).json().items).toEqual([]);
  });
});

describe('import limits', () => {
  let limited: TestApp;
  let session: Session;
  beforeAll(async () => {
    limited = await buildTestApp({ importMaxBytes: 2048, importMaxRows: 3 });
    const boss = await makeUser(limited.database.db, { codes: [...demoRoleGrants.sales_manager] });
    session = await signIn(limited.app, boss.username, TEST_PASSWORD);
  });
  afterAll(async () => limited?.close());

  const send = (data: Buffer, name: string) => {
    const { payload, headers } = multipart({ mode: 'preview' }, { name, data });
    return limited.app.inject({
      method: 'POST',
      url: '/api/customers/import',
      payload,
      headers: { ...headers, cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    });
  };

  it('names the size limit and the row limit', async () => {
    const big = await send(Buffer.from(`姓名,手机\n${'甲,13000000000\n'.repeat(300)}`), 'big.csv');
    expect(big.statusCode).toBe(400);
    expect(big.json()).toMatchObject({ error: 'file_too_large', message: expect.stringContaining('MB') });
    const rows = await send(
      Buffer.from(
        csvText([['姓名', '手机'], ...Array.from({ length: 4 }, (_, i) => [`x${i}`, `1300000000${i}`])]),
      ),
      'rows.csv',
    );
    expect(rows.statusCode).toBe(400);
    expect(rows.json()).toMatchObject({ error: 'too_many_rows', message: expect.stringContaining('3') });
    const book = await workbook([
      ['姓名', '手机'],
      ...Array.from({ length: 4 }, (_, i) => [`x${i}`, `1300000000${i}`]),
    ]);
    const sheetRows = await send(book.length <= 2048 ? book : book.subarray(0, 0), 'rows.xlsx');
    expect(sheetRows.statusCode).toBe(400);
    expect(['too_many_rows', 'file_too_large', 'empty_file']).toContain(sheetRows.json().error);
  });
});
