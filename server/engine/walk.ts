import { and, getTableName, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { cappedMatches, countOf, limitsFor, listColumns } from './list-sql.ts';
import type { ListQuery } from './query.ts';
import type { KeywordWalk, ResourceConfig } from './types.ts';

/** The sort the walk's index is kept in: the list's default, named or not. */
export function walksInOrder(config: ResourceConfig, query: ListQuery): boolean {
  return !query.sort || query.sort === config.defaultSort;
}

const filtered = (query: ListQuery, key: string) => query[key] !== undefined && query[key] !== '';

/** Something narrows the list beyond the keyword and the filters named in `applied`. */
function narrowedBeyond(config: ResourceConfig, query: ListQuery, scope: SQL | undefined, applied: string[]) {
  if (scope || filtered(query, 'id')) return true;
  return config.fields.some((f) => f.filter && filtered(query, f.key) && !applied.includes(f.key));
}

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
  const { walk, where, offset, pageSize, at } = values;
  const limitOf = limitsOf(walk);
  // Each row of the walk looks up its record, in a LATERAL subquery named as the table (so the
  // columns selected read from it): joined plainly, PostgreSQL may hash every record that passes
  // the check first when it overrates the walk (PGlite, which never analyses the waiting customers:
  // 195 ms for a whole phone number at 100,000 customers, 1 candidate walked).
  const record = db
    .select()
    .from(config.table)
    .where(and(walk.on, walk.check, where))
    .limit(limitOf(1))
    .as(getTableName(config.table));
  return db
    .select(listColumns(config, walkCount(db, config, values), at))
    .from(walk.table)
    .crossJoinLateral(record)
    .where(walk.where)
    .orderBy(...walk.order)
    .limit(limitOf(pageSize))
    .offset(limitOf(offset));
}

/** How the walk's statement writes its LIMITs and OFFSET: into its text when it plans once. */
const limitsOf = (walk: KeywordWalk) => limitsFor(walk.planOnce);

/**
 * The count of the walk's matches (up to the cap, or exact from the walk's own counts), read the
 * cheapest way the list allows.
 */
function walkCount(db: Db, config: ResourceConfig, values: Parameters<typeof walkStatement>[2]): SQL<number> {
  const { walk, where, query, scope, cap } = values;
  // Nothing but the keyword: the resource's own way to count its matches.
  if (walk.plainMatches && !narrowedBeyond(config, query, scope, [])) {
    return countOf(sql`${walk.plainMatches} limit ${cap + 1}`);
  }
  // Every row of the walk a match: the walk's counts, or else a count of its index alone.
  if (!walk.check && !narrowedBeyond(config, query, scope, walk.absorbs)) {
    return walk.counted ?? countOf(cappedMatches(db, walk.table, walk.where, cap, limitsOf(walk)).getSQL());
  }
  // The record checked by a subquery per row of the walk, not a join: with a join, PostgreSQL
  // misjudges how many rows a check keeps and reads the whole table into a hash to count them.
  const recordMatches = sql`coalesce((select true from ${config.table} where ${and(walk.on, walk.check, where)}), false)`;
  return countOf(cappedMatches(db, walk.table, and(walk.where, recordMatches), cap, limitsOf(walk)).getSQL());
}
