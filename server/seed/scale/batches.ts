import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Database } from '../../db/client.ts';
import { bulkTables } from './bulk.ts';
import type { Generator } from './customers.ts';
import type { ScaleOptions } from './model.ts';

/** Customers per transaction. */
const BATCH_SIZE = 5000;

/** Writes the generator's customers batch by batch, then readies the tables for benchmarks. */
export async function writeBatches(
  database: Database,
  generator: Generator,
  options: ScaleOptions,
): Promise<void> {
  const { db } = database;
  const total = options.customers;
  // PostgreSQL: two batches in flight on two connections, so the server works on one while the next is
  // generated. Referrals point at least one batch back, so batch k starts writing only once batch k − 2
  // has committed (it usually has): the data does not depend on timing, nor on the kind of database.
  const concurrency = database.kind === 'postgres' ? 2 : 1;
  const batchSize = options.batchSize ?? BATCH_SIZE;
  const batches = Math.ceil(total / batchSize);
  const committed = Array.from({ length: batches }, () => deferred());
  let next = 0;
  let done = 0;
  let failed = false;
  const worker = async () => {
    while (next < batches && !failed) {
      const k = next++;
      const from = k * batchSize;
      const to = Math.min(total, from + batchSize);
      try {
        const batch = generator.batch(from, to, from - batchSize);
        if (k >= 2) await committed[k - 2]?.promise;
        await db.transaction(async (tx) => {
          // A crash loses the last batches either way: do not wait for each commit to reach the disk.
          await tx.execute(sql`set local synchronous_commit = off`);
          for (const table of bulkTables) {
            const rows = batch[table];
            if (rows.length > 0) await tx.execute(rows.insert());
          }
        });
        committed[k]?.resolve();
      } catch (error) {
        failed = true;
        committed[k]?.reject(error);
        throw error;
      }
      done += to - from;
      options.onProgress?.(done, total);
    }
  };
  // Both workers stop before this returns, also when one fails.
  const outcomes = await Promise.allSettled(Array.from({ length: concurrency }, worker));
  for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;

  // Ids were given explicitly: move the identities past them.
  for (const table of bulkTables) {
    await db.execute(
      sql`select setval(pg_get_serial_sequence(${table}, 'id'), greatest(max(id), 1), count(*) > 0) from ${sql.identifier(table)}`,
    );
  }
  // The search postings of every customer at once (migrations 0023, 0025), not a batch at a time:
  // minutes at a million customers, past any statement limit meant for a request.
  await unlimited(database, 'select customer_grams_rebuild()');
  // Statistics for the planner, the visibility map for index-only scans, and the trigram indexes'
  // pending entries merged: the state benchmarks should start from.
  await unlimited(
    database,
    `vacuum (analyze) ${[...bulkTables, 'customer_grams', 'customer_gram_counts'].join(', ')}`,
  );
}

/**
 * Runs `statement` on PostgreSQL in a connection of its own without the statement limit a request
 * has (as migrations do): at a million customers it takes minutes. PGlite has no limit.
 */
async function unlimited(database: Database, statement: string) {
  if (database.kind !== 'postgres' || !database.url) {
    await database.db.execute(sql.raw(statement));
    return;
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A promise to settle from outside; a rejection nobody awaits is not an unhandled one. */
function deferred() {
  let resolve = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}
