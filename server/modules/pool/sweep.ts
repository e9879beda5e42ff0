import { sql } from 'drizzle-orm';
import { addDays } from '../../clock.ts';
import { type Db, queryRows, yieldToRequests } from '../../db/client.ts';
import { customers } from '../../db/schema/index.ts';
import { enqueue } from '../notify/outbox.ts';
import { releasedReasonSql } from './predicates.ts';
import { loadPoolSettings, type PoolSettings } from './settings.ts';

/** Rows per transaction: a grab waits on at most one batch's locks. */
export const SWEEP_BATCH = 5_000;

export type SweepResult = { released: number; reminded: number };

const asDate = (value: Date | string) => new Date(value);

type Released = {
  id: number;
  name: string;
  consultant_id: number;
  reason: 'no_followup' | 'no_deal';
  release_at: Date | string;
  distribution_id: number | null;
};

/**
 * One batch: owned customers public at `at` lose their owner (recording who and why), and the
 * owner's open period ends at the deadline that passed — one statement, so a customer is never
 * half released. Rows a grab holds are skipped; once the grab commits they are no longer public.
 */
async function releaseBatch(db: Db, settings: PoolSettings, at: Date, limit: number): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await queryRows<Released>(
      tx,
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
            set status = case r.reason when 'no_deal' then 'released_no_deal' else 'released_no_followup' end,
                ended_at = greatest(r.release_at, d.started_at), updated_at = ${at}
            from released r
            where d.customer_id = r.id and d.status = 'following'
            returning d.id, d.customer_id
          )
          select r.*, closed.id as distribution_id
          from released r left join closed on closed.customer_id = r.id`,
    );
    await enqueue(
      tx,
      rows.map((r) => ({
        userId: r.consultant_id,
        event: 'customer_released' as const,
        payload: { customerId: r.id, name: r.name, reason: r.reason, releasedAt: asDate(r.release_at) },
        dedupeKey: `customer_released:${r.id}:${asDate(r.release_at).toISOString()}`,
      })),
      at,
    );
    return rows.length;
  });
}

type Due = { id: number; name: string; consultant_id: number; release_at: Date | string };

/** Reminds owners of deadlines within `remindDaysBefore` days, once per customer and deadline. */
async function remind(db: Db, settings: PoolSettings, at: Date, limit: number): Promise<number> {
  if (settings.remindDaysBefore <= 0) return 0;
  const horizon = addDays(at, settings.remindDaysBefore);
  let reminded = 0;
  let after: { releaseAt: Date; id: number } = { releaseAt: at, id: 0 };
  for (;;) {
    const rows = await queryRows<Due>(
      db,
      sql`select id, name, consultant_id, release_at from customers
          where status = 'unregistered' and consultant_id is not null
            and release_at > ${at} and release_at <= ${horizon}
            and (release_at, id) > (${after.releaseAt}::timestamptz, ${after.id}::int)
          order by release_at, id
          limit ${limit}`,
    );
    if (rows.length === 0) return reminded;
    reminded += await db.transaction((tx) =>
      enqueue(
        tx,
        rows.map((r) => ({
          userId: r.consultant_id,
          event: 'release_reminder' as const,
          payload: { customerId: r.id, name: r.name, releaseAt: asDate(r.release_at) },
          dedupeKey: `release_reminder:${r.id}:${asDate(r.release_at).toISOString()}`,
        })),
        at,
      ),
    );
    const last = rows[rows.length - 1]!;
    after = { releaseAt: asDate(last.release_at), id: last.id };
    if (rows.length < limit) return reminded;
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
