import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite, openPostgres, queryRows } from '../server/db/client.ts';
import { IMPORT_BATCH } from '../server/modules/imports/run.ts';
import { cliEnv, runCli, startServer, stopServer, tempDir } from './cli.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { csvText, multipart } from './spreadsheets.ts';

/**
 * A server killed in the middle of an import (docs/spec.md §4: commit is atomic per batch): what it had
 * committed stays, whole batches only, and the import ends up failed, saying what was done — on
 * PGlite when the next server opens the data directory, on PostgreSQL once the dead claim runs out.
 */
const BATCH = process.env.TEST_DATABASE_URL ? IMPORT_BATCH.postgres : IMPORT_BATCH.pglite;
// Long enough on either database to be caught in the middle (PGlite answers the polls slowly
// while it imports: it has one connection).
const ROWS = BATCH * (process.env.TEST_DATABASE_URL ? 12 : 40);
let database: TestDatabase | undefined;
afterAll(async () => database?.close());

async function signIn(url: string) {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'manager', password: 'demo1234' }),
  });
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie: response.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': csrfToken };
}

describe('an import cut off by a crash', () => {
  it('keeps whole batches only and is marked failed with what was done', { timeout: 240_000 }, async () => {
    const dataDir = await tempDir('crm-import-crash-');
    database = process.env.TEST_DATABASE_URL ? await createTestDatabase() : undefined;
    const env = cliEnv(dataDir, {
      CRM_DEMO_PASSWORD: 'demo1234',
      CRM_JOB_LEASE_SECONDS: '2',
      ...(database?.url ? { DATABASE_URL: database.url } : {}),
    });
    expect((await runCli(['seed', '--demo'], env)).code).toBe(0);

    const first = await startServer(env, ['--no-demo']);
    const headers = await signIn(first.url);
    const rows = [
      ['姓名', '手机'],
      ...Array.from({ length: ROWS }, (_, i) => [`断点${i}`, `1580${String(i).padStart(7, '0')}`]),
    ];
    const form = multipart(
      { mode: 'commit', assign: 'pool' },
      { name: 'big.csv', data: Buffer.from(csvText(rows)) },
    );
    const upload = await fetch(`${first.url}/api/customers/import`, {
      method: 'POST',
      headers: { ...headers, ...form.headers },
      body: form.payload,
    });
    expect(upload.status).toBe(200);
    const { importId } = (await upload.json()) as { importId: number };
    // Kill it once two batches are in, well before the end.
    for (;;) {
      const state = (await (await fetch(`${first.url}/api/imports/${importId}`, { headers })).json()) as {
        processed: number;
        status: string;
      };
      expect(state.status).not.toBe('done');
      if (state.processed >= BATCH * 2) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    // The claim lasts 2 s (CRM_JOB_LEASE_SECONDS); a PostgreSQL instance waits that out.
    await new Promise((r) => setTimeout(r, 2_500));

    const second = await startServer(env, ['--no-demo']);
    let result: { status: string; created: number; processed: number; failure: string | null } | undefined;
    try {
      const again = await signIn(second.url);
      for (let i = 0; i < 100; i++) {
        result = (await (
          await fetch(`${second.url}/api/imports/${importId}`, { headers: again })
        ).json()) as typeof result;
        if (result!.status === 'failed') break;
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await stopServer(second.child);
    }
    expect(result!.status).toBe('failed');
    expect(result!.created).toBeGreaterThanOrEqual(BATCH * 2);
    expect(result!.created).toBeLessThan(ROWS);
    expect(result!.created % BATCH).toBe(0);
    expect(result!.processed).toBe(result!.created);
    expect(result!.failure).toContain(`导入 ${result!.created} 行`);

    const opened = database?.url ? openPostgres(database.url, { max: 1 }) : await openPglite(dataDir, 'test');
    try {
      const [count] = await queryRows<{ n: number }>(
        opened.db,
        sql`select count(*)::int as n from customers where name like '断点%'`,
      );
      expect(count!.n).toBe(result!.created);
    } finally {
      await opened.close();
    }
  });
});
