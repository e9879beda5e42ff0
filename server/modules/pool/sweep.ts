import { type SQL, sql } from 'drizzle-orm';
import { addDays } from '../../clock.ts';
import { type Db, queryRows, yieldToRequests } from '../../db/client.ts';
import { customers } from '../../db/schema/index.ts';
import { isoTimeSql, type NotificationEvent, outboxInsert, returningEventKey } from '../notify/outbox.ts';
import { releasedPeriodStatusSql, releasedReasonSql } from './predicates.ts';
import { loadPoolSettings, type PoolSettings } from './settings.ts';

/** Rows per transaction: a grab waits on at most one batch's locks. */
export const SWEEP_BATCH = 5_000;

export type SweepResult = { released: number; reminded: number };

/**
 * The outbox source telling each customer's owner of `event`, once per customer and deadline:
 * `rows` names a relation with (id, name, consultant_id, release_at); the deadline, written once,
 * is the payload's `timeField` (beside `more`) and the end of the dedupe key.
 */
const ownerTold = (event: NotificationEvent, rows: SQL, timeField: string, more = sql`'{}'::jsonb`) =>
  sql`select c.consultant_id, ${event}::text,
             jsonb_build_object('customerId', c.id, 'name', c.name, ${timeField}::text, t.deadline) || ${more},
             ${event}::text || ':' || c.id || ':' || t.deadline
      from ${rows} c cross join lateral (select ${isoTimeSql(sql`c.release_at`)} as deadline) t`;

/**
 * One batch: owned customers public at `at` lose their owner (recording who and why), the owner's
 * open period ends at the deadline that passed, and the owner is told — one statement, so a
 * customer is never half released and no row travels to the app and back. Rows a grab holds are
 * skipped; once the grab commits they are no longer public.
 */
async function releaseBatch(db: Db, settings: PoolSettings, at: Date, limit: number): Promise<number> {
  const [row] = await queryRows<{ released: number }>(
    db,
    sql`with batch as (
          select id from customers
          where status = 'unregistered' and consultant_id is not null and release_at <= ${at}
          order by release_at, id
          limit ${limit}
          for update skip locked
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
        told as (${outboxInsert(ownerTold('customer_released', sql`released`, 'releasedAt', sql`jsonb_build_object('reason', c.reason)`), at)})
        select count(*)::int as released from released`,
  );
  return row!.released;
}

type RemindPage = {
  seen: number;
  reminded: number;
  last_release_at: Date | string | null;
  last_id: number | null;
};

/**
 * Reminds owners of deadlines within `remindDaysBefore` days, once per customer and deadline: a page
 * of due customers is read and its reminders written by one statement, walking the deadlines in order.
 */
async function remind(db: Db, settings: PoolSettings, at: Date, limit: number): Promise<number> {
  if (settings.remindDaysBefore <= 0) return 0;
  const horizon = addDays(at, settings.remindDaysBefore);
  let reminded = 0;
  let after: { releaseAt: Date; id: number } = { releaseAt: at, id: 0 };
  for (;;) {
    const [page] = await queryRows<RemindPage>(
      db,
      sql`with due as (
            select id, name, consultant_id, release_at from customers
            where status = 'unregistered' and consultant_id is not null
              and release_at > ${at} and release_at <= ${horizon}
              and (release_at, id) > (${after.releaseAt}::timestamptz, ${after.id}::int)
            order by release_at, id
            limit ${limit}
          ),
          told as (${outboxInsert(ownerTold('release_reminder', sql`due`, 'releaseAt'), at)} ${returningEventKey}),
          last as (select release_at, id from due order by release_at desc, id desc limit 1)
          select (select count(*) from due)::int as seen,
                 (select count(distinct key) from told)::int as reminded,
                 (select release_at from last) as last_release_at,
                 (select id from last) as last_id`,
    );
    reminded += page!.reminded;
    if (page!.seen < limit || page!.last_id === null) return reminded;
    after = { releaseAt: new Date(page!.last_release_at!), id: page!.last_id };
    await yieldToRequests();
  }
}

/**
 * The nightly sweep (SPEC §3): records every release that has happened by `at` and reminds owners
 * of the coming ones. Idempotent — a second run, or one on another instance at the same time,
 * finds nothing left to release and writes no second notification.
 *
 * The releases and the reminders run side by side, each on its own connection where the database
 * has more than one: they touch disjoint customers (deadlines passed, deadlines coming), and on
 * two cores this took releasing 100,000 customers of 1,000,000, with 132,000 reminders, from 21.5 s
 * to 17.7 s. A second releasing loop beside them gained under 1 s more and was left out.
 */
export async function sweep(db: Db, at: Date, options: { batch?: number } = {}): Promise<SweepResult> {
  const limit = options.batch ?? SWEEP_BATCH;
  const settings = await loadPoolSettings(db);
  const releaseAll = async () => {
    let released = 0;
    for (;;) {
      const n = await releaseBatch(db, settings, at, limit);
      released += n;
      if (n < limit) return released;
      await yieldToRequests();
    }
  };
  const [released, reminded] = await Promise.all([releaseAll(), remind(db, settings, at, limit)]);
  return { released, reminded };
}
