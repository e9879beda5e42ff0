import { type SQL, sql } from 'drizzle-orm';
import { activeHolders } from '../../auth/holders.ts';
import { type Db, type Executor, queryRows } from '../../db/client.ts';
import { enqueue, isoTimeSql, type OutboxEvent } from '../notify/outbox.ts';

/*
 * The escalation (docs/spec.md §6, issue 23): a release reminder its owner has not acted on — no
 * follow-up, no enrolment since — by half the time that was left before the release tells the
 * owner's managers (whoever may assign and reassign customers, `customer.assign`), once per
 * deadline. So a customer falls into the pool only after two people were told.
 *
 * The reminder (queries.ts remindDue) leaves a row in `release_escalations` per owner it reminded:
 * when, and of which customers and deadlines, in deadline order; each customer falls due halfway
 * from the reminder to its deadline. Every instance runs this every minute (jobs/frequent.ts): it
 * takes the customers whose time has come, moving the row on past them in the same transaction —
 * so a customer is looked at once, and two instances at once take different rows (SKIP LOCKED) —
 * and tells the managers of those whose reminder still stands unanswered. The outbox's
 * key (customer, deadline, manager) keeps it once per deadline even so.
 */

/** Rows of release_escalations (an owner's reminders each) per transaction. */
export const ESCALATION_BATCH = 50;

/** What the managers are told: the customer, its deadline, its owner and when they were reminded. */
export type Escalated = {
  customerId: number;
  name: string;
  ownerId: number;
  ownerName: string;
  releaseAt: string;
  remindedAt: string;
};

/**
 * Takes up to `limit` rows whose next customer's escalation time has come by `at`, and of each
 * every customer whose time has come (the next in deadline order), moving the row on past them or
 * deleting it once all are. Answers, of those customers, the ones still owned by the one who was
 * reminded, of the deadline they were reminded of (a follow-up or a new owner moves it; an
 * enrolment takes it away), not yet due, and not followed up since; with how many rows and
 * customers were taken.
 */
async function takeDue(
  tx: Executor,
  { at, limit }: { at: Date; limit: number },
): Promise<{ rows: number; customers: number; unanswered: Escalated[] }> {
  const halfway = (remindedAt: SQL, releaseAt: SQL) =>
    sql`${remindedAt} + (${releaseAt} - ${remindedAt}) / 2`;
  const [taken] = await queryRows<{ rows: number; customers: Array<Escalated & { unanswered: boolean }> }>(
    tx,
    sql`with due as (
          select e.id, e.consultant_id, e.reminded_at, e.customer_ids, e.release_ats, e.taken
          from release_escalations e
          where e.escalate_at <= ${at}
          order by e.escalate_at, e.id
          limit ${limit}
          for update of e skip locked
        ),
        entries as (
          select due.id as row_id, due.consultant_id, due.reminded_at, u.customer_id, u.release_at, u.n::int as n
          from due cross join lateral unnest(due.customer_ids, due.release_ats) with ordinality as u(customer_id, release_at, n)
          where u.n > due.taken and ${halfway(sql`due.reminded_at`, sql`u.release_at`)} <= ${at}
        ),
        progress as (
          select due.id, coalesce(max(en.n), due.taken) as taken, cardinality(due.customer_ids) as total,
                 due.reminded_at, due.release_ats
          from due left join entries en on en.row_id = due.id
          group by due.id, due.taken, due.customer_ids, due.reminded_at, due.release_ats
        ),
        finished as (
          delete from release_escalations e using progress p where e.id = p.id and p.taken >= p.total
        ),
        moved as (
          update release_escalations e
          set taken = p.taken, escalate_at = ${halfway(sql`p.reminded_at`, sql`p.release_ats[p.taken + 1]`)}
          from progress p where e.id = p.id and p.taken < p.total
        ),
        looked as (
          select en.customer_id as "customerId", c.name, en.consultant_id as "ownerId",
                 u.name as "ownerName",
                 ${isoTimeSql(sql`en.release_at`)} as "releaseAt",
                 ${isoTimeSql(sql`en.reminded_at`)} as "remindedAt",
                 (o.reminded_for = en.release_at and o.release_at = en.release_at and en.release_at > ${at}
                  and o.consultant_id = en.consultant_id
                  and c.status = 'unregistered' and c.consultant_id = en.consultant_id
                  and u.id is not null
                  and (c.last_consult_at is null or c.last_consult_at <= en.reminded_at)) is true
                   as unanswered
          from entries en
          left join customers c on c.id = en.customer_id
          left join customer_owners o on o.customer_id = en.customer_id
          left join users u on u.id = en.consultant_id
        )
        select (select count(*)::int from due) as rows,
               coalesce((select jsonb_agg(looked order by "releaseAt", "customerId") from looked), '[]'::jsonb)
                 as customers`,
  );
  const looked = taken!.customers;
  return {
    rows: taken!.rows,
    customers: looked.length,
    unanswered: looked.filter((row) => row.unanswered).map(({ unanswered: _, ...row }) => row),
  };
}

/**
 * The managers' messages of `escalated`: one per customer and manager, the owner left out (they had
 * the reminder). The key is `release_escalation:<customer>:<deadline>:<manager>`, as
 * enqueueForHolders makes it: once per deadline, whoever runs it and however often.
 */
export function escalationEvents(
  escalated: readonly Escalated[],
  managers: readonly { id: number }[],
): OutboxEvent[] {
  return escalated.flatMap((customer) =>
    managers
      .filter((manager) => manager.id !== customer.ownerId)
      .map((manager) => ({
        userId: manager.id,
        event: 'release_escalation' as const,
        payload: { ...customer },
        dedupeKey: `release_escalation:${customer.customerId}:${customer.releaseAt}:${manager.id}`,
      })),
  );
}

export type EscalationResult = { escalated: number };

/**
 * Tells the managers of every release reminder left unanswered past its halfway point by `at`, in
 * batches of `batch` rows, each its own transaction. Idempotent: a second run finds nothing.
 */
export async function escalateReminders(
  db: Db,
  { at, batch = ESCALATION_BATCH }: { at: Date; batch?: number },
): Promise<EscalationResult> {
  let escalated = 0;
  for (;;) {
    const { rows, customers } = await db.transaction(async (tx) => {
      const due = await takeDue(tx, { at, limit: batch });
      if (due.unanswered.length > 0) {
        const managers = await activeHolders(tx, 'customer.assign');
        await enqueue(tx, escalationEvents(due.unanswered, managers), at);
        escalated += due.unanswered.length;
      }
      return due;
    });
    // A row due with no customer due (which the times written make impossible) would come back
    // every round: stop rather than spin.
    if (rows < batch || customers === 0) return { escalated };
  }
}
