import { existsSync } from 'node:fs';
import { type SQL, sql } from 'drizzle-orm';
import pg from 'pg';
import { openPostgres, queryRows } from '../server/db/client.ts';
import { sweep } from '../server/modules/pool/sweep.ts';
import {
  afterDailyJobs,
  closedLoop,
  percentile,
  send,
  serveForBench,
  signIn,
  vacuumAsAutovacuumWould,
  wrkBurst,
  wrkLoop,
} from './load.ts';

/**
 * The pool at scale (issue 5), against a school made by `crm seed --scale N` (BENCH_DATABASE_URL):
 * - the pool page 1 as a consultant from 32 clients, beside its SQL's own time: with nothing
 *   changing (answered from the list cache), then while others grab (read from the database);
 * - a grab storm: 2,000 attempts on 200 public customers from three warmed `crm serve` instances,
 *   after BENCH_STORM_WARMUPS [6] storms of the same shape on other customers (each reported);
 * - the sweep releasing 100,000 customers alone, then 100,000 more while consultants keep grabbing.
 * It changes the data (grabs and releases): reseed for comparable runs.
 */
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2_000);
const STORM_CUSTOMERS = 200;
const STORM_ATTEMPTS = 2_000;
// A freshly started instance grabs far slower than it later does for its first storms (V8
// optimising the hot paths, each connection planning the grab): docs/benchmarks.md, "The grab
// storm: the read rides on the session query", has the climb.
const STORM_WARMUPS = Math.max(1, Number(process.env.BENCH_STORM_WARMUPS ?? 6));
const SWEEP_RELEASES = Number(process.env.BENCH_SWEEP_RELEASES ?? 100_000);
// wrk (C) unless BENCH_LOADGEN=node: see wrkLoop in load.ts.
const useWrk = process.env.BENCH_LOADGEN !== 'node' && existsSync('/usr/bin/wrk');

async function explainMs(url: string, text: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
    const { rows } = await client.query(`explain (analyze, format json) ${text}`);
    return Number((rows[0]['QUERY PLAN'][0]['Execution Time'] as number).toFixed(2));
  } finally {
    await client.end();
  }
}

export async function poolBench() {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error('Set BENCH_DATABASE_URL to a PostgreSQL database made with `crm seed --scale N`');
  const database = openPostgres(url, { max: 4 });
  const consultants = await queryRows<{ id: number; username: string }>(
    database.db,
    sql`select id, username from users where username like 'c0%' order by id limit 24`,
  );
  const servers = await Promise.all([serveForBench(url), serveForBench(url), serveForBench(url)]);
  try {
    const catchUp = await afterDailyJobs(database.db);
    await vacuumAsAutovacuumWould(url);
    const urls = servers.map((s) => s.url);
    const sessions = await Promise.all(
      consultants.map(async (c, i) => ({
        ...c,
        url: urls[i % 3]!,
        headers: await signIn(urls[i % 3]!, c.username),
      })),
    );
    const me = sessions[0]!;
    // Public customers none of `who` owned last: each of them may grab these.
    const grabbableBy = (order: SQL, limit: number, who = sessions) =>
      queryRows<{ id: number }>(
        database.db,
        sql`select id from customers where status = 'unregistered' and release_at <= now()
            and not (coalesce(consultant_id, previous_consultant_id, 0) = any(${sql.param(who.map((s) => s.id))}::int[]))
            order by ${order} limit ${limit}`,
      );
    /**
     * `clients` loops grabbing `customers` in turn, each through its consultant's instance, until
     * `stop()` or the list runs out; `stop()` says how many were tried, each one's time, and
     * whether the list lasted.
     */
    const keepGrabbing = (customers: { id: number }[], who: typeof sessions, clients: number) => {
      let going = true;
      let next = 0;
      const times: number[] = [];
      const loops = Promise.all(
        Array.from({ length: clients }, async () => {
          while (going && next < customers.length) {
            const grabber = who[next % who.length]!;
            const t0 = performance.now();
            await send(`${grabber.url}/api/pool/${customers[next++]!.id}/grab`, {
              method: 'POST',
              headers: grabber.headers,
            });
            times.push(performance.now() - t0);
          }
        }),
      );
      return async () => {
        going = false;
        await loops;
        return { tried: next, times: times.sort((a, b) => a - b), lasted: next < customers.length };
      };
    };

    // 1. The pool page, read by one consultant from 32 clients: first with nothing changing (pages
    // come from the cache), then while consultants on the other instances keep grabbing, so that
    // nearly every page is read from the database.
    const paths = ['/api/pool?page=1&pageSize=20', '/api/pool?page=1&pageSize=20&source=baidu,seo'];
    const page = (i: number) => send(`${me.url}${paths[i % 2]}`, { headers: me.headers });
    const pageLoop = (seconds = Number(process.env.BENCH_SECONDS ?? 10)) =>
      useWrk
        ? wrkLoop({ url: me.url, paths, headers: me.headers, clients: CLIENTS, seconds })
        : closedLoop({ clients: CLIENTS, requests: REQUESTS, request: page });
    // Warm, as a server that has been up is: without it V8 optimises the page's code during the
    // measured run, and that alone made the p99 of cached pages several times worse
    // (docs/benchmarks.md, "The pool page from memory while nothing changes").
    await pageLoop(3);
    const poolPage = await pageLoop();
    const grabbers = sessions.filter((s) => s.url !== me.url);
    const toGrab = await grabbableBy(sql`release_at desc`, 20_000, grabbers);
    const stopPageGrabs = keepGrabbing(toGrab, grabbers, 2);
    const pageWhileGrabbing = await pageLoop();
    const poolPageWhileGrabbing = { ...pageWhileGrabbing, grabsMeanwhile: (await stopPageGrabs()).tried };
    const poolSql = {
      pageMs: await explainMs(
        url,
        `select * from customers where status = 'unregistered' and release_at <= now()
           and coalesce(consultant_id, previous_consultant_id) is distinct from ${me.id}
         order by release_at desc, id limit 20`,
      ),
      countMs: await explainMs(
        url,
        `select count(*) from (select 1 from customers where status = 'unregistered' and release_at <= now()
           and coalesce(consultant_id, previous_consultant_id) is distinct from ${me.id} limit 10001) s`,
      ),
    };

    // 2. The grab storm: every consultant tries every customer, spread over the three instances,
    // once each instance has answered grabs for a while, as a school's servers have: refused grabs,
    // then STORM_WARMUPS storms of the same shape on other customers, each reported (the first as
    // firstStorm): a server that has been up all day answers a storm as the last of them did.
    // Customers owned for days yet: grabbing them is refused (409).
    const owned = await queryRows<{ id: number }>(
      database.db,
      sql`select id from customers where status = 'unregistered' and release_at > now() + interval '2 days' limit 16`,
    );
    await closedLoop({
      clients: 48,
      requests: 24 * 50,
      request: (i) => {
        const who = sessions[i % sessions.length]!;
        return send(`${who.url}/api/pool/${owned[i % owned.length]!.id}/grab`, {
          method: 'POST',
          headers: who.headers,
        });
      },
      accept: (answer) => answer.status === 409,
    });
    const stormOn = async (targets: { id: number }[]) => {
      const attempts = Array.from({ length: STORM_ATTEMPTS }, (_, i) => ({
        customer: targets[i % targets.length]!.id,
        who: sessions[(i * 7) % sessions.length]!,
      }));
      let winners = 0;
      let figures: { requests: number; perSecond: number; p50Ms: number; p99Ms: number };
      if (useWrk) {
        // One wrk per instance, each with the attempts meant for it, all at once.
        const bursts = await Promise.all(
          urls.map((url) =>
            wrkBurst({
              url,
              clients: Math.ceil(64 / urls.length),
              requests: attempts
                .filter((a) => a.who.url === url)
                .map((a) => ({
                  method: 'POST',
                  path: `/api/pool/${a.customer}/grab`,
                  headers: a.who.headers,
                })),
            }),
          ),
        );
        const others = bursts.reduce((n, b) => n + (b.statuses.other ?? 0), 0);
        if (others > 0) throw new Error(`grab storm: ${others} answers were neither 200 nor 409`);
        winners = bursts.reduce((n, b) => n + (b.statuses[200] ?? 0), 0);
        const seconds = Math.max(...bursts.map((b) => b.seconds));
        figures = {
          requests: STORM_ATTEMPTS,
          perSecond: Math.round(STORM_ATTEMPTS / seconds),
          p50Ms: Math.max(...bursts.map((b) => b.p50Ms)),
          p99Ms: Math.max(...bursts.map((b) => b.p99Ms)),
        };
      } else {
        figures = await closedLoop({
          clients: 64,
          requests: STORM_ATTEMPTS,
          request: (i) => {
            const { customer, who } = attempts[i]!;
            return send(`${who.url}/api/pool/${customer}/grab`, { method: 'POST', headers: who.headers });
          },
          accept: (answer) => {
            if (answer.status === 200) winners++;
            return answer.status === 200 || answer.status === 409;
          },
        });
      }
      // The database's own word on the winners: one new grabbed period per customer.
      const [periods] = await queryRows<{ n: number; customers: number }>(
        database.db,
        sql`select count(*)::int as n, count(distinct customer_id)::int as customers from customer_distributions
            where via = 'grabbed' and customer_id = any(${sql.param(targets.map((t) => t.id))}::int[])
              and started_at > now() - interval '10 minutes'`,
      );
      return {
        ...figures,
        customers: targets.length,
        winners,
        grabbedPeriods: periods?.n,
        loadGenerator: useWrk ? 'wrk' : 'node',
      };
    };
    const warmUps: Awaited<ReturnType<typeof stormOn>>[] = [];
    for (let i = 0; i < STORM_WARMUPS; i++) {
      warmUps.push(await stormOn(await grabbableBy(sql`release_at desc`, STORM_CUSTOMERS)));
    }
    const firstStorm = warmUps[0]!;
    const warmUpStorms = warmUps.map((w) => w.perSecond);
    const storm = await stormOn(await grabbableBy(sql`release_at desc`, STORM_CUSTOMERS));

    // 3. The sweep, twice: alone, then while consultants go on grabbing public customers through
    // the servers (enough of them to keep grabbing until it ends). Each runs at the instant by
    // which SWEEP_RELEASES more owned customers have passed a deadline; the customers the grabs may
    // take are left out of the count, so each releases at least SWEEP_RELEASES.
    const grabbable = await grabbableBy(sql`release_at`, 50_000);
    const nextDeadline = async () => {
      const [deadline] = await queryRows<{ at: Date }>(
        database.db,
        sql`select release_at as at from customer_owners where release_at is not null
              and not (customer_id = any(${sql.param(grabbable.map((g) => g.id))}::int[]))
            order by release_at offset ${SWEEP_RELEASES - 1} limit 1`,
      );
      return new Date(deadline!.at);
    };
    const timedSweep = async (at: Date) => {
      const started = performance.now();
      const swept = await sweep(database.db, at);
      return { ...swept, seconds: Number(((performance.now() - started) / 1000).toFixed(1)) };
    };
    const sweepAlone = await timedSweep(await nextDeadline());

    const deadline = await nextDeadline();
    const stopSweepGrabs = keepGrabbing(grabbable, sessions, 8);
    const swept = await timedSweep(deadline);
    const during = await stopSweepGrabs();

    // The figures depend on these two more than on anything else of the server's (README "Using a PostgreSQL server").
    const [server] = await queryRows<{ sharedBuffers: string; maxWalSize: string }>(
      database.db,
      sql`select current_setting('shared_buffers') as "sharedBuffers", current_setting('max_wal_size') as "maxWalSize"`,
    );
    return {
      server,
      catchUp,
      poolPage,
      poolPageWhileGrabbing,
      poolSql,
      firstStorm,
      warmUpStorms,
      storm,
      sweepAlone,
      sweep: {
        ...swept,
        grabsDuring: during.times.length,
        grabbedUntilTheEnd: during.lasted,
        grabP50Ms: Number(percentile(during.times, 50).toFixed(1)),
        grabP99Ms: Number(percentile(during.times, 99).toFixed(1)),
      },
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await database.close();
  }
}
