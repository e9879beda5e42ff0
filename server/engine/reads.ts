import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { PgDialect } from 'drizzle-orm/pg-core';
import type { Actor } from '../auth/sessions.ts';
import { now } from '../clock.ts';
import { type Db, type Executor, perHandle } from '../db/client.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { type CacheStatus, ListCache, type ListRead, permissionsId } from './list-cache.ts';
import { finishedItem, type JsonRow, writesJsonPages } from './list-json.ts';
import {
  cappedMatches,
  countOf,
  type ListStatement,
  limitsFor,
  listColumns,
  listStatementOf,
  type RenderedList,
} from './list-sql.ts';
import { filterValuesOf, LIST_COUNT_CAP, type ListQuery, orderOf, whereOf } from './query.ts';
import type { Item, ResourceConfig, School } from './types.ts';
import { walkStatement, walksInOrder } from './walk.ts';

export type Row = Record<string, unknown>;
export type ListPage = { items: Item[]; total: number; totalCapped: boolean; page: number; pageSize: number };

/** How a write reads the record it works on: locked for the transaction, or past the actor's scope. */
export type LoadOptions = { lock?: boolean; scoped?: boolean };

/** Fields' values of a row, nothing else: the default presentation (secrets have no field). */
function defaultPresent(config: ResourceConfig) {
  const keys = ['id', ...config.fields.filter((f) => f.column).map((f) => f.key)];
  return async (_db: Executor, rows: Row[]): Promise<Item[]> =>
    rows.map((row) => Object.fromEntries(keys.map((k) => [k, row[k] ?? null])) as Item);
}

/** A list statement's row: the record's columns (or its JSON) and what the list needs beside. */
type Found = Row & { listMatches: number; listCounter?: string; listUntil?: string | null };
type PageTotal = Omit<ListPage, 'items'>;

/** A selection of the list: the page a query asks for, or a batch of an export. */
export type RowsQuery = { where: SQL | undefined; order: SQL[]; offset: number; limit: number };

/**
 * The one statement a list page is read with: the page, and beside it the count of matches up to
 * the cap and what a list cache needs to keep the page; `first`, the ids the page is among.
 */
function listStatement(
  db: Db,
  config: ResourceConfig,
  values: {
    where: SQL | undefined;
    order: SQL[];
    offset: number;
    pageSize: number;
    cap: number;
    at: Date | SQL;
    first?: SQL;
    json: boolean;
    /** The count when the scope alone narrows the list (ResourceConfig.scopeCount). */
    scopeCount?: SQL<number>;
    planOnce: boolean;
  },
) {
  const { where, order, offset, pageSize, cap, at, first, json, scopeCount, planOnce } = values;
  const limitOf = limitsFor(planOnce);
  const count = scopeCount ?? countOf(cappedMatches(db, config.table, where, cap, limitOf).getSQL());
  return db
    .select(listColumns(config, count, at, json))
    .from(config.table)
    .where(first ? and(where, sql`${config.id} in (${first})`) : where)
    .orderBy(...order)
    .limit(limitOf(pageSize))
    .offset(limitOf(offset));
}

/** Whether the list's statement for `query` keeps one plan (ResourceConfig.planOnce). */
function plansOnce(config: ResourceConfig, query: ListQuery): boolean {
  if (config.planOnce === 'without keyword') return !query.q?.trim();
  return config.planOnce === true;
}

/** The number of matches, counting no further than `cap + 1` (which says "more than cap"). */
async function countMatchesUpTo(db: Db, config: ResourceConfig, where: SQL | undefined, cap: number) {
  const matches = cappedMatches(db, config.table, where, cap).as('matches');
  const [counted] = (await db.select({ total: sql<number>`count(*)::int` }).from(matches)) as {
    total: number;
  }[];
  return counted?.total ?? 0;
}

/**
 * The statement a list page is read with for `actor`: along the resource's keyword walk when it has
 * one for this keyword and the list is in its default order (walk.ts), else listStatement.
 */
export async function listStatementFor(
  db: Db,
  config: ResourceConfig,
  school: School,
  actor: Actor,
  query: ListQuery,
  at: Date,
  json = false,
): Promise<ListStatement> {
  const pageSize = query.pageSize ?? 20;
  const offset = ((query.page ?? 1) - 1) * pageSize;
  // A list cache's statement asks what changes with time (its scope, the instant it next changes
  // by itself) at a placeholder for the instant: rendered once, it is run at each.
  const instant = config.listCache ? AT : at;
  const scope = config.scope?.(actor, instant);
  const q = query.q?.trim();
  const cap = config.countCap ?? LIST_COUNT_CAP;
  const walk =
    q && config.keywordWalk && walksInOrder(config, query)
      ? await config.keywordWalk({ db, q, actor, filterValues: (key) => filterValues(config, query, key) })
      : undefined;
  if (walk) {
    // The filters the walk applies itself are exact there: the record is not checked for them again.
    const rest = Object.fromEntries(walk.absorbs.map((key) => [key, undefined]));
    const where = whereOf(config, { ...query, ...rest, q: undefined }, scope, school.timezone, actor);
    const rendered = walkStatement(db, config, {
      walk,
      where,
      scope,
      query,
      offset,
      pageSize,
      cap,
      at: instant,
      json,
    });
    return listStatementOf(rendered, { ...walk.values, ...timeOf(config, at) });
  }
  const render = () => {
    const order = orderOf(config, query.sort);
    const where = whereOf(config, query, scope, school.timezone, actor);
    const planOnce = plansOnce(config, query);
    const first =
      !query.sort && config.defaultOrderIds
        ? config.defaultOrderIds(where, limitsFor(planOnce)(offset + pageSize))
        : undefined;
    const scopeCount = config.scopeCount && !narrowsScope(query) ? config.scopeCount(actor) : undefined;
    const values = { where, order, offset, pageSize, cap, at: instant, first, json, scopeCount, planOnce };
    return listStatement(db, config, values).prepare('');
  };
  const rendered = renderedLists(db, listKey(db, config, school, actor, query, scope, json), render);
  return listStatementOf(rendered, timeOf(config, at));
}

/**
 * Something in the query narrows the list beyond the reader's scope: anything but its page and
 * its order (an unknown key too, so a filter added later is never counted as none).
 */
const narrowsScope = (query: ListQuery) =>
  Object.entries(query).some(
    ([key, value]) => !['page', 'pageSize', 'sort'].includes(key) && value !== undefined && value !== '',
  );

/** The instant a list cache's statement is run at (listStatementFor). */
const AT = sql`${sql.placeholder('at')}`;
/** The value of AT, for a list cache's statement. */
const timeOf = (config: ResourceConfig, at: Date) => (config.listCache ? { at } : {});

/** List statements as rendered for a list, a reader and a query (listKey). */
const renderedLists = perHandle<RenderedList>(1_000);

/**
 * Everything a list's statement is made of but the resource's fixed parts: the query, the school's
 * timezone (date filters), the reader and their permissions (a keyword's conditions depend on them)
 * and the scope as written (its text and values: whatever it depends on, the time included). A
 * reader opening their list again, or the next page, finds it rendered: Drizzle's rendering of a
 * list (its tree walked, each node's kind checked, my customers' scope written four times) was
 * most of the server's own work per page.
 */
function listKey(
  db: Db,
  config: ResourceConfig,
  school: School,
  actor: Actor,
  query: ListQuery,
  scope: SQL | undefined,
  json: boolean,
) {
  const written = scope ? (db as unknown as { dialect: PgDialect }).dialect.sqlToQuery(scope) : undefined;
  return JSON.stringify([
    config.name,
    school.timezone,
    actor.userId,
    permissionsId(actor.permissions),
    query,
    written?.sql,
    written?.params,
    json,
  ]);
}

/** A filter's values in `query` as whereOf reads them; undefined when it is not set. */
function filterValues(config: ResourceConfig, query: ListQuery, key: string) {
  const raw = query[key];
  const field = config.fields.find((f) => f.key === key && f.filter);
  if (!field) throw new Error(`${config.name} has no filter ${key}`);
  return raw === undefined || raw === '' ? undefined : filterValuesOf(field, String(raw));
}

/** How a resource's records are read: one, a page of the list with its total, or a batch. */
export function resourceReads(db: Db, config: ResourceConfig, school: School) {
  const presentWith = config.present ?? defaultPresent(config);
  const present = (executor: Executor, rows: Row[], actor: Actor) =>
    presentWith(executor, rows, actor, school);
  const { table } = config;
  const listCache = new ListCache<ListPage>();

  /** One record in the actor's scope, presented; 404 when there is none. */
  async function load(executor: Executor, actor: Actor, id: number, options: LoadOptions = {}) {
    const scope = options.scoped === false ? undefined : config.scope?.(actor, now());
    const query = executor
      .select()
      .from(table)
      .where(and(eq(config.id, id), scope));
    const rows = (options.lock ? await query.for('update') : await query) as Row[];
    const [item] = await present(executor, rows, actor);
    if (!item) throw notFound();
    return item;
  }

  const countUpTo = (where: SQL | undefined, cap: number) => countMatchesUpTo(db, config, where, cap);

  /**
   * Where a page is in the list and the list's total. Counting a million matches exactly costs
   * more than the page, so the page's statement counts up to the cap beside it; past the cap,
   * "10,000+" is what a person needs to know (narrow the search). A page that is not full ends the
   * list, so it tells the total itself.
   */
  async function pageOf(found: Found[], actor: Actor, query: ListQuery, at: Date): Promise<PageTotal> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const offset = (page - 1) * pageSize;
    const cap = config.countCap ?? LIST_COUNT_CAP;
    if (found.length < pageSize && (found.length > 0 || offset === 0)) {
      return { total: offset + found.length, totalCapped: false, page, pageSize };
    }
    // A page past the end holds no row to carry the count.
    const counted =
      found[0]?.listMatches ??
      (await countUpTo(whereOf(config, query, config.scope?.(actor, at), school.timezone, actor), cap));
    const totalCapped = counted > cap;
    return { total: totalCapped ? cap : counted, totalCapped, page, pageSize };
  }

  /** A page and its total in one statement, with what a list cache needs to keep it. */
  async function readList(
    actor: Actor,
    query: ListQuery,
    at: Date,
  ): Promise<{ value: ListPage; read: ListRead }> {
    const statement = await listStatementFor(db, config, school, actor, query, at);
    const found = (await statement.rows()) as Found[];
    const rows = found.map(({ listMatches: _, listCounter: _c, listUntil: _u, ...row }) => row);
    const items = await present(db, rows, actor);
    // An empty page carries no counter to check against: it is simply not kept.
    const read = { at, counter: found[0]?.listCounter, until: found[0]?.listUntil ?? null };
    return { value: { items, ...(await pageOf(found, actor, query, at)) }, read };
  }

  /**
   * A page as the list's JSON answer, its items written by PostgreSQL (list-json.ts); null when
   * the resource's pages are not written so (no listJson, or a list cache keeping values).
   */
  async function listText(actor: Actor, query: ListQuery): Promise<string | null> {
    const json = config.listJson;
    if (!json || !writesJsonPages(config)) return null;
    const at = now();
    const statement = await listStatementFor(db, config, school, actor, query, at, true);
    const found = (await statement.rows()) as (Found & JsonRow)[];
    const items = found.map((row) => finishedItem(row, actor, at, json));
    const { total, totalCapped, page, pageSize } = await pageOf(found, actor, query, at);
    return `{"items":[${items.join(',')}],"total":${total},"totalCapped":${totalCapped},"page":${page},"pageSize":${pageSize}}`;
  }

  return {
    load,
    countUpTo,
    readList,
    listText,

    /** One record as `GET /api/<name>/:id` answers it: in the scope, or read beyond it where the config allows. */
    async read(actor: Actor, id: number): Promise<Item> {
      try {
        return await load(db, actor, id);
      } catch (error) {
        if (!(error instanceof HttpError && error.statusCode === 404) || !config.readOutsideScope)
          throw error;
        const item = await config.readOutsideScope(db, actor, id);
        if (!item) throw error;
        return item;
      }
    },

    /** The rows a query selects, presented for the actor. */
    async rows(actor: Actor, { where, order, offset, limit }: RowsQuery): Promise<Item[]> {
      const rows = (await db
        .select()
        .from(table)
        .where(where)
        .orderBy(...order)
        .limit(limit)
        .offset(offset)) as Row[];
      return present(db, rows, actor);
    },

    async count(where: SQL | undefined): Promise<number> {
      const [counted] = (await db.select({ total: sql<number>`count(*)::int` }).from(table).where(where)) as {
        total: number;
      }[];
      return counted?.total ?? 0;
    },

    /** A page of the list, from the list cache when the resource has one (`told` says how). */
    async list(actor: Actor, query: ListQuery, told?: (status: CacheStatus) => void): Promise<ListPage> {
      const at = now();
      const seen = config.listCache ? actor.seen : undefined;
      if (!seen) return (await readList(actor, query, at)).value;
      const key = `${actor.userId}:${permissionsId(actor.permissions)}:${JSON.stringify(query)}`;
      const { value, status } = await listCache.load(key, seen, at, () => readList(actor, query, at));
      told?.(status);
      return value;
    },
  };
}
