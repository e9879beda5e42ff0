import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../db/client.ts';

/**
 * The audit log of a school that has used the app for four months: the writes the demo's history
 * stands for, each by whoever made it, when they made it — the manager's entries (a customer whose
 * first owner was assigned or chosen), the consultants' grabs, follow-ups and payments — shaped as
 * the engine and the services write them. The demo's rows are loaded straight into their tables,
 * which writes no log; without this the log of a four-month-old school would be empty.
 */
export async function loadAuditTrail(tx: Tx, managerId: number): Promise<number> {
  const rows = await queryRows<{ id: number }>(
    tx,
    sql`insert into audit_log (actor_id, action, entity, entity_id, after, at, created_at, updated_at)
        select actor_id, action, entity, entity_id, after, at, at, at from (
          select ${managerId}::int as actor_id, 'create' as action, 'customers' as entity, c.id as entity_id,
                 jsonb_build_object('name', c.name, 'source', c.source) as after, c.created_at as at
          from customers c
          join lateral (
            select d.via from customer_distributions d where d.customer_id = c.id order by d.started_at limit 1
          ) first on first.via in ('assigned', 'manual')
          union all
          select d.consultant_id, 'grab', 'customers', d.customer_id,
                 jsonb_build_object('consultantId', d.consultant_id), d.started_at
          from customer_distributions d where d.via = 'grabbed'
          union all
          select r.consultant_id, 'create', 'consult-records', r.id,
                 jsonb_build_object('customerId', r.customer_id, 'channel', r.channel, 'note', r.note), r.at
          from consult_records r
          union all
          select p.consultant_id, 'create', 'payment-records', p.id,
                 jsonb_build_object('customerId', p.customer_id, 'classId', p.class_id, 'payType', p.pay_type,
                                    'paidFee', p.paid_fee), p.paid_at
          from payment_records p
        ) trail
        order by at
        returning id`,
  );
  return rows.length;
}
