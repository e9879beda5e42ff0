import { sql } from 'drizzle-orm';
import { activeHolders } from '../../auth/holders.ts';
import { type Db, type Executor, queryRows } from '../../db/client.ts';
import { enqueue, isoTimeSql, type OutboxEvent } from '../notify/outbox.ts';

/*
 * The escalation (docs/spec.md §6, issue 23): a release reminder its owner has not acted on — no
 * follow-up, no enrolment since — by half the time that was left before the release tells the
 * owner's managers (whoever may assign and reassign customers, `customer.assign`), once per
 * deadline. So a customer falls into the pool only after two people were told.
 *
 * The reminder (queries.ts remindDue) leaves a row in `release_escalations`: whom it reminded of
 * which deadline, when, and when the escalation falls due (halfway from the reminder to the
 * deadline). Every instance runs this every minute (jobs/frequent.ts): it deletes the rows whose
 * time has come — so a row is looked at once, and two instances at once take different rows (SKIP
 * LOCKED) — and tells the managers of those whose reminder still stands unanswered. The outbox's
 * key (customer, deadline, manager) keeps it once per deadline even so.
 */

/** Rows per transaction. */
export const ESCALATION_BATCH = 500;

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
 * Takes (deletes) up to `limit` rows whose escalation time has come by `at`, and answers those
 * still owned by the one who was reminded, of the deadline they were reminded of (a follow-up or a
 * new owner moves it; an enrolment takes it away), not yet due, and not followed up since.
 * Returns the unanswered reminders and how many rows were taken.
 */
async function takeDue(
  tx: Executor,
  { at, limit }: { at: Date; limit: number },
): Promise<{ taken: number; unanswered: Escalated[] }> {
  const rows = await queryRows<Escalated & { unanswered: boolean }>(
    tx,
    // By ctid: the table has no key (schema/sales.ts says why), and a TID scan finds the rows at
    // once. No row of it is ever updated, so a ctid read under the lock still names the same row.
    sql`with due as (
          delete from release_escalations
          where ctid = any(array(
            select e.ctid from release_escalations e
            where e.escalate_at <= ${at}
            order by e.escalate_at
            limit ${limit}
            for update of e skip locked))
          returning customer_id, consultant_id, release_at, reminded_at
        )
        select due.customer_id as "customerId", c.name, due.consultant_id as "ownerId",
               u.name as "ownerName",
               ${isoTimeSql(sql`due.release_at`)} as "releaseAt",
               ${isoTimeSql(sql`due.reminded_at`)} as "remindedAt",
               (o.reminded_for = due.release_at and o.release_at = due.release_at and due.release_at > ${at}
                and o.consultant_id = due.consultant_id
                and c.status = 'unregistered' and c.consultant_id = due.consultant_id
                and u.id is not null
                and (c.last_consult_at is null or c.last_consult_at <= due.reminded_at)) is true
                 as unanswered
        from due
        left join customers c on c.id = due.customer_id
        left join customer_owners o on o.customer_id = due.customer_id
        left join users u on u.id = due.consultant_id
        order by due.release_at, due.customer_id`,
  );
  return {
    taken: rows.length,
    unanswered: rows.filter((row) => row.unanswered).map(({ unanswered: _, ...row }) => row),
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
    const taken = await db.transaction(async (tx) => {
      const due = await takeDue(tx, { at, limit: batch });
      if (due.unanswered.length > 0) {
        const managers = await activeHolders(tx, 'customer.assign');
        await enqueue(tx, escalationEvents(due.unanswered, managers), at);
        escalated += due.unanswered.length;
      }
      return due.taken;
    });
    if (taken < batch) return { escalated };
  }
}
