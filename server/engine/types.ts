import type { SQL, Subquery } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { TSchema } from 'typebox';
import type { PermissionCode } from '../auth/catalogue.ts';
import type { Actor } from '../auth/sessions.ts';
import type { ChangeWatch } from '../db/changes.ts';
import type { Executor, Tx } from '../db/client.ts';
import type { FieldDescription } from './meta-types.ts';

export type { FieldFormat, FieldKind, Option } from './meta-types.ts';

/** One field of a resource: a list column, a filter, a form input — whichever it is declared as. */
export type FieldDef = FieldDescription & {
  /** The column behind it; fields without one (e.g. roleIds) are filled by `present` and written by hooks. */
  column?: PgColumn;
  /** Shown as a list column by default (default true). */
  list?: boolean;
  /** Default: true when the field has a column. */
  sortable?: boolean;
  /** A filter on a field without a column of its own (values already parsed). */
  filterSql?: (values: (string | number)[]) => SQL;
  /** Default: true unless readOnly. */
  form?: boolean;
};

/** What every operation of a school needs to know about it: business days are in its time zone. */
export type School = { timezone: string };

export type Context = { tx: Tx; actor: Actor; at: Date } & School;

export type Item = Record<string, unknown> & { id: number };
export type Body = Record<string, unknown>;

export type ActionDef = {
  title: string;
  titleEn: string;
  permission: PermissionCode;
  destructive?: boolean;
  /**
   * Asks before running, showing these fields of each selected row (confirming a payment says
   * whose, for which class, how much and who signed it): keys of the resource's fields.
   */
  confirmFields?: string[];
  /** Default true; false for an action that takes a whole ordering rather than a selection. */
  bulk?: boolean;
  params?: FieldDef[];
  /** Runs on the ids the caller's scope allows; returns how many were changed. */
  run: (ctx: Context, ids: number[], params: Body) => Promise<number>;
  /**
   * A name the answer also gives that count under, beside `affected`, where the action's own word
   * says what it counts (初始化学习记录 answers `created`).
   */
  countsAs?: string;
};

export type ResourceConfig = {
  /** kebab-case plural: the URL segment. */
  name: string;
  title: string;
  titleEn: string;
  table: PgTable;
  id: PgColumn;
  fields: FieldDef[];
  /**
   * What the keyword search matches, by field key, in the words the search box names: text fields
   * with a column are matched by the engine; the others (a name kept on another table, a ref by its
   * name) must be matched by `searchSql` or `searchKeyword` (test/screens.test.ts holds every
   * resource to this).
   */
  searchFields: string[];
  defaultSort: string;
  /** Lists count matches up to this many (default LIST_COUNT_CAP); past it `totalCapped` says so. */
  countCap?: number;
  /**
   * The order when the caller names none, where it is more than columns (my customers: following
   * first, then released, enrolled last); leave `defaultSort` empty so clients send no sort.
   */
  defaultOrder?: SQL[];
  /**
   * The first `limit` ids of the list in `defaultOrder` under `where`, read in a way an index serves
   * where no index holds that order (my customers: one ordered read per status group). The page is
   * then sorted among them alone.
   */
  defaultOrderIds?: (where: SQL | undefined, limit: number) => SQL;
  /**
   * How many records the actor's scope holds, read without reading them (a counter kept by
   * triggers): the list's count when nothing but the scope narrows it (no keyword, no filter).
   */
  scopeCount?: (actor: Actor) => SQL<number>;
  /**
   * The list's statement (a keyword walk has its own) has one best plan whatever its parameters:
   * its LIMIT and OFFSET are written into its text (list-sql.ts inlineInt), so PostgreSQL keeps one
   * plan instead of planning every page again. `defaultOrderIds` then gets its limit written so too.
   * 'without keyword': only when the query has none (a keyword's matches may be a handful or a
   * hundred thousand, and each wants its own plan).
   */
  planOnce?: boolean | 'without keyword';
  labelField: string;
  permissions: {
    list: PermissionCode;
    create?: PermissionCode;
    update?: PermissionCode;
    delete?: PermissionCode;
    /** Default: the list permission. */
    export?: PermissionCode;
  };
  /**
   * The whole keyword condition, for a resource whose search indexes live in a table of their own
   * (customers: modules/customers/search.ts), or whose matches depend on what the actor may read (a
   * contact shown masked is matched only whole); `searchFields` then only tell the UI what is searched.
   */
  searchKeyword?: (q: string, actor: Actor) => SQL;
  /**
   * A keyword answered by walking an index kept in the list's default order (customers: their
   * postings, search.ts), when the resource can for this keyword and actor; the engine uses it only
   * for the default order.
   */
  keywordWalk?: (keyword: WalkRequest) => Promise<KeywordWalk | undefined>;
  /** Keyword search beyond the table's own columns (e.g. a student's name, kept on the customer). */
  searchSql?: (pattern: string) => SQL;
  /**
   * Rows the actor may reach at `at` (now, or a placeholder for it: a list cache's statement is
   * rendered once and run at each instant); undefined means all.
   */
  scope?: (actor: Actor, at: Date | SQL) => SQL | undefined;
  /**
   * Lists served from this process's memory while `watch` stands still (db/changes.ts) and until
   * `until(at)`, the next instant at which the same query would answer differently with no write
   * (null: none). For lists read far more often than they change, such as the pool.
   */
  listCache?: { watch: ChangeWatch; until: (at: Date | SQL) => SQL };
  /** Extra properties items carry beyond the fields (e.g. `department: { id, title }`), for the response schema. */
  extra?: Record<string, TSchema>;
  /**
   * What a page of the list carries beside each row's columns, read in the page's own statement
   * (a round trip less than `present` reading them after): `present` finds them on the rows.
   */
  listDetails?: Record<string, SQL>;
  /**
   * The list's pages written as JSON by PostgreSQL (engine/list-json.ts): the HTTP list answers
   * with them; everything else (a record, an export, the service's own list) still presents rows.
   */
  listJson?: ListJson;
  /** Turns rows (all of the table's columns) into items: adds relations, drops secrets. */
  present?: (db: Executor, rows: Record<string, unknown>[], actor: Actor, school: School) => Promise<Item[]>;
  /**
   * One record the scope keeps from the actor that they may still read (`GET /api/<name>/:id`
   * only, never a list or a write): a customer's former owner. Null answers 404 as the scope would.
   */
  readOutsideScope?: (db: Executor, actor: Actor, id: number) => Promise<Item | null>;
  /** Writes a new record from a validated body; default inserts the body's column fields. */
  create?: (ctx: Context, body: Body) => Promise<number>;
  /** Applies a validated partial body; default updates the body's column fields. */
  update?: (ctx: Context, id: number, body: Body, before: Item) => Promise<void>;
  /** Default deletes the row (a foreign key still pointing at it answers 409 referenced). */
  remove?: (ctx: Context, id: number, before: Item) => Promise<void>;
  actions?: Record<string, ActionDef>;
};

/** A sort as `defaultSort` names it: a field's key, descending with a leading minus; '' for none. */
export type SortOf<K extends string> = '' | K | `-${K}`;

/**
 * A resource whose `searchFields`, `defaultSort` and actions' `confirmFields` are keys of its own
 * fields, and whose `labelField` is one of those or of its `extra`, so that a misspelt one fails tsc
 * (test/resource-keys.test.ts).
 */
export type KeyedResource<K extends string, E extends string = never> = Omit<
  ResourceConfig,
  'fields' | 'searchFields' | 'defaultSort' | 'labelField' | 'actions' | 'extra'
> & {
  fields: (FieldDef & { key: K })[];
  searchFields: NoInfer<K>[];
  defaultSort: SortOf<NoInfer<K>>;
  labelField: NoInfer<K | E>;
  extra?: { [P in E]?: TSchema };
  actions?: Record<string, ActionDef & { confirmFields?: NoInfer<K>[] }>;
};

/**
 * A resource's config, its keys checked against its fields (the keys are read from `fields` and
 * `extra` alone). What it returns is still a `ResourceConfig`, which the engine takes.
 */
export function defineResource<const K extends string, const E extends string = never>(
  config: KeyedResource<K, E>,
): KeyedResource<K, E> {
  return config;
}

/**
 * How a keyword's matches are read in the list's order: `table`'s rows where `where` holds, in
 * `order`, each joined to its record by `on`; `check` is what a joined record must still satisfy
 * (undefined: every row of the walk matches). `absorbs` names the filters `where` applies itself,
 * exactly (the engine then leaves them out); when the list has no other condition and no check,
 * the count is a count of the walk alone.
 */
export type WalkRequest = {
  db: Executor;
  q: string;
  actor: Actor;
  /**
   * A list filter's values as the engine reads them (split on commas, each checked against the
   * field: a bad value is the same 400 as without the walk); undefined when it is not set.
   */
  filterValues: (key: string) => (string | number | boolean)[] | undefined;
};

export type KeywordWalk = {
  table: PgTable | Subquery;
  on: SQL;
  where: SQL;
  order: SQL[];
  check: SQL | undefined;
  absorbs: string[];
  /** The matches (one row each) when the list has no other condition at all: for a count. */
  plainMatches?: SQL;
  /**
   * The number of the walk's rows (its `where`, the absorbed filters with it), read without reading
   * them: when there is no check and nothing else narrows the list, the count.
   */
  counted?: SQL<number>;
  /**
   * The walk's best plan is the same whatever its parameters (one piece's range): its LIMITs are
   * written into its text (engine/list-sql.ts inlineInt), so that PostgreSQL keeps one plan.
   */
  planOnce?: boolean;
  /**
   * Everything the walk's SQL depends on but `values`: it is written with a placeholder for each of
   * them (sql.placeholder), so the engine renders a shape once and runs it with each walk's values
   * (engine/walk.ts): rendering the statement was a quarter of the server's CPU per search.
   */
  shape: string;
  values: Record<string, unknown>;
};

/** How a list's pages are written as JSON by PostgreSQL: engine/list-json.ts says why and how. */
export type ListJson = {
  /**
   * Item properties written from SQL (a relation's name, a customer's courses): `text` yields them
   * as they stand inside the object (`"courseIds":[1],"courses":[…]`, see jsonProperty), one
   * subquery for several where they come from the same rows.
   */
  details: readonly Detail[];
  /** Columns (or SQL) read beside the JSON, for `finish`, by the name `finish` reads them under. */
  raw: Record<string, PgColumn | SQL>;
  /** The properties `finish` adds; PostgreSQL leaves them out. */
  finished: readonly string[];
  /** Properties of the item's schema a list's item never has (another answer's, such as a read's). */
  omitted?: readonly string[];
  /**
   * The properties that depend on the reader (or the time: `at`, the page's instant), from the raw
   * columns; JSON.stringify writes them.
   */
  finish: (raw: Record<string, unknown>, actor: Actor, at: Date) => Record<string, unknown>;
};

/** Properties of the item written together, placed where the first of them is in the schema. */
export type Detail = { keys: readonly string[]; text: SQL };
