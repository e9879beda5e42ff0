import { type SQL, sql } from 'drizzle-orm';
import { addDays } from '../../clock.ts';
import { type Db, yieldToRequests } from '../../db/client.ts';
import { dueByOwner, releaseDue, remindDue } from './queries.ts';
import { loadPoolSettings } from './settings.ts';

/** Rows per transaction: a grab waits on at most one batch's locks. */
export const SWEEP_BATCH = 5_000;

/** Loops releasing side by side (see sweep). */
const RELEASE_LOOPS = 2;

export type SweepResult = { released: number; reminded: number };

/**
 * Runs `batch` over what `where` picks, in `loops` loops side by side (each on its own connection
 * where the database has more than one), each taking whole owners; then once more over what is
 * still picked, which a grab or a follow-up held a moment ago. Returns how many rows it did.
 */
async function inBatches(
  db: Db,
  where: SQL,
  batch: (ids: readonly string[]) => Promise<number>,
  options: { limit: number; loops: number },
): Promise<number> {
  const walk = async (due: readonly string[]) => {
    let done = 0;
    for (let from = 0; from < due.length; from += options.limit) {
      if (from > 0) await yieldToRequests();
      done += await batch(due.slice(from, from + options.limit));
    }
    return done;
  };
  const shares = await dueByOwner(db, { where, shares: options.loops });
  const done = (await Promise.all(shares.map(walk))).reduce((sum, n) => sum + n, 0);
  const left = await dueByOwner(db, { where, shares: 1 });
  return done + (left[0] ? await walk(left[0]) : 0);
}

/**
 * The nightly sweep (docs/spec.md §3): records every release that has happened by `at` and reminds owners
 * of the coming ones. Idempotent — a second run, or one on another instance at the same time,
 * finds nothing left to release or remind of and writes no second notification.
 *
 * Two loops release side by side (half of the owners each, each on its own connection where the
 * database has more than one); then one reminds. Now that a release writes no index entries, two
 * releasing loops no longer queue on the same pages, and two release faster than one; reminding
 * after them rather than beside them is as fast, and leaves the grabs meanwhile two busy connections
 * to share the cores with instead of three (docs/benchmarks.md, "Releases as HOT updates, one
 * message per owner, the due list read once", and "Figures moved out of the code's comments").
 */
export async function sweep(db: Db, at: Date, options: { batch?: number } = {}): Promise<SweepResult> {
  const limit = options.batch ?? SWEEP_BATCH;
  const settings = await loadPoolSettings(db);
  const released = await inBatches(
    db,
    sql`o.release_at <= ${at}`,
    (ids) => releaseDue(db, { settings, at, ids }),
    { limit, loops: RELEASE_LOOPS },
  );
  let reminded = 0;
  if (settings.remindDaysBefore > 0) {
    const horizon = addDays(at, settings.remindDaysBefore);
    reminded = await inBatches(
      db,
      sql`o.release_at > ${at} and o.release_at <= ${horizon} and o.reminded_for is distinct from o.release_at`,
      (ids) => remindDue(db, { at, horizon, ids }),
      { limit, loops: 1 },
    );
  }
  await vacuumSwept(db);
  return { released, reminded };
}

/**
 * The tables a sweep rewrites, vacuumed after it. Ending a period is a HOT update: it clears its
 * page's all-visible mark, and pruning reclaims the old row before autovacuum counts it dead, so
 * autovacuum never came (788 dead rows counted after 49,586 releases at a million customers), and
 * each consultant's my-customers count visited the table for every page the night had touched:
 * 4,334 of them for the busiest, 2.5 ms; 0.9 ms once vacuumed, which took 0.34 s (under the
 * statement limit by far: a vacuum stopped part way keeps the pages it marked). PGlite has no
 * autovacuum at all.
 */
async function vacuumSwept(db: Db) {
  // SKIP_LOCKED: a table another instance's sweep is vacuuming is skipped, not waited for (which
  // would run into the lock timeout and fail a sweep whose releases are done).
  await db.execute(sql`vacuum (skip_locked) customer_distributions, customer_owners, customers`);
}
