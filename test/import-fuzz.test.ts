import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../server/db/client.ts';
import { HttpError } from '../server/http/errors.ts';
import { readChecked } from '../server/modules/imports/read.ts';
import { DEFAULT_IMPORT_LIMITS } from '../server/modules/imports/refusals.ts';
import { sniffUpload } from '../server/modules/imports/sniff.ts';
import { demoRoleGrants } from '../server/seed/demo/staff.ts';
import { buildTestApp, type Session, signIn, type TestApp } from './app.ts';
import { cliEnv, runCli, tempDir } from './cli.ts';
import {
  craftedWorkbook,
  craftZip,
  customerRows,
  deflateLarge,
  mutate,
  seeded,
} from './crafted-workbooks.ts';
import { makeUser, TEST_PASSWORD } from './factories.ts';
import {
  csvText,
  gbk,
  importEnded,
  sheetXml,
  uploadToPool,
  workbook,
  workbookParts,
} from './spreadsheets.ts';

/**
 * The upload fuzz (issue 20): broken and hostile files, generated from a seed, fed to the upload
 * check, the reader, the upload route and the CLI. Never a 5xx, never a dead process, never more
 * rows than the limit, and a refused file leaves nothing behind.
 */
const MAX_ROWS = 50;
const SEED = Number(process.env.FUZZ_SEED ?? 20_2026);
const limits = { ...DEFAULT_IMPORT_LIMITS, maxRows: MAX_ROWS };

/** Shared strings of 90 MB (within their bound): more than a 48 MB thread can keep. */
async function memoryHungry(): Promise<Buffer> {
  const item = Buffer.from(`<si><t>${'y'.repeat(30_000)}</t></si>`);
  const strings = await deflateLarge(['<sst>', { repeat: item, times: 3_000 }, '</sst>']);
  return craftZip(
    workbookParts([['worksheets/sheet1.xml', sheetXml(customerRows(2, '内存'))]], '').map((p) =>
      p.name === 'xl/sharedStrings.xml' ? { name: p.name, deflated: strings } : p,
    ),
  );
}

/** Files to break: a workbook as Excel's kind of writer makes it, one of ours, and CSV in GBK. */
async function bases(): Promise<[string, Buffer][]> {
  return [
    ['exceljs.xlsx', await workbook(customerRows(5, '变异'))],
    ['crafted.xlsx', craftZip(craftedWorkbook([['worksheets/sheet1.xml', customerRows(5, '变异')]]))],
    ['gbk.csv', gbk(csvText(customerRows(5, '变异')))],
  ];
}

describe('the upload check and the reader, fuzzed', () => {
  it('refuse with a 400 or read exactly the rows they counted, for every mutation', {
    timeout: 240_000,
  }, async () => {
    const random = seeded(SEED);
    let refused = 0;
    let taken = 0;
    for (const [name, base] of await bases()) {
      for (let i = 0; i < 300; i++) {
        const file = mutate(base, random);
        let sniffed: Awaited<ReturnType<typeof sniffUpload>>;
        try {
          sniffed = await sniffUpload(file, name, limits);
        } catch (error) {
          expect(error, `${name} #${i}: ${(error as Error).stack}`).toBeInstanceOf(HttpError);
          expect((error as HttpError).statusCode).toBe(400);
          refused++;
          continue;
        }
        taken++;
        let read = 0;
        for await (const _ of readChecked(file, sniffed.format, limits)) read++;
        expect(read, `${name} #${i}`).toBe(sniffed.rows);
        expect(read - 1).toBeLessThanOrEqual(MAX_ROWS);
      }
    }
    console.info(
      `upload check fuzz (seed ${SEED}): ${refused + taken} files, ${refused} refused (400), ${taken} read`,
    );
    // Both kinds happen: the fuzz reaches past the zip's checks into the reader.
    expect(refused).toBeGreaterThan(100);
    expect(taken).toBeGreaterThan(10);
  });
});

describe('the upload route, fuzzed', () => {
  let t: TestApp;
  let manager: Session;
  beforeAll(async () => {
    // A thread of 48 MB: enough for any honest file of these, not for the hungry one.
    t = await buildTestApp({ importMaxRows: MAX_ROWS, importHeapMb: 48 });
    const boss = await makeUser(t.database.db, { codes: [...demoRoleGrants.sales_manager] });
    manager = await signIn(t.app, boss.username, TEST_PASSWORD);
  });
  afterAll(async () => t?.close());

  const upload = (name: string, data: Buffer) => uploadToPool(t.app, manager, { name, data });
  const finished = (importId: number) => importEnded(t.app, manager, importId, 2400);
  const stored = async () =>
    (
      await queryRows<{ imports: number; customers: number }>(
        t.database.db,
        sql`select (select count(*)::int from imports) as imports, (select count(*)::int from customers) as customers`,
      )
    )[0]!;

  it('fails an import that needs more memory than its thread may have, and goes on serving', {
    timeout: 120_000,
  }, async () => {
    const before = await stored();
    const response = await upload('hungry.xlsx', await memoryHungry());
    expect(response.statusCode, response.body).toBe(200);
    const done = await finished(response.json().importId);
    expect(done).toMatchObject({ status: 'failed', failureCode: 'out_of_memory', created: 0 });
    expect((await stored()).customers).toBe(before.customers);
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    // And the next import runs as any other.
    const next = await upload('after.csv', Buffer.from(csvText(customerRows(2, '之后'))));
    expect(await finished(next.json().importId)).toMatchObject({ status: 'done', created: 2 });
  });

  it('answers mutated and garbage files with 200 or 400, never more than the row limit', {
    timeout: 300_000,
  }, async () => {
    const random = seeded(SEED + 1);
    const files: [string, Buffer][] = [];
    for (const [name, base] of await bases()) {
      for (let i = 0; i < 15; i++) files.push([name, mutate(base, random)]);
    }
    for (let i = 0; i < 8; i++) {
      const noise = Buffer.from(Array.from({ length: random.int(4096) + 1 }, () => random.int(256)));
      const words = Array.from({ length: random.int(200) + 1 }, () =>
        String.fromCodePoint(random.int(0x2ffff) + 1),
      ).join('');
      files.push(['noise.xlsx', noise], ['noise.csv', Buffer.from(`姓名,手机\n${words}\n`)]);
    }
    const accepted: number[] = [];
    let statuses = { ok: 0, refused: 0 };
    for (const [name, file] of files) {
      const before = await stored();
      const response = await upload(name, file);
      expect([200, 400], `${name}: ${response.body}`).toContain(response.statusCode);
      if (response.statusCode === 200) {
        accepted.push(response.json().importId);
        statuses = { ...statuses, ok: statuses.ok + 1 };
      } else {
        // Imports taken earlier run meanwhile (and let go of their files): no import was added.
        expect((await stored()).imports, name).toBe(before.imports);
        statuses = { ...statuses, refused: statuses.refused + 1 };
      }
    }
    for (const id of accepted) {
      const done = await finished(id);
      expect(['done', 'failed']).toContain(done.status);
      expect(done.created).toBeLessThanOrEqual(MAX_ROWS);
      expect(done.failureCode ?? null).not.toBe('unexpected');
    }
    console.info(
      `upload route fuzz (seed ${SEED + 1}): ${files.length} uploads, ${statuses.ok} taken, ${statuses.refused} refused (400), no 5xx`,
    );
    expect(statuses.refused).toBeGreaterThan(15);
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
  });
});

// The real command in its own process, on its own embedded database (as cli.test.ts runs it).
describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))(
  'crm import, with crafted files',
  { timeout: 300_000 },
  () => {
    let dir: string;
    beforeAll(async () => {
      dir = await tempDir('crm-import-fuzz-');
    });
    afterAll(async () => rm(dir, { recursive: true, force: true }));

    it('refuses, imports or fails each as the server does, and exits cleanly', async () => {
      const env = cliEnv(dir, { CRM_IMPORT_MAX_ROWS: String(MAX_ROWS), CRM_IMPORT_HEAP_MB: '48' });
      expect((await runCli(['migrate'], env)).code).toBe(0);
      const user = await runCli(
        ['user', 'create', '--username', 'ops', '--name', '运维'],
        env,
        'long-enough-password\n',
      );
      expect(user.code, user.stderr).toBe(0);
      const run = async (name: string, data: Buffer) => {
        const file = path.join(dir, name);
        await writeFile(file, data);
        return runCli(['import', file, '--as', 'ops', '--assign', 'pool'], env);
      };
      const bomb = await deflateLarge([
        '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>',
        '<row r="2"><c r="C2" t="inlineStr"><is><t>',
        { repeat: Buffer.alloc(1024 * 1024, 0x61), times: 400 },
        '</t></is></c></row></sheetData></worksheet>',
      ]);
      const bombed = await run(
        'bomb.xlsx',
        craftZip(
          workbookParts([['worksheets/sheet1.xml', '']]).map((p) =>
            p.name === 'xl/worksheets/sheet1.xml' ? { name: p.name, deflated: bomb } : p,
          ),
        ),
      );
      expect(bombed.code, bombed.stderr).toBe(1);
      expect(bombed.stderr).toContain('Cell C2 holds more than 32,767 characters');
      const bypass = await run(
        'bypass.xlsx',
        craftZip([
          { name: 'zz/xl/worksheets/sheet9.xml', data: Buffer.from(sheetXml(customerRows(300, '绕过'))) },
          ...craftedWorkbook([['worksheets/sheet1.xml', customerRows(3, '命令')]]),
        ]),
      );
      expect(bypass.code, bypass.stderr).toBe(0);
      expect(bypass.stdout).toContain('3 rows, 3 valid, 3 created');
      const hungry = await run('hungry.xlsx', await memoryHungry());
      expect(hungry.code, hungry.stderr).toBe(1);
      expect(hungry.stderr).toContain('导入所需内存超出上限');
    });
  },
);
