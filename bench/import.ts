import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { cliEnv, runCli, startServer, stopServer } from '../test/cli.ts';
import { freshPostgres, signIn } from './load.ts';

/**
 * `npm run bench -- import`: a generated workbook of BENCH_IMPORT_ROWS (100,000) customers committed
 * with the rotation, end to end through `crm serve` in its own process — upload, parse, validate,
 * dedupe, assign, insert customers and their periods — on PostgreSQL (BENCH_DATABASE_URL, in a fresh
 * database of its own beside it) and on PGlite. Reports rows/s and the server's peak RSS.
 */
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂';
const SOURCES = ['百度推广', '官方网站', 'qq群', '腾讯课堂', 'SEO', '内部转介绍'];

async function generate(file: string, rows: number): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
  const sheet = book.addWorksheet('客户');
  sheet.addRow(['姓名', '手机', 'QQ', '微信', '性别', '来源', '班型', '学历', '专业', '客户背景']).commit();
  for (let i = 0; i < rows; i++) {
    sheet
      .addRow([
        `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}${GIVEN[(i * 13) % GIVEN.length]}`,
        // Numbers, as people type phone numbers into Excel.
        15_000_000_000 + i,
        i % 3 === 0 ? String(200_000_000 + i) : null,
        i % 4 === 0 ? `wx_bench_${i}` : null,
        i % 2 ? '男' : '女',
        SOURCES[i % SOURCES.length],
        i % 5 ? '脱产班' : '周末班',
        i % 3 ? '普通本科' : '大专',
        '计算机',
        i % 10 === 0 ? '想转行做开发，周末有空' : null,
      ])
      .commit();
  }
  sheet.commit();
  await book.commit();
}

/** The server process's peak resident memory (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

async function importThrough(
  url: string,
  file: string,
): Promise<{ seconds: number; result: Record<string, unknown> }> {
  const headers = await signIn(url, 'manager');
  // Quotas the demo school sets for a day would send most of 100,000 to the pool: lift them.
  const ranks = (await (await fetch(`${url}/api/sale-ranks?pageSize=200`, { headers })).json()) as {
    items: { id: number }[];
  };
  for (const rank of ranks.items) {
    await fetch(`${url}/api/sale-ranks/${rank.id}`, {
      method: 'PATCH',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ dailyQuota: 100_000 }),
    });
  }
  const form = new FormData();
  form.set('mode', 'commit');
  form.set('assign', 'rotation');
  form.set('file', new Blob([readFileSync(file)]), path.basename(file));
  const started = performance.now();
  const upload = await fetch(`${url}/api/customers/import`, { method: 'POST', headers, body: form });
  if (upload.status !== 200) throw new Error(`upload: ${upload.status} ${await upload.text()}`);
  const { importId } = (await upload.json()) as { importId: number };
  for (;;) {
    const result = (await (await fetch(`${url}/api/imports/${importId}`, { headers })).json()) as Record<
      string,
      unknown
    >;
    if (result.status === 'done' || result.status === 'failed') {
      const { errors: _errors, ...rest } = result;
      return { seconds: (performance.now() - started) / 1000, result: rest };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function measure(label: string, env: NodeJS.ProcessEnv, file: string) {
  const seeded = await runCli(['seed', '--demo'], env);
  if (seeded.code !== 0) throw new Error(`seed: ${seeded.stderr}`);
  // The built server, as deployed (npm start): its memory is what the goal is about.
  const server = await startServer({ ...env, NODE_ENV: 'production' }, ['--no-demo'], 90_000, true);
  try {
    const { seconds, result } = await importThrough(server.url, file);
    const figures = {
      database: label,
      rows: ROWS,
      seconds: Number(seconds.toFixed(1)),
      rowsPerSecond: Math.round(ROWS / seconds),
      peakRssMb: peakRssMb(server.child.pid!),
      created: result.created,
      status: result.status,
    };
    console.error(label, JSON.stringify(figures));
    return figures;
  } finally {
    await stopServer(server.child);
  }
}

export async function importBench() {
  if (!existsSync('dist/server/cli.js')) throw new Error('Build first: npm run build');
  const dir = await mkdtemp(path.join(tmpdir(), 'crm-bench-import-'));
  const file = path.join(dir, `customers-${ROWS}.xlsx`);
  const t0 = performance.now();
  await generate(file, ROWS);
  console.error(`generated ${file} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const results = [];
  const base = process.env.BENCH_DATABASE_URL;
  if (base) {
    const url = await freshPostgres(base, 'crm_bench_import');
    results.push(await measure('postgres', { ...cliEnv(dir), DATABASE_URL: url, LOG_LEVEL: 'warn' }, file));
  } else {
    console.error('BENCH_DATABASE_URL is not set: PostgreSQL skipped');
  }
  if (process.env.BENCH_PGLITE !== '0') {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'crm-bench-import-pglite-'));
    results.push(await measure('pglite', { ...cliEnv(dataDir), LOG_LEVEL: 'warn' }, file));
  }
  return results;
}
