import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../db/client.ts';

/** Customers posted per statement: about a second of PostgreSQL's time. */
const DRAIN_BATCH = 2_000;

/**
 * Writes the search postings of the customers waiting for them (migration 0023), a batch per
 * statement, until none is left or another instance holds the rest; says how many it posted. Every
 * instance runs it every second (main.ts); the seeds and tests run it to the end.
 */
export async function drainPostings(db: Executor, batch = DRAIN_BATCH): Promise<number> {
  let posted = 0;
  for (;;) {
    const [row] = await queryRows<{ n: number }>(db, sql`select customer_grams_drain(${batch}) as n`);
    const n = row?.n ?? 0;
    posted += n;
    if (n < batch) return posted;
  }
}
