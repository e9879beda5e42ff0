import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/client.ts';
import { drainPostings } from '../modules/customers/postings.ts';
import { startTicker } from '../ticker.ts';

/**
 * Every instance writes the search postings of new and edited customers every second: search reads
 * the waiting ones directly meanwhile (the customer_grams_live view), so this only keeps that set
 * small. Instances side by side take different customers (SKIP LOCKED).
 */
export function startPostings(db: Db, log?: FastifyBaseLogger): { stop: () => Promise<void> } {
  return startTicker(
    async () => {
      const posted = await drainPostings(db);
      if (posted > 0) log?.debug({ posted }, 'search postings written');
    },
    { everyMs: 1_000, onError: (error) => log?.error({ err: error }, 'search postings') },
  );
}
