import { and, getTableColumns, type SQL, sql } from 'drizzle-orm';
import { counterSql } from '../db/changes.ts';
import type { Db } from '../db/client.ts';
import type { ListQuery } from './query.ts';
import type { KeywordWalk, ResourceConfig } from './types.ts';

/**
 * What a list statement selects: the record's columns, the count of `matches` (an InitPlan, run
 * once) and what a list cache needs to keep the page.
 */
export function listColumns(config: ResourceConfig, matches: SQL, at: Date) {
  const cache = config.listCache;
  return {
    ...getTableColumns(config.table),
    listMatches: sql<number>`(select count(*)::int from (${matches}) m)`,
    ...(cache ? { listCounter: counterSql(cache.watch), listUntil: cache.until(at) } : {}),
  };
}

/** The sort the walk's index is kept in: the list's default, named or not. */
export function walksInOrder(config: ResourceConfig, query: ListQuery): boolean {
  return !query.sort || query.sort === config.defaultSort;
}

/**
 * The list's own filters (or an id) beyond those the walk applies itself: with none of them, no
 * scope and no check, every row of the walk is a match and the count reads the walk's index alone.
 */
function countsFromWalk(config: ResourceConfig, query: ListQuery, walk: KeywordWalk, scope: SQL | undefined) {
  if (scope || walk.check || (query.id !== undefined && query.id !== '')) return false;
  return config.fields.every((f) => !filtered(query, f.key) || walk.absorbs.includes(f.key));
}

const filtered = (query: ListQuery, key: string) => query[key] !== undefined && query[key] !== '';

/** Nothing narrows the list but the keyword. */
const onlyKeyword = (config: ResourceConfig, query: ListQuery, scope: SQL | undefined) =>
  !scope && !filtered(query, 'id') && config.fields.every((f) => !f.filter || !filtered(query, f.key));

/**
 * Page 1 (or any page) of a keyword's matches read along the walk's index, and beside it their
 * count up to the cap: the statement engine/reads.ts runs in place of listStatement when the
 * resource offers a walk. PostgreSQL reads the index from the start and stops at the page's end, so
 * a common keyword costs as little as a rare one.
 */
export function walkStatement(
  db: Db,
  config: ResourceConfig,
  values: {
    walk: KeywordWalk;
    where: SQL | undefined;
    scope: SQL | undefined;
    query: ListQuery;
    offset: number;
    pageSize: number;
    cap: number;
    at: Date;
  },
) {
  const { walk, where, offset, pageSize, cap, at } = values;
  const matching = and(walk.where, walk.check, where);
  const matches =
    walk.plainMatches && onlyKeyword(config, values.query, values.scope)
      ? sql`${walk.plainMatches} limit ${cap + 1}`
      : countsFromWalk(config, values.query, walk, values.scope)
        ? db
            .select({ one: sql`1` })
            .from(walk.table)
            .where(walk.where)
            .limit(cap + 1)
            .getSQL()
        : // The record checked by a subquery per row of the walk, not a join: with a join, PostgreSQL
          // misjudges how many rows a check keeps and reads the whole table into a hash to count them.
          db
            .select({ one: sql`1` })
            .from(walk.table)
            .where(
              and(
                walk.where,
                sql`coalesce((select true from ${config.table} where ${and(walk.on, walk.check, where)}), false)`,
              ),
            )
            .limit(cap + 1)
            .getSQL();
  return db
    .select(listColumns(config, matches, at))
    .from(walk.table)
    .innerJoin(config.table, walk.on)
    .where(matching)
    .orderBy(...walk.order)
    .limit(pageSize)
    .offset(offset);
}
