import { and, eq, sql } from 'drizzle-orm';
import { addDays } from '../../clock.ts';
import type { Executor } from '../../db/client.ts';
import { customerDistributions, customers } from '../../db/schema/index.ts';
import type { PoolRules, ReleaseReason } from '../pool/rules.ts';

/**
 * Ownership (docs/spec.md §3): every change of owner ends one period in customer_distributions and opens
 * another, in the transaction that changes customers.consultant_id.
 */
export type Via = 'assigned' | 'imported' | 'grabbed' | 'manual';
export type EndStatus = 'released_no_followup' | 'released_no_deal' | 'reassigned' | 'enrolled';

export type Distribution = typeof customerDistributions.$inferSelect;

export const releaseStatus = (reason: ReleaseReason): EndStatus =>
  reason === 'no_followup' ? 'released_no_followup' : 'released_no_deal';

/**
 * Starts `consultantId`'s ownership: both clocks start now (docs/spec.md §3 "New ownership"), the release
 * deadline follows, and a `following` period opens. The caller has ended any previous period.
 */
export async function startOwnership(
  tx: Executor,
  input: { customerId: number; consultantId: number; via: Via; at: Date; rules: PoolRules; memo?: string },
): Promise<Distribution> {
  const { customerId, consultantId, at, rules } = input;
  await tx
    .update(customers)
    .set({
      consultantId,
      recvAt: at,
      lastConsultAt: at,
      releaseAt: addDays(at, Math.min(rules.followUpDays, rules.dealDays)),
      previousConsultantId: null,
      releasedReason: null,
      updatedAt: at,
    })
    .where(eq(customers.id, customerId));
  return openPeriod(tx, input);
}

/** The `following` period alone, for a caller that has already set the customer's owner and clocks. */
export async function openPeriod(
  tx: Executor,
  input: { customerId: number; consultantId: number; via: Via; at: Date; memo?: string },
): Promise<Distribution> {
  const [opened] = await tx
    .insert(customerDistributions)
    .values({
      customerId: input.customerId,
      consultantId: input.consultantId,
      via: input.via,
      status: 'following',
      startedAt: input.at,
      memo: input.memo ?? '',
      createdAt: input.at,
      updatedAt: input.at,
    })
    .returning();
  return opened!;
}

/** Ends the customer's open `following` period, if it has one, as `status` at `endedAt`. */
export async function endOwnership(
  tx: Executor,
  input: { customerId: number; status: EndStatus; endedAt: Date; at: Date; memo?: string },
): Promise<Distribution | undefined> {
  const [ended] = await tx
    .update(customerDistributions)
    .set({
      status: input.status,
      // A deadline before the period began (legacy clocks) still ends it no earlier than it started.
      endedAt: sql`greatest(${input.endedAt}::timestamptz, ${customerDistributions.startedAt})`,
      ...(input.memo ? { memo: input.memo } : {}),
      updatedAt: input.at,
    })
    .where(
      and(
        eq(customerDistributions.customerId, input.customerId),
        eq(customerDistributions.status, 'following'),
      ),
    )
    .returning();
  return ended;
}

/**
 * Completes history loaded in bulk (the seeds), which writes periods without what the live code
 * keeps beside them: unowned customers' last owner and release reason, from their latest period,
 * and the end of each enrolled period, at the first deposit or tuition payment.
 */
export async function completeLoadedHistory(db: Executor): Promise<void> {
  await db.execute(sql`
    update customer_distributions d set ended_at = greatest(p.first_paid, d.started_at)
    from (
      select customer_id, min(paid_at) as first_paid from payment_records
      where pay_type in ('deposit', 'tuition') group by customer_id
    ) p
    where d.status = 'enrolled' and d.ended_at is null and p.customer_id = d.customer_id`);
  await db.execute(sql`
    update customers c set
      previous_consultant_id = d.consultant_id,
      released_reason = case d.status when 'released_no_followup' then 'no_followup'
                                      when 'released_no_deal' then 'no_deal' else 'unassigned' end
    from (
      select distinct on (customer_id) customer_id, consultant_id, status
      from customer_distributions order by customer_id, started_at desc, id desc
    ) d
    where c.consultant_id is null and c.status = 'unregistered' and d.customer_id = c.id`);
  await db.execute(sql`
    update customers set released_reason = 'unassigned'
    where consultant_id is null and status = 'unregistered' and released_reason is null`);
}
