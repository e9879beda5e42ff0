import { existsSync } from 'node:fs';
import { type SQL, sql } from 'drizzle-orm';
import pg from 'pg';
import type { Actor } from '../server/auth/sessions.ts';
import { now } from '../server/clock.ts';
import { DEFAULT_TIMEZONE } from '../server/config.ts';
import { type Db, openPostgres, queryRows } from '../server/db/client.ts';
import { cappedMatches } from '../server/engine/list-sql.ts';
import { LIST_COUNT_CAP, orderOf, whereOf } from '../server/engine/query.ts';
import type { ResourceConfig } from '../server/engine/types.ts';
import { consultRecordsResource } from '../server/modules/consults/resource.ts';
import { customersResource } from '../server/modules/customers/resource.ts';
import { myCustomersResource } from '../server/modules/distributions/my-customers.ts';
import { paymentRecordsResource } from '../server/modules/payments/resource.ts';
import { poolResource } from '../server/modules/pool/resource.ts';
import { studentsResource } from '../server/modules/students/resource.ts';
import { closedLoop, send, serveSchool, signIn, wrkLoop } from './load.ts';

/**
 * Customer list page 1 with a keyword and two filters, as the manager, from 32 concurrent clients
 * over real HTTP to `crm serve` in its own process, against a school made by `crm seed --scale N`
 * (BENCH_DATABASE_URL). Beside it: the same queries' execution time inside PostgreSQL, and that of
 * the lists a consultant reads under their row scope (their customers, follow-ups, payments,
 * periods, students), as the consultant who owns the most customers.
 */
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2_000);
// Keywords a manager types: part of a phone number, a two-character name, a QQ fragment.
const KEYWORDS = process.env.BENCH_KEYWORDS?.split(',') ?? ['1380', '王芳', '张伟', '8866', '李娜', '1591'];
const FILTERS = { source: 'baidu,seo,website', status: 'unregistered' };
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
// The manager reads every contact, so a keyword matches pieces of phone numbers too.
const MANAGER = { userId: 0, permissions: new Set(['customer.view_all']) } as unknown as Actor;
// wrk (C) unless BENCH_LOADGEN=node: see wrkLoop.
const useWrk = process.env.BENCH_LOADGEN !== 'node' && existsSync('/usr/bin/wrk');

/** The page query and the count the engine runs for one keyword, in ms (listSqlMs). */
async function rawSql(url: string, q: string) {
  const database = openPostgres(url, { max: 1 });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await listSqlMs(
      database.db,
      client,
      customersResource,
      whereOf(customersResource, { q, ...FILTERS }, undefined, DEFAULT_TIMEZONE, MANAGER),
    );
  } finally {
    await client.end();
    await database.close();
  }
}

/** The least execution time, in ms, of `runs` EXPLAIN ANALYZE runs of `text` (TIMING OFF: without the clock read around every row of every node). */
async function bestExecution(
  client: pg.Client,
  text: string,
  params: unknown[],
  runs: number,
  timing: boolean,
) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { rows } = await client.query(
      `explain (analyze${timing ? '' : ', timing off'}, format json) ${text}`,
      params,
    );
    times.push(rows[0]['QUERY PLAN'][0]['Execution Time'] as number);
  }
  return Number(Math.min(...times).toFixed(2));
}

/** Best of three warm EXPLAIN ANALYZE runs, in ms. */
export async function bestOfThree(
  client: pg.Client,
  query: { sql: string; params: unknown[] },
  options: { timing?: boolean } = {},
) {
  await client.query(query.sql, query.params);
  return bestExecution(client, query.sql, query.params, 3, options.timing !== false);
}

/** A value written into SQL as a literal (EXECUTE's arguments): text[] in array syntax. */
function literal(client: pg.Client, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return client.escapeLiteral(value.toISOString());
  if (Array.isArray(value))
    return client.escapeLiteral(
      `{${value.map((item) => `"${String(item).replace(/["\\]/g, '\\$&')}"`).join(',')}}`,
    );
  return client.escapeLiteral(String(value));
}

/**
 * The statement as the server runs it: prepared by name (db/statements.ts names a text from its
 * first runs on), run ten times so that PostgreSQL has settled on its plan as it does on a server's
 * connection (custom plans for the first five runs, then the generic one when it costs no more), then
 * EXPLAIN ANALYZE EXECUTE, the best of ten, timed and with TIMING OFF, in ms. Planning a statement
 * afresh right before running it (bestOfThree) also runs it with the CPU's caches full of the
 * planner's work: on the 2026-12-08 machine that doubled the execution time reported for the same
 * plan (`8642`: 1.25 ms planned afresh, 0.36 prepared; the prepared statement run 200 times took
 * 0.61 ms each from the client, round trip included).
 */
export async function explainPrepared(client: pg.Client, query: { sql: string; params: unknown[] }) {
  await client.query('deallocate all');
  await client.query(`prepare bench_statement as ${query.sql}`);
  // EXECUTE is a utility statement, which takes no placeholders: its values are written in.
  const execute = `execute bench_statement(${query.params.map((value) => literal(client, value)).join(', ')})`;
  for (let i = 0; i < 10; i++) await client.query(execute);
  const timed = await bestExecution(client, execute, [], 10, true);
  const untimed = await bestExecution(client, execute, [], 10, false);
  await client.query('deallocate bench_statement');
  return { timed, untimed };
}

/**
 * Page 1 (20 rows) and the count capped as engine/reads.ts caps it, of `config`'s list under `where`,
 * each the best of three warm EXPLAIN ANALYZE runs, in ms.
 */
export async function listSqlMs(db: Db, client: pg.Client, config: ResourceConfig, where: SQL | undefined) {
  const page = db
    .select()
    .from(config.table)
    .where(where)
    .orderBy(...orderOf(config, undefined))
    .limit(20)
    .toSQL();
  const matches = cappedMatches(db, config.table, where, config.countCap ?? LIST_COUNT_CAP).toSQL();
  const count = { sql: `select count(*) from (${matches.sql}) m`, params: matches.params };
  return { pageMs: await bestOfThree(client, page), countMs: await bestOfThree(client, count) };
}

/** Page 1 and the capped count of each list under a consultant's scope (listSqlMs). */
async function consultantLists(url: string) {
  const database = openPostgres(url, { max: 1 });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const [top] = await queryRows<{ id: number; owned: number }>(
      database.db,
      sql`select consultant_id as id, count(*)::int as owned from customer_owners
          group by consultant_id order by count(*) desc limit 1`,
    );
    if (!top) return {};
    const actor = { userId: top.id, permissions: new Set<string>() } as unknown as Actor;
    const lists: Record<string, ResourceConfig> = {
      customers: customersResource,
      'consult-records': consultRecordsResource,
      'payment-records': paymentRecordsResource,
      'my-customers': myCustomersResource,
      students: studentsResource,
    };
    const times: Record<string, { pageMs: number; countMs: number }> = {};
    for (const [name, config] of Object.entries(lists)) {
      times[name] = await listSqlMs(
        database.db,
        client,
        config,
        whereOf(config, {}, config.scope?.(actor, now()), DEFAULT_TIMEZONE, actor),
      );
    }
    return { consultant: top, ...times };
  } finally {
    await client.end();
    await database.close();
  }
}

// What a consultant types into the pool or their customer list: pieces of a number they see
// masked (matched only whole since issue 20), a common surname, and one whole number.
const CONSULTANT_KEYWORDS = ['1', '13', '138', '1380', 'wx', '王'];

/**
 * Page 1 and the capped count of the pool and the customer list as the consultant who owns the
 * most customers, for each keyword and the whole phone number of a customer in the pool (listSqlMs).
 */
export async function consultantSearches(url: string) {
  const database = openPostgres(url, { max: 1 });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const [top] = await queryRows<{ id: number }>(
      database.db,
      sql`select consultant_id as id from customer_owners group by consultant_id order by count(*) desc limit 1`,
    );
    const [other] = await queryRows<{ phone: string }>(
      database.db,
      sql`select phone from customers where phone is not null and consultant_id is null limit 1`,
    );
    if (!top) return {};
    const actor = {
      userId: top.id,
      permissions: new Set(['customer.list', 'pool.list', 'customer.grab']),
    } as unknown as Actor;
    const times: Record<string, Record<string, { pageMs: number; countMs: number }>> = {};
    for (const [name, config] of Object.entries({ pool: poolResource, customers: customersResource })) {
      times[name] = {};
      for (const q of [...CONSULTANT_KEYWORDS, other?.phone ?? '13800000000']) {
        times[name][q] = await listSqlMs(
          database.db,
          client,
          config,
          whereOf(config, { q }, config.scope?.(actor, now()), DEFAULT_TIMEZONE, actor),
        );
      }
    }
    return times;
  } finally {
    await client.end();
    await database.close();
  }
}

export async function listsBench() {
  const { url, customers: n, server } = await serveSchool();
  try {
    const headers = await signIn(server.url, 'manager');
    const get = (path: string) => () => send(`${server.url}${path}`, { headers });
    const listPath = (i: number) =>
      `/api/customers?${new URLSearchParams({ q: KEYWORDS[i % KEYWORDS.length]!, ...FILTERS, page: '1', pageSize: '20' })}`;
    for (let i = 0; i < 60; i++) await get(listPath(i))();

    // The floor: a signed-in call that reads nothing but the session.
    const loop = (paths: string[]) =>
      useWrk
        ? wrkLoop({ url: server.url, paths, headers, clients: CLIENTS, seconds: SECONDS })
        : closedLoop({
            clients: CLIENTS,
            requests: REQUESTS,
            request: (i) => get(paths[i % paths.length]!)(),
          });
    const me = await loop(['/api/auth/me']);
    const list = await loop(KEYWORDS.map((_, i) => listPath(i)));
    const raw: Record<string, { pageMs: number; countMs: number }> = {};
    for (const q of KEYWORDS) raw[q] = await rawSql(url, q);
    return {
      customers: n,
      clients: CLIENTS,
      list,
      me,
      rawSql: raw,
      consultantLists: await consultantLists(url),
      consultantSearches: await consultantSearches(url),
    };
  } finally {
    await server.stop();
  }
}
