import { sql } from 'drizzle-orm';
import pg from 'pg';
import { type Actor, PermissionCache } from '../server/auth/sessions.ts';
import { now } from '../server/clock.ts';
import { DEFAULT_TIMEZONE } from '../server/config.ts';
import { openPostgres, queryRows } from '../server/db/client.ts';
import { writesJsonPages } from '../server/engine/list-json.ts';
import { listStatementFor } from '../server/engine/reads.ts';
import type { ResourceConfig } from '../server/engine/types.ts';
import { customersResource } from '../server/modules/customers/resource.ts';
import { myCustomersResource } from '../server/modules/distributions/my-customers.ts';
import { poolResource } from '../server/modules/pool/resource.ts';
import { bestOfThree, explainPrepared } from './lists.ts';
import { send, serveSchool, signIn, wrkLoop } from './load.ts';

/**
 * Keyword search at scale (issue 24), against a school made by `crm seed --scale N`
 * (BENCH_DATABASE_URL), over HTTP to `crm serve` in its own process, 32 clients through wrk. A
 * fixed mix of keywords, each alone and with two filters, as the manager: for each, req/s, p50,
 * p99, how many customers match (the list's total, capped as it is) and the raw SQL of page 1 and
 * its count (EXPLAIN ANALYZE, warm, best of three; and with TIMING OFF, without the clock read
 * around each row of each node that EXPLAIN ANALYZE adds). Beside them in the same run: `/api/auth/me`
 * (the floor of a signed-in call), the whole mix at once, the pool page while two clients grab, and
 * the busiest consultant's "my customers".
 */
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const FILTERS = { source: 'baidu,seo,website', status: 'unregistered' };

/** The mix, from real customers of the seed so that each kind matches what it would in a school. */
async function keywordMix(url: string): Promise<Record<string, string>> {
  const database = openPostgres(url, { max: 1 });
  try {
    // The first customer with a mobile, a QQ and a WeChat id: their pieces are the keywords. A
    // number with a digit three times in a row (15820000000) would make its fragments a
    // repeated-digit case, which the tests cover; the bench wants a typical one.
    const [one] = await queryRows<{ name: string; phone: string; qq: string; wechat: string }>(
      database.db,
      sql`select name, phone, qq, wechat from customers
          where phone ~ '^1[3-9][0-9]{9}$' and phone !~ '(.)\\1\\1' and length(qq) >= 7 and length(wechat) >= 6 and char_length(name) = 2
          order by id limit 1`,
    );
    const [three] = await queryRows<{ name: string }>(
      database.db,
      sql`select name from customers where char_length(name) = 3 order by id limit 1`,
    );
    if (!one || !three) throw new Error('the seed has no customer with a mobile, a QQ and a WeChat id');
    return {
      'whole mobile': one.phone,
      'last 4 digits': one.phone.slice(-4),
      'first 3 digits': one.phone.slice(0, 3),
      'first 7 digits': one.phone.slice(0, 7),
      '1-character name': one.name.slice(0, 1),
      '2-character name': one.name,
      '3-character name': three.name,
      'QQ fragment': one.qq.slice(2, 7),
      'WeChat fragment': one.wechat.slice(1, 5),
      'matches nothing': '无此人zq',
    };
  } finally {
    await database.close();
  }
}

/**
 * The statement the server reads page 1 and its count with (engine/reads.ts listStatementFor), for
 * `username` as they are (their permissions, their scope), in ms: prepared as the server runs it
 * (explainPrepared), and planned afresh with its values (EXPLAIN ANALYZE, warm, best of three).
 */
async function serverSql(
  url: string,
  config: ResourceConfig,
  query: Record<string, string>,
  username: string,
) {
  const database = openPostgres(url, { max: 1 });
  // Set as the server's connections are (db/client.ts).
  const client = new pg.Client({ connectionString: url, options: '-c jit=off' });
  await client.connect();
  try {
    const [user] = await queryRows<{ id: number }>(
      database.db,
      sql`select id from users where username = ${username}`,
    );
    // The codes the server would read for them (the epoch only keys its cache).
    const permissions = await new PermissionCache().codes(database.db, user!.id, '');
    const actor = { userId: user!.id, username, permissions } as unknown as Actor;
    const at = now();
    const school = { timezone: DEFAULT_TIMEZONE };
    // The statement the server runs: its items written as JSON where the list's pages are.
    const build = () =>
      listStatementFor(database.db, config, school, actor, query, at, writesJsonPages(config));
    // What runs before the statement (a longer keyword's first look at its matches), wall-clock
    // from this process, best of three once the gram statistics are read.
    await build();
    const before: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await build();
      before.push(performance.now() - started);
    }
    const statement = (await build()).query();
    const sent = { sql: statement.sql, params: statement.params };
    const prepared = await explainPrepared(client, sent);
    const pageAndCountMs = await bestOfThree(client, sent);
    const untimedMs = await bestOfThree(client, sent, { timing: false });
    return {
      preparedMs: prepared.timed,
      preparedUntimedMs: prepared.untimed,
      pageAndCountMs,
      untimedMs,
      beforeMs: Number(Math.min(...before).toFixed(2)),
    };
  } finally {
    await client.end();
    await database.close();
  }
}

export async function searchBench() {
  const { url, customers: n, server } = await serveSchool();
  try {
    const reading = openPostgres(url, { max: 1 });
    const [busiest] = await queryRows<{ id: number; username: string; periods: number }>(
      reading.db,
      sql`select u.id, u.username, count(*)::int as periods from customer_distributions d
          join users u on u.id = d.consultant_id group by u.id, u.username order by count(*) desc limit 1`,
    ).finally(() => reading.close());
    const mix = await keywordMix(url);
    const headers = await signIn(server.url, 'manager');
    const path = (q: string, filtered: boolean) =>
      `/api/customers?${new URLSearchParams({ q, ...(filtered ? FILTERS : {}), page: '1', pageSize: '20' })}`;
    // Each line warmed by a second of the same load first, as a server that has been up is: every
    // connection of the pool open, its statements prepared on each and PostgreSQL's plans for them
    // chosen (its first five runs on a connection are planned one by one). Warmed by one request,
    // a line's p99 was its first burst: /api/auth/me's 152 ms in a first run, 28 in the next.
    // A line of several statements warms longer: each of the server's ten connections plans each
    // statement's first runs one by one, and the whole mix (twenty) went 556 → 789 → 870 → 966
    // req/s over its first four 5-second runs on one server before it held steady.
    const loop = async (paths: string[], who = headers, warmed = () => {}) => {
      const warmUp = Math.min(10, Math.max(1, paths.length / 2));
      await wrkLoop({ url: server.url, paths, headers: who, clients: CLIENTS, seconds: warmUp });
      warmed();
      return wrkLoop({ url: server.url, paths, headers: who, clients: CLIENTS, seconds: SECONDS });
    };
    // Warm, as a server that has been up is.
    for (const q of Object.values(mix))
      for (const f of [false, true]) await send(`${server.url}${path(q, f)}`, { headers });

    const me = await loop(['/api/auth/me']);
    const keywords: Record<string, unknown> = {};
    for (const [kind, q] of Object.entries(mix)) {
      for (const filtered of [false, true]) {
        const answer = await send(`${server.url}${path(q, filtered)}`, { headers });
        const { total, totalCapped } = JSON.parse(answer.body) as { total: number; totalCapped: boolean };
        const query = { q, ...(filtered ? FILTERS : {}) };
        keywords[`${kind}${filtered ? ' + 2 filters' : ''}`] = {
          q,
          matched: totalCapped ? `${total}+` : total,
          ...(await loop([path(q, filtered)])),
          sql: await serverSql(url, customersResource, query, 'manager'),
        };
      }
    }
    const wholeMix = await loop(Object.values(mix).flatMap((q) => [path(q, false), path(q, true)]));

    // The pool page of one consultant while two others keep grabbing through the same server.
    const named = openPostgres(url, { max: 1 });
    const consultants = await queryRows<{ username: string }>(
      named.db,
      sql`select username from users where username like 'c0%' order by id limit 3`,
    ).finally(() => named.close());
    const [reader, ...grabbers] = await Promise.all(consultants.map((c) => signIn(server.url, c.username)));
    const poolPaths = ['/api/pool?page=1&pageSize=20', '/api/pool?page=1&pageSize=20&source=baidu,seo'];
    let grabbing = true;
    let grabs = 0;
    const grabLoops = grabbers.map(async (who) => {
      while (grabbing) {
        const page = await send(`${server.url}/api/pool?page=1&pageSize=20`, { headers: who! });
        const first = (JSON.parse(page.body) as { items: { id: number }[] }).items[grabs % 20];
        if (!first) break;
        await send(`${server.url}/api/pool/${first.id}/grab`, { method: 'POST', headers: who! });
        grabs++;
      }
    });
    let grabsBefore = 0;
    const poolLoad = await loop(poolPaths, reader!, () => {
      grabsBefore = grabs;
    });
    const poolWhileGrabbing = { ...poolLoad, grabsMeanwhile: grabs - grabsBefore };
    grabbing = false;
    await Promise.all(grabLoops);

    // The busiest consultant's own customers, page 1 of each tab's default order.
    const mine = busiest ? await signIn(server.url, busiest.username) : null;
    const myCustomers =
      mine && busiest
        ? {
            consultant: busiest,
            ...(await loop(['/api/my-customers?page=1&pageSize=20'], mine)),
            sql: await serverSql(url, myCustomersResource, {}, busiest.username),
          }
        : null;
    const poolSql = await serverSql(url, poolResource, {}, consultants[0]!.username);
    // The floor again, the server now warm from minutes of load: the goals compare with the lower.
    const meAfter = await loop(['/api/auth/me']);
    return {
      customers: n,
      clients: CLIENTS,
      seconds: SECONDS,
      me,
      meAfter,
      keywords,
      wholeMix,
      poolWhileGrabbing,
      poolSql,
      myCustomers,
    };
  } finally {
    await server.stop();
  }
}
