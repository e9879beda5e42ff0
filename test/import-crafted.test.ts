import { writeFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../server/db/client.ts';
import { importFromCli } from '../server/modules/imports/cli.ts';
import { readChecked, readRows } from '../server/modules/imports/read.ts';
import { importLimitsOf } from '../server/modules/imports/refusals.ts';
import { runImport } from '../server/modules/imports/run.ts';
import { createImport, importSummary } from '../server/modules/imports/service.ts';
import { demoRoleGrants } from '../server/seed/demo/staff.ts';
import { buildTestApp, type Session, signIn, type TestApp } from './app.ts';
import { tempDir } from './cli.ts';
import {
  type CraftedEntry,
  craftedWorkbook,
  craftZip,
  customerRows,
  deflateLarge,
} from './crafted-workbooks.ts';
import { makeUser, TEST_PASSWORD } from './factories.ts';
import { csvText, gbk, importEnded, sheetXml, uploadToPool, workbookParts } from './spreadsheets.ts';

/**
 * The crafted workbooks of issue 20 (items 1 and 2), through the upload route and the CLI's import:
 * a refusal is a 400 naming the cell or entry and stores nothing; an accepted file imports the
 * sheet its workbook names and never more than the row limit; the process lives through all.
 */
const MAX_ROWS = 50;
let t: TestApp;
let manager: Session;
let managerName: string;
const db = () => t.database.db;

beforeAll(async () => {
  t = await buildTestApp({ importMaxRows: MAX_ROWS });
  const boss = await makeUser(db(), { codes: [...demoRoleGrants.sales_manager] });
  managerName = boss.username;
  manager = await signIn(t.app, boss.username, TEST_PASSWORD);
});
afterAll(async () => t?.close());

const counts = async () =>
  (
    await queryRows<{ imports: number; files: number; customers: number }>(
      db(),
      sql`select (select count(*)::int from imports) as imports, (select count(*)::int from import_files) as files,
            (select count(*)::int from customers) as customers`,
    )
  )[0]!;

const upload = (name: string, data: Buffer) => uploadToPool(t.app, manager, { name, data });

const finished = (importId: number) => importEnded(t.app, manager, importId, 1200);

/** Refused with `code` and `params`, and nothing stored. */
async function expectRefused(name: string, data: Buffer, code: string, params?: object) {
  const before = await counts();
  const response = await upload(name, data);
  expect(response.statusCode, `${name}: ${response.body}`).toBe(400);
  expect(response.json().error, name).toBe(code);
  if (params) expect(response.json().params, name).toMatchObject(params);
  expect(await counts(), name).toEqual(before);
}

/** Taken, and imports exactly `rows` customers: those of the sheet the workbook names. */
async function expectImported(name: string, data: Buffer, rows: number) {
  const before = await counts();
  const response = await upload(name, data);
  expect(response.statusCode, `${name}: ${response.body}`).toBe(200);
  expect(response.json().total, name).toBe(rows);
  const done = await finished(response.json().importId);
  expect(done, name).toMatchObject({ status: 'done', created: rows, errorCount: 0 });
  expect((await counts()).customers - before.customers, name).toBe(rows);
}

const sheetOf = (rows: unknown[][]) => sheetXml(rows);
const small = () => customerRows(3);
const many = () => customerRows(300, '越界');

describe('crafted workbooks', () => {
  it('refuses a cell that inflates to 400 MB, naming the cell, and goes on serving', async () => {
    const bomb = await deflateLarge([
      '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>',
      '<row r="2"><c r="B2" t="inlineStr"><is><t>',
      { repeat: Buffer.alloc(1024 * 1024, 0x61), times: 400 },
      '</t></is></c></row></sheetData></worksheet>',
    ]);
    const parts: CraftedEntry[] = workbookParts([['worksheets/sheet1.xml', '']]).map((p) =>
      p.name === 'xl/worksheets/sheet1.xml' ? { name: p.name, deflated: bomb } : p,
    );
    const file = craftZip(parts);
    expect(file.length).toBeLessThan(1024 * 1024);
    await expectRefused('cell-bomb.xlsx', file, 'cell_too_long', { cell: 'B2', limit: 32_767 });
    // The same cell as a shared string: past the shared strings' bound, refused before inflating.
    const strings = await deflateLarge([
      '<sst><si><t>',
      { repeat: Buffer.alloc(1024 * 1024, 0x61), times: 400 },
      '</t></si></sst>',
    ]);
    const shared = workbookParts([['worksheets/sheet1.xml', sheetOf(small())]], '').map((p) =>
      p.name === 'xl/sharedStrings.xml' ? { name: p.name, deflated: strings } : p,
    );
    await expectRefused('strings-bomb.xlsx', craftZip(shared), 'zip_bomb', { entry: 'xl/sharedStrings.xml' });
    // Within that bound, a string past the cell cap is refused where a cell uses it.
    const long = `<sst><si><t>${'长'.repeat(40_000)}</t></si><si><t>姓名</t></si></sst>`;
    const usesIt =
      '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>1</v></c></row>' +
      '<row r="2"><c r="A2" t="inlineStr"><is><t>甲</t></is></c><c r="C2" t="s"><v>0</v></c></row></sheetData></worksheet>';
    await expectRefused(
      'long-string.xlsx',
      craftZip(workbookParts([['worksheets/sheet1.xml', usesIt]], long)),
      'cell_too_long',
      { cell: 'C2' },
    );
    // A row of 16,384 cells each showing a 30,000-character string: bounded as a row.
    const wide = `<worksheet><sheetData><row r="1"><c t="s"><v>1</v></c></row><row r="2">${'<c t="s"><v>0</v></c>'.repeat(16_384)}</row></sheetData></worksheet>`;
    await expectRefused(
      'wide-row.xlsx',
      craftZip(
        workbookParts(
          [['worksheets/sheet1.xml', wide]],
          `<sst><si><t>${'x'.repeat(30_000)}</t></si><si><t>姓名</t></si></sst>`,
        ),
      ),
      'row_too_long',
      { row: 2 },
    );
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
  });

  it('reads the sheet the workbook names, whatever else the zip holds and in whatever order', async () => {
    const decoy = (name: string): CraftedEntry => ({ name, data: Buffer.from(sheetOf(many())) });
    // A second sheet the old check never looked at, first in the file, where a streaming reader looks.
    for (const name of [
      'zz/xl/worksheets/sheet9.xml',
      'xl/worksheets/sheet9.xml.bak',
      'xl/worksheets/sheet0.xml',
    ]) {
      await expectImported(
        `${name}.xlsx`,
        craftZip([decoy(name), ...craftedWorkbook([['worksheets/sheet1.xml', small()]])]),
        3,
      );
    }
    // A directory in another order than the local entries.
    const entries = [
      decoy('xl/worksheets/sheet9.xml'),
      ...craftedWorkbook([['worksheets/sheet1.xml', small()]]),
    ];
    await expectImported(
      'reordered.xlsx',
      craftZip(entries, { directoryOrder: entries.map((_, i) => i).reverse() }),
      3,
    );
    // The workbook's first tab is another part than sheet1: that one is read, and checked.
    await expectImported(
      'named.xlsx',
      craftZip([...craftedWorkbook([['worksheets/data.xml', small()]]), decoy('xl/worksheets/sheet1.xml')]),
      3,
    );
    await expectRefused(
      'first-tab-large.xlsx',
      craftZip(
        craftedWorkbook([
          ['/xl/worksheets/sheet2.xml', many()],
          ['worksheets/sheet1.xml', small()],
        ]),
      ),
      'too_many_rows',
      { count: 300, limit: MAX_ROWS },
    );
    await expectRefused(
      'many.xlsx',
      craftZip(craftedWorkbook([['worksheets/sheet1.xml', many()]])),
      'too_many_rows',
    );
  });

  it('refuses zips whose entries disagree with their directory or repeat a name, naming the entry', async () => {
    const book = () => craftedWorkbook([['worksheets/sheet1.xml', small()]]);
    const sheet = 'xl/worksheets/sheet1.xml';
    const withSheet = (change: Partial<CraftedEntry>) =>
      book().map((e) => (e.name === sheet ? { ...e, ...change } : e));
    const cases: [string, Buffer, string, object][] = [
      [
        'repeated',
        craftZip([...book(), { name: sheet, data: Buffer.from(sheetOf(many())) }]),
        'zip_entry_repeated',
        { entry: sheet },
      ],
      [
        'repeated-case',
        craftZip([...book(), { name: 'XL/Worksheets/Sheet1.xml', data: Buffer.from(sheetOf(many())) }]),
        'zip_entry_repeated',
        {},
      ],
      [
        'local-name',
        craftZip(withSheet({ localName: 'xl/worksheets/sheet2.xml' })),
        'zip_entry_mismatch',
        { entry: sheet },
      ],
      ['local-size', craftZip(withSheet({ localSize: 10 })), 'zip_entry_mismatch', { entry: sheet }],
      ['lying-size', craftZip(withSheet({ declaredSize: 100 })), 'zip_entry_mismatch', { entry: sheet }],
      ['crc', craftZip(withSheet({ crc: 12345 })), 'zip_entry_mismatch', { entry: sheet }],
      ['descriptor', craftZip(withSheet({ descriptor: { crc: 1 } })), 'zip_entry_mismatch', { entry: sheet }],
      [
        'hidden',
        craftZip([
          { name: 'xl/worksheets/sheet9.xml', data: Buffer.from(sheetOf(many())), hidden: true },
          ...book(),
        ]),
        'zip_entry_mismatch',
        { entry: 'xl/worksheets/sheet9.xml' },
      ],
      [
        'alias',
        craftZip(book(), { aliases: [{ name: 'xl/worksheets/sheet9.xml', of: sheet }] }),
        'zip_entry_mismatch',
        {},
      ],
      ['huge-declared', craftZip(withSheet({ declaredSize: 2 ** 31 })), 'zip_bomb', { entry: sheet }],
    ];
    for (const [name, file, code, params] of cases) await expectRefused(`${name}.xlsx`, file, code, params);
    // A streaming writer's descriptor that agrees is a workbook like any other.
    await expectImported('descriptor-ok.xlsx', craftZip(withSheet({ descriptor: true })), 3);
  });

  it('refuses truncated, garbage and malformed workbooks with a 400, and no DTD expands', async () => {
    const good = craftZip(craftedWorkbook([['worksheets/sheet1.xml', small()]]));
    for (const cut of [10, 100, good.length / 2, good.length - 30, good.length - 1]) {
      await expectRefused(`cut-${cut}.xlsx`, good.subarray(0, Math.floor(cut)), 'not_spreadsheet');
    }
    const garbage = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(5000, 0x37)]);
    await expectRefused('garbage.xlsx', garbage, 'not_spreadsheet');
    const laughs =
      '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' +
      '<worksheet><sheetData><row><c t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>';
    const malformed: [string, string][] = [
      ['laughs', laughs],
      [
        'far-column',
        '<worksheet><sheetData><row r="1"><c r="XFE1"><v>1</v></c></row></sheetData></worksheet>',
      ],
      ['far-row', '<worksheet><sheetData><row r="1048577"><c><v>1</v></c></row></sheetData></worksheet>'],
      ['no-string', '<worksheet><sheetData><row r="1"><c t="s"><v>7</v></c></row></sheetData></worksheet>'],
      ['unclosed', '<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>甲'],
    ];
    for (const [name, xml] of malformed) {
      await expectRefused(
        `${name}.xlsx`,
        craftZip(workbookParts([['worksheets/sheet1.xml', xml]])),
        'not_spreadsheet',
        { kind: 'damaged' },
      );
    }
  });

  it('takes CSV in GBK with long fields: past the column a row error, past the cell cap a 400 naming it', async () => {
    const before = await counts();
    const note = gbk(
      csvText([
        ['姓名', '手机', '备注'],
        ['长备注', '17712340001', '注'.repeat(6_000)],
      ]),
    );
    const response = await upload('long-note.csv', note);
    expect(response.statusCode).toBe(200);
    const done = await finished(response.json().importId);
    expect(done).toMatchObject({ status: 'done', created: 0, errorCount: 1 });
    expect(done.errors[0]).toMatchObject({ column: '备注', code: 'too_long' });
    expect((await counts()).customers).toBe(before.customers);
    const huge = gbk(
      csvText([
        ['姓名', '手机'],
        ['甲', '17712340002'],
        ['乙', '巨'.repeat(40_000)],
      ]),
    );
    await expectRefused('huge-field.csv', huge, 'cell_too_long', { cell: 'B3' });
    const wide = Buffer.from(`姓名,手机\n甲,${','.repeat(300_000)}\n`);
    await expectRefused('wide.csv', wide, 'row_too_long', { row: 2 });
    await expectRefused('many.csv', Buffer.from(csvText(many())), 'too_many_rows', { count: 300 });
  });

  it('stops at the row limit as it reads, whatever the upload check said', async () => {
    const before = await counts();
    const data = Buffer.from(csvText(customerRows(30, '限额')));
    // Checked under a larger limit, as a file queued before the limit was lowered.
    const queued = () =>
      createImport(db(), {
        userId: manager.userId,
        fileName: 'limit.csv',
        data,
        mode: 'commit',
        assign: 'pool',
        limits: { ...importLimitsOf(t.config), maxRows: 100 },
        claimFor: { instance: 'test', leaseMs: 60_000 },
      });
    const limits = { ...importLimitsOf(t.config), maxRows: 25 };
    const options = { timezone: t.config.timezone, instance: 'test', leaseMs: 60_000, batchSize: 10, limits };
    // The import's own reader checks the stored file again: refused before anything is written.
    const checked = await queued();
    await runImport(db(), checked.id, {
      ...options,
      read: (file, format) => readChecked(file, format, limits),
    });
    expect(await importSummary(db(), checked.id)).toMatchObject({
      status: 'failed',
      failureCode: 'too_many_rows',
      failureParams: { limit: 25 },
      created: 0,
    });
    // A reader that disagrees with the check: the import counts as it reads and stops at the limit.
    const unchecked = await queued();
    await runImport(db(), unchecked.id, {
      ...options,
      read: (file, format) => readRows(file, format, limits),
    });
    const stopped = await importSummary(db(), unchecked.id);
    expect(stopped).toMatchObject({ status: 'failed', failureCode: 'too_many_rows', created: 20 });
    expect((await counts()).customers - before.customers).toBe(20);
  });

  it('the CLI import takes and refuses the same files the same way', async () => {
    const dir = await tempDir('crm-crafted-');
    const cli = async (name: string, data: Buffer) => {
      const file = `${dir}/${name}`;
      await writeFile(file, data);
      return importFromCli(db(), {
        file,
        username: managerName,
        preview: false,
        assign: 'pool',
        timezone: t.config.timezone,
        kind: t.database.kind,
        limits: importLimitsOf(t.config),
        heapMb: t.config.importHeapMb,
        onProgress: () => {},
      });
    };
    const before = await counts();
    const bypass = craftZip([
      { name: 'zz/xl/worksheets/sheet9.xml', data: Buffer.from(sheetOf(many())) },
      ...craftedWorkbook([['worksheets/sheet1.xml', small()]]),
    ]);
    expect(await cli('bypass.xlsx', bypass)).toMatchObject({ status: 'done', created: 3 });
    await expect(
      cli('many.xlsx', craftZip(craftedWorkbook([['worksheets/sheet1.xml', many()]]))),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: 'too_many_rows',
    });
    const repeated = craftZip([
      ...craftedWorkbook([['worksheets/sheet1.xml', small()]]),
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('x') },
    ]);
    await expect(cli('repeated.xlsx', repeated)).rejects.toMatchObject({ code: 'zip_entry_repeated' });
    const after = await counts();
    expect(after.customers - before.customers).toBe(3);
    expect(after.imports - before.imports).toBe(1);
  });
});
