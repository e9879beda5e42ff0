import { eq, inArray } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { syncCatalogue } from '../server/auth/sync.ts';
import { type Database, openPglite } from '../server/db/client.ts';
import { notifications, users } from '../server/db/schema/index.ts';
import { LOST_WORDS } from '../server/modules/notify/delivery/queries.ts';
import { idempotencyKeyOf } from '../server/modules/notify/delivery/rules.ts';
import { enqueue } from '../server/modules/notify/outbox.ts';
import { cliEnv, startServer, stopServer, tempDir } from './cli.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { makeUser, TEST_PASSWORD } from './factories.ts';
import { type FakeSmtp, startFakeSmtp } from './fakes/smtp.ts';

/**
 * `crm serve` killed (SIGKILL) in the middle of delivering e-mail: after a restart the rest is
 * delivered, and nothing twice — what it was sending when it died is `unknown` (SMTP takes no
 * idempotency key), never sent again on a guess. On PGlite the next server finds those rows at
 * start; on PostgreSQL once their claim (CRM_JOB_LEASE_SECONDS = 2) has run out.
 */
const ROWS = 60;
let database: TestDatabase | undefined;
let smtp: FakeSmtp | undefined;
afterAll(async () => {
  await smtp?.close();
  await database?.close();
});

const until = async (what: string, done: () => boolean | Promise<boolean>, ms = 120_000) => {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

async function signIn(url: string, username: string) {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: TEST_PASSWORD }),
  });
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie: response.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': csrfToken };
}

/** A reader of the delivery log, and ROWS e-mails due to staff. */
async function prepare(db: Database['db']): Promise<{ reader: string; staff: number[] }> {
  await db.transaction((tx) => syncCatalogue(tx));
  const reader = await makeUser(db, { codes: ['notification.list'] });
  const staff: number[] = [];
  for (let i = 0; i < 6; i++) {
    const user = await makeUser(db);
    await db
      .update(users)
      .set({ email: `crash${i}@school.test`, notifyChannels: ['email'] })
      .where(eq(users.id, user.id));
    staff.push(user.id);
  }
  await enqueue(
    db,
    Array.from({ length: ROWS }, (_, i) => ({
      userId: staff[i % staff.length]!,
      event: 'customer_assigned' as const,
      payload: { customerId: i, name: `客户${i}` },
      dedupeKey: `crash:${i}`,
    })),
    new Date(),
  );
  return { reader: reader.username, staff };
}

describe('an instance killed mid-delivery', () => {
  it('delivers the rest after a restart, and nothing twice', { timeout: 240_000 }, async () => {
    smtp = await startFakeSmtp();
    const dataDir = await tempDir('crm-notify-crash-');
    database = process.env.TEST_DATABASE_URL ? await createTestDatabase() : undefined;
    const env = cliEnv(dataDir, {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Banyan CRM <crm@school.test>',
      CRM_JOB_LEASE_SECONDS: '2',
      ...(database?.url ? { DATABASE_URL: database.url } : {}),
    });
    const open = async () => database ?? (await openPglite(dataDir, 'test'));
    const setup = await open();
    if (!database) await setup.migrate();
    const { reader, staff } = await prepare(setup.db);
    if (!database) await setup.close();

    // Slow answers, then none at all: the server is caught with messages on the wire.
    smtp.delayMs = 100;
    const first = await startServer(env, ['--no-demo']);
    await until('some mail delivered', () => smtp!.mails.filter((m) => m.acknowledged).length >= 15);
    smtp.mood = 'hang';
    await until('a mail left unanswered', () => smtp!.mails.some((m) => !m.acknowledged));
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    smtp.mood = 'up';
    smtp.delayMs = 0;
    // The claim lasts 2 s; a PostgreSQL instance waits it out.
    await new Promise((r) => setTimeout(r, 2_500));

    const second = await startServer(env, ['--no-demo']);
    try {
      const headers = await signIn(second.url, reader);
      await until('every notification delivered or set aside', async () => {
        const response = await fetch(
          `${second.url}/api/notifications?status=pending,sending,failed&userId=${staff.join(',')}`,
          { headers },
        );
        return ((await response.json()) as { total: number }).total === 0;
      });
    } finally {
      await stopServer(second.child);
    }

    const opened = await open();
    try {
      const rows = await opened.db.select().from(notifications).where(inArray(notifications.userId, staff));
      expect(rows).toHaveLength(ROWS);
      const counts = smtp.countsById();
      const received = (row: (typeof rows)[number]) =>
        counts.get(`<${idempotencyKeyOf(row)}@school.test>`) ?? 0;
      // Nothing arrived twice.
      expect(rows.filter((row) => received(row) > 1).map((row) => row.id)).toEqual([]);
      // Every row was sent once, or was on the wire when the server died and is left to a person.
      expect(rows.filter((row) => row.status !== 'sent' && row.status !== 'unknown')).toEqual([]);
      const sent = rows.filter((row) => row.status === 'sent');
      const unknown = rows.filter((row) => row.status === 'unknown');
      expect(sent.every((row) => received(row) === 1)).toBe(true);
      expect(unknown.length).toBeGreaterThanOrEqual(1);
      // No more than the batches it had in hand.
      expect(unknown.length).toBeLessThanOrEqual(20);
      expect(unknown.every((row) => row.lastError === LOST_WORDS.unknown)).toBe(true);
      // The rest went out after the restart.
      expect(sent.length).toBe(ROWS - unknown.length);
    } finally {
      if (!database) await opened.close();
    }
  });
});
