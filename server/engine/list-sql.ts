import { getTableColumns, type SQL, type Subquery, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { counterSql } from '../db/changes.ts';
import type { Db } from '../db/client.ts';
import type { ResourceConfig } from './types.ts';

/**
 * One row per match of `where` in `from`, no further than `cap + 1` (which says "more than cap"):
 * what every list counts, its page read beside it or alone.
 */
export function cappedMatches(db: Db, from: PgTable | Subquery, where: SQL | undefined, cap: number) {
  return db
    .select({ one: sql`1` })
    .from(from)
    .where(where)
    .limit(cap + 1);
}

/** How many rows `matches` has: with cappedMatches, the count a list shows. */
export const countOf = (matches: SQL) => sql<number>`(select count(*)::int from (${matches}) m)`;

/**
 * What a list statement selects: the record's columns, the count of its matches (an InitPlan, run
 * once; countOf) and what a list cache needs to keep the page.
 */
export function listColumns(config: ResourceConfig, count: SQL<number>, at: Date) {
  const cache = config.listCache;
  return {
    ...getTableColumns(config.table),
    ...config.listDetails,
    listMatches: count,
    ...(cache ? { listCounter: counterSql(cache.watch), listUntil: cache.until(at) } : {}),
  };
}
