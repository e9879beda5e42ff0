import { type SQL, sql } from 'drizzle-orm';
import { addDays } from '../../clock.ts';
import { type Db, queryRows, yieldToRequests } from '../../db/client.ts';
import { customers } from '../../db/schema/index.ts';
import { isoTimeSql, type NotificationEvent, outboxInsert } from '../notify/outbox.ts';
import { releasedPeriodStatusSql, releasedReasonSql } from './predicates.ts';
import { loadPoolSettings, type PoolSettings } from './settings.ts';

/** Rows per transaction: a grab waits on at most one batch's locks. */
export const SWEEP_BATCH = 5_000;

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
 * Where a pass over the owned customers has got to. The first pass walks them owner by owner
 * (customer_owners_consultant_idx), so that each owner's customers share a batch and a message; the
 * second walks what is still due by deadline, to take what the first skipped because a grab or a
 * follow-up held it at that moment.
 */
type Cursor = { consultantId: number; releaseAt: string; customerId: number } | null;

const byOwner = (after: Cursor) =>
  after === null
    ? sql`true`
    : sql`(o.consultant_id, o.release_at, o.customer_id)
          > (${after.consultantId}::int, ${after.releaseAt}::timestamptz, ${after.customerId}::int)`;

const passOrder = (pass: 'owners' | 'rest') =>
  pass === 'owners' ? sql`o.consultant_id, o.release_at, o.customer_id` : sql`o.release_at, o.customer_id`;

type BatchRow = {
  seen: number;
  done: number;
  last_consultant_id: number | null;
  last_release_at: string | null;
  last_customer_id: number | null;
};

/** The last row a batch read, as the next batch's starting point (exact to the microsecond). */
const lastOf = (due: SQL) =>
  sql`select (select count(*) from ${due})::int as seen, l.consultant_id as last_consultant_id,
             l.release_at::text as last_release_at, l.customer_id as last_customer_id
      from (select 1) one left join lateral (
        select consultant_id, release_at, customer_id from ${due}
        order by consultant_id desc, release_at desc, customer_id desc limit 1) l on true`;

const cursorOf = (row: BatchRow): Cursor =>
  row.last_customer_id === null
    ? null
    : {
        consultantId: row.last_consultant_id!,
        releaseAt: row.last_release_at!,
        customerId: row.last_customer_id,
      };

/**
 * One batch of releases: owned customers public at `at` lose their owner (recording who and why),
 * the owner's open period ends at the deadline that passed, and each owner is told — one statement,
 * so a customer is never half released and no row travels to the app and back. Rows a grab holds
 * are skipped; once the grab commits they are no longer public.
 */
async function releaseBatch(
  db: Db,
  settings: PoolSettings,
  at: Date,
  limit: number,
  pass: 'owners' | 'rest',
  after: Cursor,
): Promise<BatchRow> {
  const [row] = await queryRows<BatchRow>(
    db,
    sql`with due as (
          select o.customer_id, o.consultant_id, o.release_at from customer_owners o
          where o.release_at <= ${at} and ${byOwner(after)}
          order by ${passOrder(pass)}
          limit ${limit}
        ),
        batch as (
          select c.id from customers c join due on due.customer_id = c.id
          where c.status = 'unregistered' and c.consultant_id is not null and c.release_at <= ${at}
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
        select (select count(*) from released)::int as done, l.* from (${lastOf(sql`due`)}) l`,
  );
  return row!;
}

/**
 * One batch of reminders: owned customers whose deadline falls within `remindDaysBefore` days and
 * whose owner has not been told of that deadline. customer_owners.reminded_for records it, so a
 * deadline is reminded of once, and again only once a follow-up or a new owner moves it.
 */
async function remindBatch(
  db: Db,
  at: Date,
  horizon: Date,
  limit: number,
  pass: 'owners' | 'rest',
  after: Cursor,
): Promise<BatchRow> {
  const [row] = await queryRows<BatchRow>(
    db,
    sql`with due as (
          select o.customer_id, o.consultant_id, o.release_at from customer_owners o
          where o.release_at > ${at} and o.release_at <= ${horizon}
            and o.reminded_for is distinct from o.release_at and ${byOwner(after)}
          order by ${passOrder(pass)}
          limit ${limit}
          for no key update of o skip locked
        ),
        marked as (
          update customer_owners o set reminded_for = o.release_at
          from due where o.customer_id = due.customer_id
          returning o.customer_id as id, o.name, o.consultant_id, o.release_at
        ),
        told as (${outboxInsert(ownerDigest('release_reminder', sql`marked`, 'releaseAt'), at)})
        select (select count(*) from marked)::int as done, l.* from (${lastOf(sql`due`)}) l`,
  );
  return row!;
}

type Batch = (pass: 'owners' | 'rest', after: Cursor) => Promise<BatchRow>;

/** Runs `batch` over both passes until nothing it can take is left; returns how many rows it did. */
async function passes(batch: Batch, limit: number): Promise<number> {
  let done = 0;
  let after: Cursor = null;
  for (;;) {
    const row = await batch('owners', after);
    done += row.done;
    if (row.seen < limit) break;
    after = cursorOf(row);
    await yieldToRequests();
  }
  for (;;) {
    const row = await batch('rest', null);
    done += row.done;
    if (row.done === 0 || row.seen < limit) return done;
    await yieldToRequests();
  }
}

/**
 * The nightly sweep (SPEC §3): records every release that has happened by `at` and reminds owners
 * of the coming ones. Idempotent — a second run, or one on another instance at the same time,
 * finds nothing left to release or remind of and writes no second notification.
 *
 * The releases and the reminders run side by side, each on its own connection where the database
 * has more than one: they touch disjoint customers (deadlines passed, deadlines coming).
 */
export async function sweep(db: Db, at: Date, options: { batch?: number } = {}): Promise<SweepResult> {
  const limit = options.batch ?? SWEEP_BATCH;
  const settings = await loadPoolSettings(db);
  const horizon = addDays(at, settings.remindDaysBefore);
  const [released, reminded] = await Promise.all([
    passes((pass, after) => releaseBatch(db, settings, at, limit, pass, after), limit),
    settings.remindDaysBefore > 0
      ? passes((pass, after) => remindBatch(db, at, horizon, limit, pass, after), limit)
      : 0,
  ]);
  return { released, reminded };
}
