import { existsSync } from 'node:fs';
import http from 'node:http';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { lastDailySlot } from '../server/clock.ts';
import { loadConfig } from '../server/config.ts';
import { type Db, openPostgres, queryRows } from '../server/db/client.ts';
import { dailyJobs } from '../server/jobs/schedule.ts';
import { startServer, stopServer } from '../test/cli.ts';

/** What a closed-loop load run measured: `clients` callers each firing the next request on an answer. */
export type LoadResult = { requests: number; perSecond: number; p50Ms: number; p99Ms: number };

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const round = (ms: number) => Number(ms.toFixed(1));

/**
 * `crm serve` in a process of its own against `databaseUrl` (as deployed: the load generator must
 * not share the server's event loop), without demo data.
 */
export async function serveForBench(databaseUrl: string, extra: Record<string, string> = {}) {
  const server = await startServer(
    { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', NODE_ENV: 'production', ...extra },
    ['--no-demo'],
    90_000,
    // The built server when there is one, as `npm start` runs it (tsx costs memory and start-up).
    existsSync('dist/server/cli.js'),
  );
  return { url: server.url, stop: () => stopServer(server.child) };
}

/**
 * Waits until the servers' start-up catch-up (today's daily jobs, the sweep on a freshly seeded
 * school) has run, so that it does not share the machine with what is measured. Returns what each
 * run did and how long it took.
 */
export async function afterDailyJobs(db: Db, timeoutMs = 300_000) {
  // The servers get this process's environment (serveForBench), so the same school timezone.
  const { timezone } = loadConfig();
  const keys = dailyJobs(db).map(
    (job) => `${job.kind}:${lastDailySlot(new Date(), timezone, job.minutes).date}`,
  );
  const until = Date.now() + timeoutMs;
  for (;;) {
    const runs = await queryRows<{
      run_key: string;
      status: string;
      result: unknown;
      seconds: number | null;
    }>(
      db,
      sql`select run_key, status, result, extract(epoch from finished_at - started_at)::float as seconds
          from jobs where run_key = any(${sql.param(keys)}::text[])`,
    );
    if (runs.length === keys.length && runs.every((r) => r.status === 'done' || r.status === 'failed')) {
      return Object.fromEntries(runs.map((r) => [r.run_key, { result: r.result, seconds: r.seconds }]));
    }
    if (Date.now() > until) throw new Error(`the daily jobs did not finish: ${JSON.stringify(runs)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * One `crm serve` on the school of BENCH_DATABASE_URL (made with `crm seed --scale N`), once its
 * start-up catch-up has run, with the school's number of customers. The caller stops the server.
 */
export async function serveSchool(): Promise<{
  url: string;
  customers: number;
  server: Awaited<ReturnType<typeof serveForBench>>;
}> {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error('Set BENCH_DATABASE_URL to a PostgreSQL database made with `crm seed --scale N`');
  const counting = openPostgres(url, { max: 1 });
  try {
    const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(
      counting.db,
      sql`select count(*)::int as n from customers`,
    );
    const server = await serveForBench(url);
    await afterDailyJobs(counting.db).catch(async (error) => {
      await server.stop();
      throw error;
    });
    await vacuumAsAutovacuumWould(url);
    return { url, customers: n, server };
  } finally {
    await counting.close();
  }
}

/**
 * With autovacuum off (as on the machines this project is built on), the tables the start-up
 * catch-up wrote (a seeded school's sweep ends tens of thousands of periods) are vacuumed as
 * autovacuum would have done within its minute: else every index-only count visits the table.
 */
export async function vacuumAsAutovacuumWould(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: setting } = await client.query<{ autovacuum: string }>('show autovacuum');
    if (setting[0]?.autovacuum !== 'off') return;
    const { rows } = await client.query<{ name: string }>(
      `select relname as name from pg_stat_user_tables
       where n_dead_tup + n_ins_since_vacuum > 50 + 0.02 * greatest(n_live_tup, 1)`,
    );
    for (const { name } of rows) await client.query(`vacuum (analyze) "${name}"`);
    if (rows.length) console.error(`autovacuum is off: vacuumed ${rows.map((r) => r.name).join(', ')}`);
  } finally {
    await client.end();
  }
}

/** A new empty database `name` on the server of `base` (dropped first if left over); its URL. */
export async function freshPostgres(base: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Signs in and returns the headers later requests carry. */
export async function signIn(
  url: string,
  username: string,
  password = process.env.CRM_DEMO_PASSWORD ?? 'demo1234',
) {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`signing in as ${username}: ${response.status} ${await response.text()}`);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  const cookie = response.headers.get('set-cookie')?.split(';')[0] ?? '';
  return { cookie, 'x-csrf-token': csrfToken };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export type Answer = { status: number; body: string };

/**
 * One HTTP request over a kept-alive socket. node:http, not fetch: fetch costs the load generator
 * several times more CPU per call, and it shares the machine's cores with the server under test.
 */
export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        agent,
        method: options.method ?? 'GET',
        headers: { ...options.headers, ...(payload ? { 'content-type': 'application/json' } : {}) },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** Runs `requests` requests from `clients` concurrent callers; any answer but 200 stops the run. */
export async function closedLoop(options: {
  clients: number;
  requests: number;
  request: (i: number) => Promise<Answer>;
  accept?: (answer: Answer) => boolean;
}): Promise<LoadResult> {
  const { clients, requests, request, accept = (r) => r.status === 200 } = options;
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < requests) {
        const i = next++;
        const t0 = performance.now();
        const answer = await request(i);
        if (!accept(answer)) throw new Error(`request ${i}: ${answer.status} ${answer.body.slice(0, 200)}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests,
    perSecond: Math.round(requests / seconds),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
  };
}

/**
 * The same closed loop driven by wrk (Debian's `wrk`, C): `clients` connections, each sending its
 * next request when the last is answered, for `seconds`. The node:http loop above costs the
 * machine about as much CPU per request as a cheap request costs the server, and on two cores it
 * shares them with the server and PostgreSQL; wrk costs a small fraction of that.
 * `paths` are cycled through; every answer must be a 200.
 */
export async function wrkLoop(options: {
  url: string;
  paths: string[];
  headers: Record<string, string>;
  clients: number;
  seconds: number;
}): Promise<LoadResult & { loadGenerator: 'wrk' }> {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const lua = (s: string) => JSON.stringify(s);
  const script = `
local paths = { ${options.paths.map(lua).join(', ')} }
local headers = { ${Object.entries(options.headers)
    .map(([k, v]) => `[${lua(k)}] = ${lua(v)}`)
    .join(', ')} }
local i = 0
bad = 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], headers)
end
function response(status, h, body)
  if status ~= 200 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local failed = 0
  for _, t in ipairs(threads) do failed = failed + t:get("bad") end
  io.write(string.format("RESULT %d %.3f %.3f %d %.3f\\n", summary.requests, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, failed, summary.duration / 1e6))
end
`;
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'crm-wrk-')), 'loop.lua');
  writeFileSync(file, script);
  // Not execFileSync: the caller may have load of its own running meanwhile (grabs beside a page loop).
  const { stdout: out } = await promisify(execFile)(
    'wrk',
    // A 30 s timeout, not wrk's 2 s: a slow answer is a long latency, never a request left uncounted.
    ['-t1', `-c${options.clients}`, `-d${options.seconds}s`, '--timeout', '30s', '-s', file, options.url],
    { encoding: 'utf8' },
  );
  const match = /RESULT (\d+) ([\d.]+) ([\d.]+) (\d+) ([\d.]+)/.exec(out);
  if (!match) throw new Error(`wrk said: ${out}`);
  const [, requests, p50, p99, failed, duration] = match;
  if (Number(failed) > 0) throw new Error(`wrk: ${failed} answers were not 200`);
  return {
    loadGenerator: 'wrk',
    requests: Number(requests),
    perSecond: Math.round(Number(requests) / Number(duration)),
    p50Ms: round(Number(p50)),
    p99Ms: round(Number(p99)),
  };
}

/**
 * Exactly these requests, once each, from `clients` connections driven by wrk, then stop: for
 * storms where every request counts (a grab). Answers are tallied by status.
 */
export async function wrkBurst(options: {
  url: string;
  requests: { method: string; path: string; headers: Record<string, string> }[];
  clients: number;
}): Promise<{
  requests: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  statuses: Record<string, number>;
}> {
  const { spawn } = await import('node:child_process');
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const lua = (s: string) => JSON.stringify(s);
  const entries = options.requests
    .map(
      (r) =>
        `{ ${lua(r.method)}, ${lua(r.path)}, { ${Object.entries(r.headers)
          .map(([k, v]) => `[${lua(k)}] = ${lua(v)}`)
          .join(', ')} } }`,
    )
    .join(',\n');
  // Once every request is sent, the connections still open ask for /api/health (cheap, told apart
  // by its body and not tallied) until the last real answer is in.
  const script = `
local list = { ${entries} }
local sent = 0
local answered = 0
ok200 = 0
conflict409 = 0
other = 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
local primed = false
function request()
  -- wrk asks for one request before it opens any connection and never sends it: give it a filler.
  if not primed then
    primed = true
    return wrk.format("GET", "/api/health")
  end
  sent = sent + 1
  if sent <= #list then
    local r = list[sent]
    return wrk.format(r[1], r[2], r[3])
  end
  return wrk.format("GET", "/api/health")
end
function response(status, headers, body)
  -- The filler's answer names the database; no answer to a real request does.
  if body and string.find(body, '"database"', 1, true) then return end
  answered = answered + 1
  if status == 200 then ok200 = ok200 + 1 elseif status == 409 then conflict409 = conflict409 + 1 else other = other + 1 end
  if answered == #list then
    -- wrk's main thread sleeps out -d whatever its threads do: say so, and the caller interrupts it.
    io.write("ALLDONE\\n")
    io.flush()
    wrk.thread:stop()
  end
end
function done(summary, latency, requests)
  local a, b, c = 0, 0, 0
  for _, t in ipairs(threads) do a = a + t:get("ok200"); b = b + t:get("conflict409"); c = c + t:get("other") end
  io.write(string.format("RESULT %.3f %.3f %.3f %d %d %d\\n", summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, a, b, c))
end
`;
  const dir = mkdtempSync(path.join(tmpdir(), 'crm-wrk-'));
  const file = path.join(dir, 'burst.lua');
  writeFileSync(file, script);
  const started = performance.now();
  let finishedAt = 0;
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn('wrk', ['-t1', `-c${options.clients}`, '-d300s', '-s', file, options.url]);
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (!finishedAt && stdout.includes('ALLDONE')) {
        finishedAt = performance.now();
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('close', () => resolve(stdout));
  });
  const match = /RESULT ([\d.]+) ([\d.]+) ([\d.]+) (\d+) (\d+) (\d+)/.exec(out);
  if (!match) throw new Error(`wrk said: ${out}`);
  return {
    requests: options.requests.length,
    // Until the last answer, as this process saw it (wrk's own figure runs to the interrupt).
    seconds: ((finishedAt || performance.now()) - started) / 1000,
    p50Ms: round(Number(match[2])),
    p99Ms: round(Number(match[3])),
    statuses: { 200: Number(match[4]), 409: Number(match[5]), other: Number(match[6]) },
  };
}
