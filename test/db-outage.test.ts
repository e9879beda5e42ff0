import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.ts';
import { syncCatalogue } from '../server/auth/sync.ts';
import { loadConfig } from '../server/config.ts';
import { type Database, openPostgres, queryRows } from '../server/db/client.ts';
import { isDatabaseUnavailable } from '../server/http/outage.ts';
import { readiness } from '../server/http/readiness.ts';
import { startDailyJobs } from '../server/jobs/daily.ts';
import { appForTests, as, type Session, signIn } from './app.ts';
import { cliEnv, freePort, root, tempDir } from './cli.ts';
import { createTestDatabase, type TestDatabase, testDatabaseUrl } from './db.ts';
import { makeUser, TEST_PASSWORD } from './factories.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

/**
 * A database that is not there, not yet there, or frozen: requests answer 503 with Retry-After in
 * seconds, the health checks tell live from ready, and everything carries on once it is back.
 */

function expectUnavailable(response: LightMyRequestResponse | Response, body: { error: string }) {
  expect(body.error).toBe('unavailable');
  const retryAfter =
    response instanceof Response ? response.headers.get('retry-after') : response.headers['retry-after'];
  expect(Number(retryAfter)).toBeGreaterThan(0);
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

describe('before the database is ready', () => {
  const t = appForTests();

  it('answers live, not ready, and 503 with Retry-After to the API until it is', async () => {
    const prepared = readiness(false);
    const app = await buildApp({
      config: t.config,
      database: t.database,
      logger: false,
      readiness: prepared,
    });
    try {
      const live = await app.inject({ method: 'GET', url: '/api/health/live' });
      expect([live.statusCode, live.json()]).toEqual([200, { ok: true }]);
      for (const url of ['/api/health', '/api/health/ready']) {
        const ready = await app.inject({ method: 'GET', url });
        expect([ready.statusCode, ready.json().error]).toEqual([503, 'database_unavailable']);
        expect(ready.headers['retry-after']).toBeDefined();
      }
      const list = await app.inject({ method: 'GET', url: '/api/customers' });
      expect(list.statusCode).toBe(503);
      expectUnavailable(list, list.json());
      expect(list.headers['cache-control']).toBe('no-store');

      prepared.markReady();
      for (const url of ['/api/health', '/api/health/ready']) {
        const ready = await app.inject({ method: 'GET', url });
        expect([ready.statusCode, ready.json()]).toEqual([200, { ok: true, database: t.database.kind }]);
      }
      expect((await app.inject({ method: 'GET', url: '/api/customers' })).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });
});

const postgres = testDatabaseUrl();

describe.skipIf(!postgres)('PostgreSQL down, frozen or restarting', () => {
  const target = postgres ? new URL(postgres) : new URL('postgres://127.0.0.1:5432/');
  const server = { host: target.hostname, port: Number(target.port || 5432) };
  const timeouts = { connectMs: 1_000, statementMs: 1_000, lockMs: 500, idleInTransactionMs: 5_000 };
  let direct: TestDatabase;
  let proxy: TcpProxy;
  let proxied: Database;
  let app: FastifyInstance;
  let session: Session;

  beforeAll(async () => {
    direct = await createTestDatabase();
    await direct.db.transaction((tx) => syncCatalogue(tx));
    const user = await makeUser(direct.db, { codes: ['customer.list'] });
    proxy = await startTcpProxy(server);
    proxied = openPostgres(proxy.through(direct.url!), { max: 4, timeouts });
    const config = {
      ...loadConfig({ ...process.env, CRM_SECRET: 'test-secret-test-secret', CRM_DATA_DIR: '/nonexistent' }),
      webDir: '/nonexistent',
      importWorker: false,
    };
    app = await buildApp({ config, database: proxied, logger: false });
    app.get<{ Querystring: { seconds: string } }>(
      '/api/test/sleep',
      { config: { access: { public: true } } },
      async (request) => {
        await proxied.db.execute(sql`select pg_sleep(${Number(request.query.seconds)})`);
        return { ok: true };
      },
    );
    await app.ready();
    session = await signIn(app, user.username, TEST_PASSWORD);
  });
  afterEach(async () => {
    proxy.thaw();
    await proxy.accept();
  });
  afterAll(async () => {
    await app?.close();
    await proxied?.close();
    await proxy?.close();
    await direct?.close();
  });

  const customers = () => app.inject({ method: 'GET', url: '/api/customers', headers: as(session) });
  const get = (url: string) => app.inject({ method: 'GET', url });

  it('opens every connection with the statement, lock and idle-transaction limits', async () => {
    const [limits] = await queryRows<Record<string, string>>(
      proxied.db,
      sql`select current_setting('statement_timeout') as statement, current_setting('lock_timeout') as lock,
                 current_setting('idle_in_transaction_session_timeout') as idle`,
    );
    expect(limits).toEqual({ statement: '1s', lock: '500ms', idle: '5s' });
  });

  it('answers a statement past its limit with 503 and Retry-After, when the limit runs out', async () => {
    const { result, ms } = await timed(() => get('/api/test/sleep?seconds=5'));
    expect(result.statusCode).toBe(503);
    expectUnavailable(result, result.json());
    expect(ms).toBeLessThan(3_000);
  });

  it('down: answers 503 at once, live but not ready, and serves again once it is back', async () => {
    expect((await customers()).statusCode).toBe(200);
    await proxy.refuse();

    const { result: list, ms } = await timed(customers);
    expect(list.statusCode).toBe(503);
    expectUnavailable(list, list.json());
    expect(ms).toBeLessThan(2_000);
    const { result: health, ms: healthMs } = await timed(() => get('/api/health'));
    expect([health.statusCode, health.json().error]).toEqual([503, 'database_unavailable']);
    expect(healthMs).toBeLessThan(2_500);
    expect((await get('/api/health/ready')).statusCode).toBe(503);
    expect((await get('/api/health/live')).statusCode).toBe(200);

    await proxy.accept();
    expect((await customers()).statusCode).toBe(200);
    expect((await get('/api/health/ready')).statusCode).toBe(200);
  });

  it('frozen: every request answers 503 within the limits, health within its own bound; then recovers', async () => {
    expect((await customers()).statusCode).toBe(200);
    proxy.freeze();

    // More requests than the pool has connections: some wait on a frozen connection, some for one.
    const { result: lists, ms } = await timed(() => Promise.all(Array.from({ length: 6 }, customers)));
    for (const list of lists) {
      expect(list.statusCode).toBe(503);
      expectUnavailable(list, list.json());
    }
    // The statement limit, the margin past it, and room for a busy machine: seconds, not minutes.
    expect(ms).toBeLessThan(timeouts.statementMs + 2_000 + 2_500);
    const { result: health, ms: healthMs } = await timed(() => get('/api/health'));
    expect(health.statusCode).toBe(503);
    expect(healthMs).toBeLessThan(3_500);
    const { result: live, ms: liveMs } = await timed(() => get('/api/health/live'));
    expect(live.statusCode).toBe(200);
    expect(liveMs).toBeLessThan(1_000);

    proxy.thaw();
    expect((await customers()).statusCode).toBe(200);
    expect((await get('/api/health')).statusCode).toBe(200);
  });

  it('an administrator ending the connection (57P01) fails the statement as unavailable, and the next one works', async () => {
    const sleeping = proxied.db.execute(sql`select pg_sleep(0.9)`).then(
      () => null,
      (error: unknown) => error,
    );
    let ended = 0;
    for (let i = 0; i < 40 && ended === 0; i++) {
      await sleep(20);
      const rows = await queryRows<{ pid: number }>(
        direct.db,
        sql`select pg_terminate_backend(pid) as pid from pg_stat_activity
            where datname = current_database() and query like 'select pg_sleep%' and pid <> pg_backend_pid()`,
      );
      ended = rows.length;
    }
    expect(ended).toBe(1);
    const error = (await sleeping) as { cause?: { code?: string } };
    expect(error?.cause?.code).toBe('57P01');
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect((await customers()).statusCode).toBe(200);
  });

  it('a connection lost in the middle of a transaction fails that transaction, not the process', async () => {
    let resume = () => {};
    const paused = new Promise<void>((resolve) => {
      resume = resolve;
    });
    let inside = () => {};
    const started = new Promise<void>((resolve) => {
      inside = resolve;
    });
    const transaction = proxied.db
      .transaction(async (tx) => {
        await tx.execute(sql`select 1`);
        inside();
        await paused;
        await tx.execute(sql`select 2`);
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    await started;
    // The lent connection dies while its transaction does other work: pg reports it as an 'error'
    // event on a client nobody listens to, which would end the process.
    await proxy.refuse();
    await sleep(100);
    resume();
    const error = await transaction;
    expect(isDatabaseUnavailable(error)).toBe(true);
    await proxy.accept();
    expect((await customers()).statusCode).toBe(200);
  });

  it('background jobs keep checking through an outage and run once it is over', async () => {
    await proxy.refuse();
    const runs: Date[] = [];
    const failures: unknown[] = [];
    const job = { kind: `outage-${process.pid}`, minutes: 5, run: async (at: Date) => runs.push(at) };
    const jobs = startDailyJobs(proxied.db, [job], {
      timezone: 'Asia/Shanghai',
      everyMs: 100,
      log: {
        error: (fields: { err?: unknown }) => failures.push(fields.err),
        warn: () => {},
        info: () => {},
      } as never,
    });
    try {
      await until(() => failures.length >= 3);
      expect(runs).toHaveLength(0);
      expect(failures.every(isDatabaseUnavailable)).toBe(true);
      await proxy.accept();
      await until(() => runs.length > 0);
      await sleep(300);
      expect(runs).toHaveLength(1);
    } finally {
      await jobs.stop();
    }
  });
});

describe.skipIf(!postgres)('a server started before its database', () => {
  let child: ChildProcess | undefined;
  let proxy: TcpProxy | undefined;
  let database: TestDatabase | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child!.once('exit', resolve));
    }
    await proxy?.close();
    await database?.close();
  });

  it('listens, says live and not ready, retries with backoff, and serves once the database is up', async () => {
    const target = new URL(postgres!);
    database = await createTestDatabase();
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) }, false);
    const port = await freePort();
    const env = cliEnv(await tempDir('crm-outage-'), {
      DATABASE_URL: proxy.through(database.url!),
      CRM_SECRET: 'outage-test-secret-0123456789',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
    });
    const started = spawn(
      process.execPath,
      ['--import', 'tsx', 'server/cli.ts', 'serve', '--port', String(port), '--no-demo'],
      { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = started;
    let output = '';
    started.stdout?.on('data', (d) => (output += d));
    started.stderr?.on('data', (d) => (output += d));
    const url = `http://127.0.0.1:${port}`;
    const fetchJson = async (path: string, init?: RequestInit) => {
      const response = await fetch(`${url}${path}`, init);
      return { response, body: (await response.json()) as { error: string } };
    };

    await until(async () => {
      if (started.exitCode !== null) throw new Error(`server exited with ${started.exitCode}: ${output}`);
      return (await fetch(`${url}/api/health/live`).catch(() => null))?.status === 200;
    }, 60_000);
    expect((await fetchJson('/api/health/ready')).response.status).toBe(503);
    const early = await fetchJson('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nobody', password: 'wrong-password' }),
    });
    expect(early.response.status).toBe(503);
    expectUnavailable(early.response, early.body);
    await until(() => attempts(output).length >= 2, 30_000);

    await proxy.accept();
    await until(async () => (await fetch(`${url}/api/health/ready`)).status === 200, 60_000);
    const login = await fetchJson('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'nobody', password: 'wrong-password' }),
    });
    expect([login.response.status, login.body.error]).toEqual([401, 'invalid_credentials']);
    // One line per attempt, numbered in order.
    const tries = attempts(output);
    expect(tries).toEqual(tries.map((_, i) => i + 1));

    started.kill('SIGTERM');
    const code = await new Promise((resolve) => started.once('exit', resolve));
    expect(code).toBe(0);
  }, 180_000);
});

/** The attempt numbers of the server's "database not available yet" log lines. */
function attempts(output: string): number[] {
  return output
    .split('\n')
    .filter((line) => line.includes('not available yet'))
    .map((line) => (JSON.parse(line) as { attempt: number }).attempt);
}

async function until(check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(50);
  }
}
