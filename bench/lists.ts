import { sql } from 'drizzle-orm';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openPostgres, queryRows } from '../server/db/client.ts';
import { prepareDatabase } from '../server/db/prepare.ts';

/**
 * Customer list page 1 with a keyword and two filters, as the manager, from 32 concurrent clients
 * over real HTTP, against a school made by `crm seed --scale N` (BENCH_DATABASE_URL).
 */
const CLIENTS = 32;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2_000);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export async function listsBench() {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error('Set BENCH_DATABASE_URL to a PostgreSQL database made with `crm seed --scale N`');
  const database = openPostgres(url, { max: CLIENTS });
  await prepareDatabase(database);
  const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from customers`,
  );
  const config = {
    ...loadConfig({ ...process.env, DATABASE_URL: url }),
    webDir: '/nonexistent',
    logLevel: 'warn',
  };
  const app = await buildApp({ config, database, logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const login = await fetch(`${address}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'manager', password: config.demoPassword }),
  });
  const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
  // Keywords a manager types: part of a phone number, a surname and given name, a QQ fragment.
  const keywords = ['1380', '王芳', '张伟', '8866', '李娜', '1591'];
  const path = (i: number) =>
    `/api/customers?q=${encodeURIComponent(keywords[i % keywords.length]!)}&source=baidu,seo,website&status=unregistered&page=1&pageSize=20`;
  // Warm up the pool and the caches.
  for (let i = 0; i < 50; i++) await fetch(`${address}${path(i)}`, { headers: { cookie } });

  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < REQUESTS) {
        const i = next++;
        const t0 = performance.now();
        const response = await fetch(`${address}${path(i)}`, { headers: { cookie } });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`status ${response.status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);

  // The same query's own execution time, from PostgreSQL, for one keyword of each kind.
  const raw: Record<string, number> = {};
  for (const keyword of ['1380', '王芳']) {
    const pattern = `%${keyword}%`;
    const plan = await queryRows<{ 'QUERY PLAN': unknown }>(
      database.db,
      sql`explain (analyze, format json)
          select * from customers
          where (name ilike ${pattern} or phone ilike ${pattern} or qq ilike ${pattern} or wechat ilike ${pattern})
            and source in ('baidu', 'seo', 'website') and status = 'unregistered'
          order by created_at desc, id limit 20`,
    );
    const explained = plan[0]?.['QUERY PLAN'] as { 'Execution Time': number }[] | undefined;
    raw[keyword] = Number(explained?.[0]?.['Execution Time'].toFixed(2));
  }
  await app.close();
  await database.close();
  return {
    customers: n,
    clients: CLIENTS,
    requests: REQUESTS,
    throughputPerSecond: Math.round(REQUESTS / seconds),
    p50Ms: Number(percentile(latencies, 50).toFixed(1)),
    p99Ms: Number(percentile(latencies, 99).toFixed(1)),
    rawSqlPageMs: raw,
  };
}
