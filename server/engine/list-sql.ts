import { fillPlaceholders, getTableColumns, type Query, type SQL, type Subquery, sql } from 'drizzle-orm';
import type { PgPreparedQuery, PgTable, PreparedQueryConfig } from 'drizzle-orm/pg-core';
import { counterSql } from '../db/changes.ts';
import type { Db } from '../db/client.ts';
import { jsonColumns } from './list-json.ts';
import type { ResourceConfig } from './types.ts';

/**
 * An integer written into the statement rather than sent as a parameter, for a LIMIT or an OFFSET:
 * PostgreSQL plans a `LIMIT $1` for a tenth of the rows, so a statement's generic plan looked
 * several times dearer than its custom ones and every execution was planned again (0.7-1.2 ms of a
 * list's 1.7 ms; docs/benchmarks.md). Only for numbers the server computes, and only in statements
 * whose best plan is the same for every value of their parameters (KeywordWalk.planOnce): elsewhere
 * a generic plan that looks as cheap may not be (a two-piece walk's took twice as long).
 */
export const inlineInt = (n: number): number => sql.raw(String(Math.trunc(n))) as unknown as number;

/** How a statement writes a LIMIT or OFFSET: as a parameter, or into its text (inlineInt). */
export type LimitOf = (n: number) => number;
export const limitsFor = (planOnce: boolean | undefined): LimitOf => (planOnce ? inlineInt : (n) => n);

/**
 * One row per match of `where` in `from`, no further than `cap + 1` (which says "more than cap"):
 * what every list counts, its page read beside it or alone.
 */
export function cappedMatches(
  db: Db,
  from: PgTable | Subquery,
  where: SQL | undefined,
  cap: number,
  limitOf: LimitOf = limitsFor(false),
) {
  return db
    .select({ one: sql`1` })
    .from(from)
    .where(where)
    .limit(limitOf(cap + 1));
}

/** How many rows `matches` has: with cappedMatches, the count a list shows. */
export const countOf = (matches: SQL) => sql<number>`(select count(*)::int from (${matches}) m)`;

/**
 * What a list statement selects: the record's columns, the count of its matches (an InitPlan, run
 * once; countOf) and what a list cache needs to keep the page.
 */
export function listColumns(config: ResourceConfig, count: SQL<number>, at: Date | SQL, json = false) {
  const cache = config.listCache;
  // A JSON page (list-json.ts) reads its item as text and the few raw columns its reader's part needs.
  const item = json && config.listJson ? jsonColumns(config, config.listJson) : undefined;
  return {
    ...(item ?? { ...getTableColumns(config.table), ...config.listDetails }),
    listMatches: count,
    ...(cache ? { listCounter: counterSql(cache.watch), listUntil: cache.until(at) } : {}),
  };
}

/** A list statement rendered (Drizzle's prepared query: text, parameters, how to map its rows). */
export type RenderedList = PgPreparedQuery<PreparedQueryConfig>;

/** A list page's statement: its rows, or the SQL and values it sends (for the bench's EXPLAIN). */
export type ListStatement = { rows(): Promise<Record<string, unknown>[]>; query(): Query };

/** `rendered` run with `values` for its placeholders (none: it has none). */
export function listStatementOf(rendered: RenderedList, values: Record<string, unknown> = {}): ListStatement {
  return {
    rows: () => rendered.execute(values) as Promise<Record<string, unknown>[]>,
    query: () => {
      const { sql: text, params } = rendered.getQuery();
      return { sql: text, params: fillPlaceholders(params, values) };
    },
  };
}
