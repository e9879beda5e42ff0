import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';

/**
 * How many periods `consultantId` has had, read from its counter and the changes not yet folded in
 * (migration 0027): what "my customers" counts when nothing narrows the list. The changes are
 * written in the transactions that add or remove periods, so the sum is exact in any snapshot.
 */
export const periodCountSql = (consultantId: number): SQL<number> =>
  sql<number>`(coalesce((select c.periods from consultant_period_counts c where c.consultant_id = ${consultantId}), 0)
    + coalesce((select sum(w.periods)::int from consultant_period_count_changes w where w.consultant_id = ${consultantId}), 0))`;

/**
 * Adds the waiting changes into the counters, so each count stays a row and a few changes. Every
 * instance runs it every second (jobs/postings.ts); one at a time folds, the others leave it.
 */
export async function foldPeriodCounts(db: Executor): Promise<void> {
  await db.execute(sql`select consultant_period_counts_fold()`);
}
