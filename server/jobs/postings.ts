import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { type Db, queryRows } from '../db/client.ts';
import { drainPostings } from '../modules/customers/postings.ts';
import { foldPeriodCounts } from '../modules/distributions/period-counts.ts';
import { importRunningHere } from '../modules/imports/queue.ts';
import { startTicker } from '../ticker.ts';

/**
 * Every instance writes the search postings of new and edited customers every second: search reads
 * the waiting ones directly meanwhile (customers/walk.ts), so this only keeps that set small. It
 * folds the consultants' period counts too (distributions/period-counts.ts), read the same way.
 * Instances side by side take different customers (SKIP LOCKED). While an import runs it waits:
 * written beside the import, the postings took its machine's time (on PGlite, its one connection)
 * and a 100,000-row import took 79 s instead of 45 (docs/benchmarks.md); they are written after.
 */
export function startPostings(db: Db, log?: FastifyBaseLogger): { stop: () => Promise<void> } {
  return startTicker(
    async () => {
      // On PGlite even the question below, asked each second on the import's one connection, made
      // a 100,000-row import take 71 s instead of 45: this process knows without asking.
      if (importRunningHere()) return;
      const [importing] = await queryRows<{ yes: boolean }>(
        db,
        sql`select exists (select 1 from imports where status = 'running') as yes`,
      );
      if (importing?.yes) return;
      const posted = await drainPostings(db);
      if (posted > 0) log?.debug({ posted }, 'search postings written');
      await foldPeriodCounts(db);
    },
    { everyMs: 1_000, onError: (error) => log?.error({ err: error }, 'search postings') },
  );
}
