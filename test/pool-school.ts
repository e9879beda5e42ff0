import { afterAll, afterEach, beforeAll } from 'vitest';
import { setClock } from '../server/clock.ts';
import { poolSettings } from '../server/db/schema/index.ts';
import { seedDemo } from '../server/seed/demo.ts';
import { buildTestApp, listenAsInstances, type TestApp } from './app.ts';
import { makeCustomer, makeUser, TEST_PASSWORD } from './factories.ts';

/** A signed-in user as an outside client holds them: the cookie, the CSRF token, an instance. */
export type Client = { cookie: string; csrf: string; url: string };

export async function signInAt(url: string, username: string, password = TEST_PASSWORD): Promise<Client> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`sign-in ${username}: ${response.status}`);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie: response.headers.get('set-cookie')!.split(';')[0]!, csrf: csrfToken, url };
}

export const post = (client: Client, path: string) =>
  fetch(`${client.url}${path}`, {
    method: 'POST',
    headers: { cookie: client.cookie, 'x-csrf-token': client.csrf },
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error?: string } }));

/**
 * For one test file: the demo school loaded at `at` on a fresh database, served over real HTTP by
 * three instances on PostgreSQL (one on PGlite); the clock and the pool rules are reset after each
 * test. Call at the top of the file.
 */
export function poolSchool(at: Date) {
  let t: TestApp;
  let instances: Awaited<ReturnType<typeof listenAsInstances>>;
  let serial = 0;
  beforeAll(async () => {
    t = await buildTestApp();
    await seedDemo(t.database.db, { password: TEST_PASSWORD, at });
    instances = await listenAsInstances(t, 3);
  });
  afterEach(async () => {
    setClock(null);
    await t.database.db.delete(poolSettings);
  });
  afterAll(async () => {
    await instances?.close();
    await t?.close();
  });

  const school = {
    get t() {
      return t;
    },
    get urls() {
      return instances.urls;
    },
    db: () => t.database.db,

    /** A new consultant, signed in on instance `instance` (modulo how many there are). */
    async consultant(instance = 0): Promise<{ id: number; client: Client }> {
      const user = await makeUser(school.db(), { roleCodes: ['consultant'] });
      const url = instances.urls[instance % instances.urls.length]!;
      return { id: user.id, client: await signInAt(url, user.username) };
    },

    /** A customer `ownerId` received at `from`: public 3 days later unless followed up. */
    async ownedCustomer(ownerId: number, from = at, name = '客户'): Promise<number> {
      return (await makeCustomer(school.db(), { name: `${name}${++serial}`, owner: ownerId, at: from })).id;
    },
  };
  return school;
}
