import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import type { NotifyConfig } from '../server/config.ts';
import { type Database, fromPglite, openPostgres, queryRows } from '../server/db/client.ts';
import { users } from '../server/db/schema/index.ts';
import { channelsFrom } from '../server/modules/notify/channels/index.ts';
import type { Channel } from '../server/modules/notify/channels/types.ts';
import { DEFAULT_BATCH, deliverDue } from '../server/modules/notify/delivery/deliver.ts';
import { deliveryInstance } from '../server/modules/notify/delivery/worker.ts';
import { enqueue } from '../server/modules/notify/outbox.ts';
import { startFakeSmtp } from '../test/fakes/smtp.ts';
import { freshPostgres } from './load.ts';

/**
 * `npm run bench -- notify`: how many notifications a second the delivery worker delivers,
 * BENCH_NOTIFY_ROWS [2,000] e-mails to a local SMTP server (test/fakes/smtp.ts, through the real
 * e-mail channel: nodemailer, one connection per message), and the same through an in-process
 * channel that answers at once (the worker and the database alone). On PGlite with one instance;
 * on PostgreSQL (BENCH_DATABASE_URL, a fresh database of its own beside it) with two instances —
 * two workers in this process, each with its own connection pool, claiming from the same outbox.
 * Each instance drains what is due as the worker does (deliverDue), in batches of
 * BENCH_NOTIFY_BATCH [10] sent at once. It also counts, at the fake, that nothing arrived twice.
 */
const ROWS = Number(process.env.BENCH_NOTIFY_ROWS ?? 2_000);
const BATCH = Number(process.env.BENCH_NOTIFY_BATCH ?? DEFAULT_BATCH);
const PEOPLE = 50;

type Figures = {
  database: string;
  instances: number;
  channel: string;
  rows: number;
  seconds: number;
  perSecond: number;
  deliveredTwice: number;
};

const settings = (smtpUrl: string): NotifyConfig => ({
  worker: false,
  retryBaseSeconds: 30,
  maxAttempts: 8,
  timeoutMs: 10_000,
  email: { smtpUrl, from: 'Banyan CRM <crm@bench.test>' },
  dingtalk: null,
  wechat: null,
  sms: null,
});

/** A provider that answers at once, counting what it got. */
function instantChannel(received: Map<string, number>): Channel {
  return {
    code: 'email',
    idempotent: false,
    notConfigured: () => null,
    unreachable: () => null,
    send: async ({ idempotencyKey }) => {
      received.set(idempotencyKey, (received.get(idempotencyKey) ?? 0) + 1);
      return { ok: true, providerMessageId: idempotencyKey };
    },
  };
}

/** Staff with e-mail addresses and ROWS notifications due for them, in an empty outbox. */
async function prepare(database: Database, run: string): Promise<void> {
  const db = database.db;
  await db.execute(sql`truncate notifications, inbox_items`);
  const existing = await queryRows<{ id: number }>(
    db,
    sql`select id from users where username like 'bench_notify_%'`,
  );
  let ids = existing.map((r) => r.id);
  if (ids.length === 0) {
    const rows = await db
      .insert(users)
      .values(
        Array.from({ length: PEOPLE }, (_, i) => ({
          username: `bench_notify_${i}`,
          name: `通知${i}`,
          passwordHash: 'x',
          email: `bench${i}@bench.test`,
          notifyChannels: ['email' as const],
        })),
      )
      .returning({ id: users.id });
    ids = rows.map((r) => r.id);
  }
  await enqueue(
    db,
    Array.from({ length: ROWS }, (_, i) => ({
      userId: ids[i % ids.length]!,
      event: 'grab_won' as const,
      payload: { customerId: i, name: `客户${i}` },
      dedupeKey: `bench:${run}:${i}`,
    })),
    new Date(),
  );
}

async function measure(label: string, databases: Database[], channel: 'smtp' | 'instant'): Promise<Figures> {
  await prepare(databases[0]!, `${label}:${channel}`);
  const smtp = channel === 'smtp' ? await startFakeSmtp() : null;
  const received = new Map<string, number>();
  try {
    const notify = settings(smtp?.url ?? 'smtp://127.0.0.1:1');
    const started = performance.now();
    await Promise.all(
      databases.map((database) =>
        deliverDue(database.db, {
          channels: {
            email: smtp ? channelsFrom(notify, { db: database.db }).email : instantChannel(received),
          },
          instance: deliveryInstance(),
          settings: notify,
          publicUrl: 'https://crm.bench.test',
          leaseMs: 60_000,
          batchSize: BATCH,
        }),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const [sent] = await queryRows<{ n: number }>(
      databases[0]!.db,
      sql`select count(*)::int as n from notifications where status = 'sent'`,
    );
    if (sent!.n !== ROWS) throw new Error(`${label}: ${sent!.n} of ${ROWS} sent`);
    const counts = smtp ? smtp.countsById() : received;
    const figures: Figures = {
      database: label,
      instances: databases.length,
      channel: channel === 'smtp' ? 'e-mail to a local SMTP server' : 'in-process, instant',
      rows: ROWS,
      seconds: Number(seconds.toFixed(2)),
      perSecond: Math.round(ROWS / seconds),
      deliveredTwice: [...counts.values()].filter((n) => n > 1).length,
    };
    console.error(JSON.stringify(figures));
    return figures;
  } finally {
    await smtp?.close();
  }
}

export async function notifyBench(): Promise<Figures[]> {
  const results: Figures[] = [];
  if (process.env.BENCH_PGLITE !== '0') {
    const database = fromPglite(await PGlite.create({ extensions: { pg_trgm } }));
    await database.migrate();
    try {
      results.push(await measure('pglite', [database], 'smtp'));
      results.push(await measure('pglite', [database], 'instant'));
    } finally {
      await database.close();
    }
  }
  const base = process.env.BENCH_DATABASE_URL;
  if (base) {
    const url = await freshPostgres(base, 'crm_bench_notify');
    const instances = [openPostgres(url, { max: 5 }), openPostgres(url, { max: 5 })];
    await instances[0]!.migrate();
    try {
      results.push(await measure('postgres', instances, 'smtp'));
      results.push(await measure('postgres', instances, 'instant'));
    } finally {
      for (const instance of instances) await instance.close();
    }
  } else {
    console.error('BENCH_DATABASE_URL is not set: PostgreSQL skipped');
  }
  return results;
}
