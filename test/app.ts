import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../server/app.ts';
import { syncCatalogue } from '../server/auth/sync.ts';
import { setClock } from '../server/clock.ts';
import { type Config, loadConfig } from '../server/config.ts';
import { type Database, openPostgres } from '../server/db/client.ts';
import { createLogger } from '../server/log.ts';
import { BUSY_MACHINE_TIMEOUTS, createTestDatabase, type TestDatabase } from './db.ts';

export type TestApp = {
  app: FastifyInstance;
  database: TestDatabase;
  config: Config;
  close(): Promise<void>;
};

/** The real application on a fresh migrated database, driven through app.inject(). */
export async function buildTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  await database.db.transaction((tx) => syncCatalogue(tx));
  const config = {
    ...loadConfig({ ...process.env, CRM_SECRET: 'test-secret-test-secret', CRM_DATA_DIR: '/nonexistent' }),
    webDir: '/nonexistent',
    ...overrides,
  };
  const app = await buildApp({
    config,
    database,
    logger: process.env.TEST_LOG ? createLogger(process.env.TEST_LOG, 'json') : false,
  });
  await app.ready();
  return {
    app,
    database,
    config,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/**
 * The app of a file's (or a describe's) tests: built before them, closed after them with the test
 * clock put back. Its fields are read inside tests and hooks, once it is built.
 */
export function appForTests(overrides: Partial<Config> = {}): TestApp {
  let built: TestApp | undefined;
  beforeAll(async () => {
    built = await buildTestApp(overrides);
  });
  afterAll(async () => {
    setClock(null);
    await built?.close();
  });
  const ready = (): TestApp => {
    if (!built) throw new Error('The test app is not built yet: use it inside a test or hook');
    return built;
  };
  return {
    get app() {
      return ready().app;
    },
    get database() {
      return ready().database;
    },
    get config() {
      return ready().config;
    },
    close: () => ready().close(),
  };
}

export type Session = { cookie: string; csrfToken: string; userId: number };

export function sessionCookie(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === 'crm_session');
  if (!cookie) throw new Error(`no session cookie (status ${response.statusCode}: ${response.body})`);
  return `crm_session=${cookie.value}`;
}

/** Signs in through the API, as a browser would. */
export async function signIn(app: FastifyInstance, username: string, password: string): Promise<Session> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
  });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  const body = response.json() as { user: { id: number }; csrfToken: string };
  return { cookie: sessionCookie(response), csrfToken: body.csrfToken, userId: body.user.id };
}

/** Headers for a signed-in request; writes carry the CSRF token like the web client does. */
export function as(session: Session): Record<string, string> {
  return { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One API call as a signed-in user (or anonymously with `null`), JSON body when given. */
export function call(
  app: FastifyInstance,
  session: Session | null,
  method: Method,
  url: string,
  payload?: object,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers: session ? as(session) : {},
    ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
  });
}

/**
 * The app as `count` servers on real ports sharing its database, as several instances behind a
 * load balancer would: on PostgreSQL each with its own connection pool; PGlite, a single
 * connection in this process, serves one instance only.
 */
export async function listenAsInstances(
  t: TestApp,
  count: number,
): Promise<{ urls: string[]; close: () => Promise<void> }> {
  const extra: { app: FastifyInstance; database: Database }[] = [];
  const want = t.database.url ? count : 1;
  for (let i = 1; i < want; i++) {
    const database = openPostgres(t.database.url!, { max: 10, timeouts: BUSY_MACHINE_TIMEOUTS });
    const app = await buildApp({ config: t.config, database, logger: false });
    extra.push({ app, database });
  }
  const urls: string[] = [];
  for (const app of [t.app, ...extra.map((e) => e.app)]) {
    urls.push(await app.listen({ port: 0, host: '127.0.0.1' }));
  }
  return {
    urls,
    async close() {
      for (const e of extra) {
        await e.app.close();
        await e.database.close();
      }
    },
  };
}
