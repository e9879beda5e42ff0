import { and, getTableName, is, type SQL, Subquery, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { type Db, perHandle } from '../db/client.ts';
import { cappedMatches, countOf, limitsFor, listColumns, type RenderedList } from './list-sql.ts';
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

/** What a walk's statement is made of: the walk, the rest of the list's conditions, the page. */
type WalkInputs = {
  walk: KeywordWalk;
  where: SQL | undefined;
  scope: SQL | undefined;
  query: ListQuery;
  offset: number;
  pageSize: number;
  cap: number;
  /** The instant, or a placeholder for it (a list cache's statement: engine/reads.ts). */
  at: Date | SQL;
  /** Items written as JSON by PostgreSQL (list-json.ts), or rows. */
  json: boolean;
};

/** Walk statements rendered once per shape; more than any list shows (a page is part of a shape). */
const renderedWalks = perHandle<RenderedList>(1_000);

/**
 * Page 1 (or any page) of a keyword's matches read along the walk's index, and beside it their
 * count up to the cap, rendered: the statement engine/reads.ts runs (with the walk's values) in
 * place of listStatement when the resource offers a walk. PostgreSQL reads the index from the
 * start and stops at the page's end, so a common keyword costs as little as a rare one.
 *
 * Its text depends on the walk's shape and the page alone when nothing else narrows the list (a
 * scope, a filter the walk does not apply itself): it is then rendered once and run with the walk's
 * values. Drizzle's rendering of this statement (its tree walked, each node's kind checked) cost a
 * quarter of the server's CPU per search (docs/benchmarks.md).
 */
export function walkStatement(db: Db, config: ResourceConfig, inputs: WalkInputs): RenderedList {
  const { walk, where, scope, offset, pageSize, cap } = inputs;
  const way = countWay(config, inputs);
  const render = () =>
    (way === 'checked'
      ? checkedWalkSelect(db, config, inputs)
      : walkSelect(db, config, inputs, walkCount(db, inputs, way))
    ).prepare('');
  if (where || scope) return render();
  const key = `${config.name} ${walk.shape} ${way} ${offset} ${pageSize} ${cap} ${inputs.json}`;
  return renderedWalks(db, key, render);
}

/** The walk's statement as Drizzle builds it (its name is empty: PostgreSQL's unnamed statement). */
function walkSelect(db: Db, config: ResourceConfig, inputs: WalkInputs, count: SQL<number>) {
  const { walk, where, offset, pageSize, at, json } = inputs;
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
    .select(listColumns(config, count, at, json))
    .from(walk.table)
    .crossJoinLateral(record)
    .where(walk.where)
    .orderBy(...walk.order)
    .limit(limitOf(pageSize))
    .offset(limitOf(offset));
}

/**
 * The walk's statement when each of its rows must be checked against its record to be counted:
 * the matches (up to the cap, in the walk's order) found once, then counted and paged from there.
 * Checked twice, for the page and for the count, the candidates of a longer keyword cost twice
 * (1323530: 119 candidates, 1.55 ms; once, 1.0).
 */
function checkedWalkSelect(db: Db, config: ResourceConfig, inputs: WalkInputs) {
  const { walk, where, offset, pageSize, cap, at, json } = inputs;
  const limitOf = limitsOf(walk);
  // The record checked by a subquery per row of the walk, not a join: with a join, PostgreSQL
  // misjudges how many rows a check keeps and reads the whole table into a hash to count them.
  const recordMatches = sql`coalesce((select true from ${config.table} where ${and(walk.on, walk.check, where)}), false)`;
  const matches = db.$with('walk_matches').as(
    db
      .select()
      .from(walk.table)
      .where(and(walk.where, recordMatches))
      .orderBy(...walk.order)
      .limit(limitOf(cap + 1)),
  );
  // The page read from the matches under the walk's own name, so that its order and its record's
  // lookup (written on the walk) read them.
  const named = sql.identifier(walkName(walk));
  const page = sql`(select * from ${matches} as ${named} order by ${sql.join(walk.order, sql`, `)}
    limit ${limitOf(pageSize)} offset ${limitOf(offset)}) as ${named}`;
  return db
    .with(matches)
    .select(listColumns(config, sql<number>`(select count(*)::int from ${matches})`, at, json))
    .from(page)
    .crossJoinLateral(
      db.select().from(config.table).where(walk.on).limit(limitOf(1)).as(getTableName(config.table)),
    )
    .orderBy(...walk.order);
}

/** The name the walk's table goes by in its statement. */
const walkName = (walk: KeywordWalk) =>
  is(walk.table, Subquery) ? walk.table._.alias : getTableName(walk.table as PgTable);

/** How the walk's statement writes its LIMITs and OFFSET: into its text when it plans once. */
const limitsOf = (walk: KeywordWalk) => limitsFor(walk.planOnce);

/**
 * How the walk's matches are counted, the cheapest way the list allows: the resource's own count
 * of the keyword's matches when nothing else narrows the list; the walk's counts (or a count of its
 * index alone) when every row of the walk is a match; else each row's record checked.
 */
function countWay(config: ResourceConfig, inputs: WalkInputs) {
  const { walk, query, scope } = inputs;
  if (walk.plainMatches && !narrowedBeyond(config, query, scope, [])) return 'plain';
  if (!walk.check && !narrowedBeyond(config, query, scope, walk.absorbs))
    return walk.counted ? 'counted' : 'walk';
  return 'checked';
}

/** The count of the walk's matches up to the cap (or exact, from the walk's own counts), as countWay says. */
function walkCount(db: Db, inputs: WalkInputs, way: Exclude<ReturnType<typeof countWay>, 'checked'>) {
  const { walk, cap } = inputs;
  switch (way) {
    case 'plain':
      return countOf(sql`${walk.plainMatches} limit ${cap + 1}`);
    case 'counted':
      return walk.counted!;
    case 'walk':
      return countOf(cappedMatches(db, walk.table, walk.where, cap, limitsOf(walk)).getSQL());
  }
}
