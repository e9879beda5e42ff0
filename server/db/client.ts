import path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgDialect, PgQueryResultHKT, PgSession, PgTable } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { type DatabaseTimeouts, DEFAULT_DATABASE_TIMEOUTS } from '../config.ts';
import { type DataDirLock, lockDataDir } from './lock.ts';
import * as schema from './schema/index.ts';
import { PreparingClient } from './statements.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything that runs queries: the database or a transaction's handle. */
export type Executor = Db | Tx;

export type DatabaseKind = 'pglite' | 'postgres';

export type Database = {
  db: Db;
  kind: DatabaseKind;
  /** PostgreSQL's connection string (background threads open their own connections with it). */
  url?: string;
  /** PostgreSQL's limits, for the connections background threads open. */
  timeouts?: DatabaseTimeouts;
  migrate(): Promise<void>;
  close(): Promise<void>;
};

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

// Any fixed number: all instances migrating one server take turns on it.
const MIGRATION_LOCK_KEY = 727_100_001;

/** Wraps an open PGlite instance (from disk, memory, or a test template). */
export function fromPglite(client: PGlite, onClose?: () => void): Database {
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    async close() {
      if (!client.closed) await client.close();
      onClose?.();
    },
  };
}

export async function openPglite(dataDir: string, command: string): Promise<Database> {
  const lock: DataDirLock = lockDataDir(dataDir, command);
  try {
    const client = await PGlite.create(path.join(dataDir, 'pglite'), { extensions: { pg_trgm } });
    return fromPglite(client, () => lock.release());
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * How much longer than statement_timeout the client waits for an answer before it takes the server
 * for frozen: on a live server the statement is cancelled first, and that error says so.
 */
const FROZEN_MARGIN_MS = 2_000;

/** pg's settings for `timeouts` (see DatabaseTimeouts): each connection sends them at start. */
function connectionLimits(timeouts: DatabaseTimeouts): pg.ClientConfig {
  return {
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs || undefined,
    query_timeout: timeouts.statementMs ? timeouts.statementMs + FROZEN_MARGIN_MS : undefined,
    lock_timeout: timeouts.lockMs || undefined,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs || undefined,
    // A server that vanished without closing the connection (a lost machine) is noticed.
    keepAlive: true,
    // No JIT: PostgreSQL compiles a statement whose estimated cost passes jit_above_cost, and a
    // generic plan's estimate can be far off (LIMIT $1 taken for a tenth of the rows). The pool's
    // page compiled 80 functions for 1,016 ms to run 1.2 ms of work. Nothing here runs long enough
    // for compiled expressions to win that back.
    options: '-c jit=off',
  };
}

export function openPostgres(
  url: string,
  options: { max?: number; timeouts?: DatabaseTimeouts } = {},
): Database {
  const timeouts = options.timeouts ?? DEFAULT_DATABASE_TIMEOUTS;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    Client: PreparingClient,
    ...connectionLimits(timeouts),
  });
  // An idle client losing its server must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = drizzleNodePg({ client: pool, schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    url,
    timeouts,
    async migrate() {
      // A connection of its own, without the statement and lock limits: building an index on a
      // large table takes what it takes, and other instances wait their turn on the lock.
      const client = new pg.Client({
        connectionString: url,
        connectionTimeoutMillis: timeouts.connectMs,
        keepAlive: true,
      });
      client.on('error', () => {});
      await client.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        await migrateNodePg(drizzleNodePg({ client, schema }), { migrationsFolder });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
        await client.end().catch(() => {});
      }
    },
    close: () => pool.end(),
  };
}

/** Opens the configured database: PostgreSQL when DATABASE_URL is set, else embedded PGlite. */
export async function openDatabase(
  config: { databaseUrl: string | null; dataDir: string; databaseTimeouts?: DatabaseTimeouts },
  command: string,
): Promise<Database> {
  return config.databaseUrl
    ? openPostgres(config.databaseUrl, { timeouts: config.databaseTimeouts })
    : openPglite(config.dataDir, command);
}

/**
 * Integer ids as one int[] parameter, however many: the statement's text stays the same and never
 * nears PostgreSQL's 65,535 parameters. Anything but an integer (or a string of digits, as the
 * database writes an id in text) is left out, so only numbers reach the literal.
 */
export function intArraySql(ids: readonly (number | string)[]): SQL {
  const wanted = ids.filter((id) => (typeof id === 'string' ? /^\d+$/.test(id) : Number.isInteger(id)));
  return sql`${`{${wanted.join(',')}}`}::int[]`;
}

/** Runs raw SQL and returns its rows; both drivers answer with `{ rows }`. */
export async function queryRows<T>(db: Executor, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * A statement whose shape never changes, rendered to text once. Drizzle walks the whole SQL tree of
 * every statement it runs, and for the largest one on a hot path (the grab) that walk cost more of
 * the instance's CPU per request than PostgreSQL takes to refuse a grab (docs/benchmarks.md, "The
 * grab storm: refusals from a read of the row, statements rendered once"). `build`
 * gets one placeholder per value, bound by name at every run; anything else it writes into the text
 * is fixed by the first run, so it must not vary.
 */
export function compiled<V extends Record<string, unknown>, T>(
  build: (values: { [K in keyof V]: SQL }) => SQL,
) {
  let query: { sql: string; params: unknown[] } | undefined;
  const slots = new Proxy({} as { [K in keyof V]: SQL }, {
    get: (_, name) => sql`${sql.placeholder(String(name))}`,
  });
  return async (db: Executor, values: V): Promise<T[]> => {
    // The handles' own dialect and session, as db.execute uses them (a transaction's is its connection).
    const handle = db as unknown as { dialect: PgDialect; session: PgSession };
    query ??= handle.dialect.sqlToQuery(build(slots));
    const prepared = handle.session.prepareQuery(query, undefined, undefined, false);
    const result = (await prepared.execute(values)) as { rows: T[] };
    return result.rows;
  };
}

/**
 * What is built once per database handle and key (a statement's shape) and kept: at most `most`
 * keys per handle, all forgotten when that many are held (the hot ones are built again at once).
 */
export function perHandle<V>(most: number) {
  const byHandle = new WeakMap<object, Map<string, V>>();
  return (handle: Executor, key: string, build: () => V): V => {
    let kept = byHandle.get(handle);
    if (!kept) {
      kept = new Map();
      byHandle.set(handle, kept);
    }
    const known = kept.get(key);
    if (known !== undefined) return known;
    if (kept.size >= most) kept.clear();
    const built = build();
    kept.set(key, built);
    return built;
  };
}

/**
 * A row a statement returned as JSON (`row_to_json`), in the shape `db.select().from(table)` gives
 * it: for one statement that both writes and answers with what it wrote.
 */
export function rowFromJson<T extends PgTable>(table: T, json: Record<string, unknown>): T['$inferSelect'] {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = json[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T['$inferSelect'];
}

export async function ping(db: Executor): Promise<void> {
  await db.execute(sql`select 1`);
}

/**
 * Lets the requests that came in meanwhile be served, between the batches of long work (an
 * import, the sweep). PGlite answers in-process without real I/O, so a loop of batches on it is one
 * unbroken chain of promises: without this, no request would be served until the work ended.
 */
export function yieldToRequests(): Promise<void> {
  return setImmediate();
}

/** A unique constraint refused the write (23505): both drivers put the code on the error or its cause. */
export function isUniqueViolation(error: unknown): boolean {
  const { cause } = error as { cause?: { code?: string } };
  return (cause ?? (error as { code?: string })).code === '23505';
}
