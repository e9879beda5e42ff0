import { sql } from 'drizzle-orm';
import { syncCatalogue } from './auth/sync.ts';
import type { Database } from './db/client.ts';

const CATALOGUE_LOCK_KEY = 727_100_002;

/** Brings a database up to date: migrations, then the permission catalogue. Safe to run concurrently. */
export async function prepareDatabase(database: Database): Promise<void> {
  await database.migrate();
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CATALOGUE_LOCK_KEY})`);
    await syncCatalogue(tx);
  });
}
