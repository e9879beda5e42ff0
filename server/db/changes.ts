import { type SQL, sql } from 'drizzle-orm';

/**
 * Data a cache may hold only while nobody changes it, watched in the database so that every
 * instance, and hand-written SQL, is seen (migrations 0012 and 0013): every statement that changes
 * a row of the data bumps `sequence` in a trigger, after taking a shared advisory lock on `lock` that its
 * transaction holds until it commits or rolls back.
 *
 * A reader reads the counter, then tests the lock (seenFrom and seenColumns). When the lock is free, every
 * bump counted so far belongs to a transaction that has ended, so a statement started after that
 * sees all of its work, and what it reads may be kept under that counter. While a writer is still
 * open the reader may not keep what it reads, since it would miss that writer's work once it
 * commits. The next bump ends what was kept.
 */
export type ChangeWatch = { sequence: string; lock: readonly [number, number] };

/** What a pool page shows: customers, their courses, users' names, the pool rules (migration 0012 names the same lock). */
export const poolChanges: ChangeWatch = { sequence: 'pool_changes', lock: [727_300, 0] };

// A new sequence's last_value is already 1 before its first bump.
const counterOf = sql`(case when is_called then last_value else 0 end)::text`;

/** The watch as the request's reader saw it, before the statements that answer it. */
export type Seen = { counter: string; quiet: boolean };

/**
 * `counter` and `quiet` columns for a statement's select list, from a relation `alias` joined in
 * as `seenFrom`: the counter is read while the relation is scanned, the lock tested afterwards
 * when the output row is built, and CASE keeps the unlock from running without the lock.
 */
export const seenFrom = (watch: ChangeWatch, alias: string): SQL =>
  sql`(select ${counterOf} as counter from ${sql.identifier(watch.sequence)}) ${sql.identifier(alias)}`;

export const seenColumns = (watch: ChangeWatch, alias: string): SQL => {
  const [space, key] = watch.lock;
  return sql`${sql.identifier(alias)}.counter as watch_counter,
    case when pg_try_advisory_lock(${sql.raw(String(space))}, ${sql.raw(String(key))})
      then pg_advisory_unlock(${sql.raw(String(space))}, ${sql.raw(String(key))}) else false end as watch_quiet`;
};

/** The counter now, for the statement that reads the data: unchanged since `seen` or not keepable. */
export const counterSql = (watch: ChangeWatch): SQL =>
  sql`(select ${counterOf} from ${sql.identifier(watch.sequence)})`;
