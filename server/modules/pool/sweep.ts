import { sql } from 'drizzle-orm';
import { addDays } from '../../clock.ts';
import { type Db, queryRows, yieldToRequests } from '../../db/client.ts';
import { customers } from '../../db/schema/index.ts';
import { isoTimeSql, outboxInsert, returningEventKey } from '../notify/outbox.ts';
import { releasedPeriodStatusSql, releasedReasonSql } from './predicates.ts';
import { loadPoolSettings, type PoolSettings } from './settings.ts';

/** Rows per transaction: a grab waits on at most one batch's locks. */
export const SWEEP_BATCH = 5_000;

export type SweepResult = { released: number; reminded: number };

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
        told as (${outboxInsert(
          sql`select r.consultant_id, 'customer_released'::text,
                     jsonb_build_object('customerId', r.id, 'name', r.name, 'reason', r.reason,
                                        'releasedAt', ${isoTimeSql(sql`r.release_at`)}),
                     'customer_released:' || r.id || ':' || ${isoTimeSql(sql`r.release_at`)}
              from released r`,
          at,
        )})
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
          told as (${outboxInsert(
            sql`select d.consultant_id, 'release_reminder'::text,
                       jsonb_build_object('customerId', d.id, 'name', d.name,
                                          'releaseAt', ${isoTimeSql(sql`d.release_at`)}),
                       'release_reminder:' || d.id || ':' || ${isoTimeSql(sql`d.release_at`)}
                from due d`,
            at,
          )} ${returningEventKey}),
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
 */
export async function sweep(db: Db, at: Date, options: { batch?: number } = {}): Promise<SweepResult> {
  const limit = options.batch ?? SWEEP_BATCH;
  const settings = await loadPoolSettings(db);
  let released = 0;
  for (;;) {
    const n = await releaseBatch(db, settings, at, limit);
    released += n;
    if (n < limit) break;
    await yieldToRequests();
  }
  return { released, reminded: await remind(db, settings, at, limit) };
}
