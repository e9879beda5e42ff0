import { type SQL, sql } from 'drizzle-orm';
import { addDays } from '../../clock.ts';
import { type Db, intArraySql, queryRows, yieldToRequests } from '../../db/client.ts';
import { customers } from '../../db/schema/index.ts';
import { isoTimeSql, type NotificationEvent, outboxInsert } from '../notify/outbox.ts';
import { releasedPeriodStatusSql, releasedReasonSql } from './predicates.ts';
import { loadPoolSettings, type PoolSettings } from './settings.ts';

/** Rows per transaction: a grab waits on at most one batch's locks. */
export const SWEEP_BATCH = 5_000;

/** Loops releasing side by side (see sweep). */
const RELEASE_LOOPS = 2;

export type SweepResult = { released: number; reminded: number };

/**
 * One message per owner per batch, not one per customer: a consultant whose forty customers fell
 * due tonight is told once at 00:05, not forty times (SMS gateways and DingTalk robots also cap how
 * often one recipient may be messaged). `rows` names a relation with (id, name, consultant_id,
 * release_at) and whatever `more` reads; each customer is listed with its deadline as `timeField`.
 * A message about one customer carries that customer's fields at its top level as well, as the
 * per-customer messages did. The key is the event, the first customer listed and its deadline: a
 * customer is released (or reminded of a deadline) once, so no two messages share it.
 */
function ownerDigest(event: NotificationEvent, rows: SQL, timeField: string, more = sql`'{}'::jsonb`) {
  return sql`select g.consultant_id, ${event}::text,
           case when g.n = 1 then g.items -> 0 else '{}'::jsonb end
             || jsonb_build_object('count', g.n, 'customers', g.items),
           ${event}::text || ':' || (g.items -> 0 ->> 'customerId') || ':' || (g.items -> 0 ->> ${timeField}::text)
    from (
      select c.consultant_id, count(*)::int as n,
             jsonb_agg(jsonb_build_object('customerId', c.id, 'name', c.name, ${timeField}::text,
                                          ${isoTimeSql(sql`c.release_at`)}) || ${more}
                       order by c.release_at, c.id) as items
      from ${rows} c group by c.consultant_id
    ) g`;
}

/**
 * One batch of releases: of `ids`, the owned customers public at `at` lose their owner (recording
 * who and why), the owner's open period ends at the deadline that passed, and each owner is told —
 * one statement, so a customer is never half released and no row travels to the app and back.
 * Rows a grab holds are skipped; once the grab commits they are no longer public.
 */
async function releaseBatch(db: Db, settings: PoolSettings, at: Date, ids: readonly string[]) {
  const [row] = await queryRows<{ done: number }>(
    db,
    sql`with batch as (
          select c.id from customers c
          where c.id = any(${intArraySql(ids)}) and c.status = 'unregistered' and c.consultant_id is not null
            and c.release_at <= ${at}
          for no key update of c skip locked
        ),
        released as (
          update customers
          set consultant_id = null, previous_consultant_id = ${customers.consultantId},
              released_reason = ${releasedReasonSql(settings)},
              recv_at = null, last_consult_at = null, updated_at = ${at}
          from batch where ${customers.id} = batch.id
          returning ${customers.id} as id, ${customers.name} as name,
                    ${customers.previousConsultantId} as consultant_id,
                    ${customers.releasedReason} as reason, ${customers.releaseAt} as release_at
        ),
        closed as (
          update customer_distributions d
          set status = ${releasedPeriodStatusSql(sql`r.reason`)},
              ended_at = greatest(r.release_at, d.started_at), updated_at = ${at}
          from released r
          where d.customer_id = r.id and d.status = 'following'
        ),
        told as (${outboxInsert(ownerDigest('customer_released', sql`released`, 'releasedAt', sql`jsonb_build_object('reason', c.reason)`), at)})
        select count(*)::int as done from released`,
  );
  return row!.done;
}

/**
 * One batch of reminders: of `ids`, the owned customers whose deadline falls within
 * `remindDaysBefore` days and whose owner has not been told of that deadline.
 * customer_owners.reminded_for records it, so a deadline is reminded of once, and again only once a
 * follow-up or a new owner moves it.
 */
async function remindBatch(db: Db, at: Date, horizon: Date, ids: readonly string[]) {
  const [row] = await queryRows<{ done: number }>(
    db,
    sql`with due as (
          select o.customer_id from customer_owners o
          where o.customer_id = any(${intArraySql(ids)}) and o.release_at > ${at} and o.release_at <= ${horizon}
            and o.reminded_for is distinct from o.release_at
          for no key update of o skip locked
        ),
        marked as (
          update customer_owners o set reminded_for = o.release_at
          from due where o.customer_id = due.customer_id
          returning o.customer_id as id, o.name, o.consultant_id, o.release_at
        ),
        told as (${outboxInsert(ownerDigest('release_reminder', sql`marked`, 'releaseAt'), at)})
        select count(*)::int as done from marked`,
  );
  return row!.done;
}

/**
 * The owned customers `where` picks (a condition on customer_owners `o`), owner by owner, as one
 * comma-separated list per share of the owners (`consultant_id % shares`): read once, so that each
 * batch then finds its rows by primary key, and each owner's customers share a batch and so a
 * message. Asking customer_owners for the next 5,000 after a cursor instead made PostgreSQL sort
 * the whole remainder again for most batches. As text, not a row per customer: a row object per due
 * customer held up the event loop of the process running the sweep (a server answering requests)
 * several times longer than the text does (docs/benchmarks.md, "Releases as HOT updates, one
 * message per owner, the due list read once").
 */
async function dueByOwner(db: Db, where: SQL, shares: number): Promise<string[][]> {
  const lists = await queryRows<{ ids: string }>(
    db,
    sql`select string_agg(o.customer_id::text, ',' order by o.consultant_id, o.release_at, o.customer_id) as ids
        from customer_owners o where ${where} group by o.consultant_id % ${shares}`,
  );
  return lists.map(({ ids }) => ids.split(','));
}

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
  const shares = await dueByOwner(db, where, options.loops);
  const done = (await Promise.all(shares.map(walk))).reduce((sum, n) => sum + n, 0);
  const left = await dueByOwner(db, where, 1);
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
    (ids) => releaseBatch(db, settings, at, ids),
    { limit, loops: RELEASE_LOOPS },
  );
  if (settings.remindDaysBefore <= 0) return { released, reminded: 0 };
  const horizon = addDays(at, settings.remindDaysBefore);
  const reminded = await inBatches(
    db,
    sql`o.release_at > ${at} and o.release_at <= ${horizon} and o.reminded_for is distinct from o.release_at`,
    (ids) => remindBatch(db, at, horizon, ids),
    { limit, loops: 1 },
  );
  return { released, reminded };
}
