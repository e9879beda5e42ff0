import { sql } from 'drizzle-orm';
import { businessDate } from '../../clock.ts';
import { type Executor, queryRows } from '../../db/client.ts';
import { mayOwnSql } from '../distributions/owners.ts';
import { enqueueForHolders } from '../notify/outbox.ts';
import { pick, pickMany, type Rank } from './rotation.ts';

/**
 * The rotation's state in sale_ranks, locked for the caller's transaction: concurrent assignments
 * on any number of instances take turns on these rows, and the state they leave is written in the
 * same transaction as the customers it assigned, so a failed insert takes nothing.
 */
export type Rotation = {
  ranks: Rank[];
  /** The next consultant, or null when nobody has quota left. */
  next(): number | null;
  nextMany(count: number): (number | null)[];
  /** Writes the state back; call it after the customers are in. */
  save(): Promise<void>;
};

export async function lockRotation(tx: Executor, at: Date, timezone: string): Promise<Rotation> {
  const today = businessDate(at, timezone);
  // Rows in id order, so two transactions never lock them in opposite orders. A rank whose holder
  // may no longer own customers (disabled, or their role changed) takes part as if paused.
  const rows = await queryRows<{
    consultant_id: number;
    weight: number;
    daily_quota: number;
    active: boolean;
    assigned_today: number;
    current_weight: number;
  }>(
    tx,
    sql`select r.consultant_id, r.weight, r.daily_quota, r.active and ${mayOwnSql(sql`u.id`)} as active,
               case when r.assigned_on = ${today}::date then r.assigned_today else 0 end as assigned_today,
               r.current_weight
        from sale_ranks r join users u on u.id = r.consultant_id
        order by r.id
        for update of r`,
  );
  const ranks: Rank[] = rows.map((r) => ({
    consultantId: r.consultant_id,
    weight: r.weight,
    dailyQuota: r.daily_quota,
    active: r.active,
    assignedToday: r.assigned_today,
    current: r.current_weight,
  }));
  const before = JSON.stringify(ranks);
  return {
    ranks,
    next: () => pick(ranks)?.consultantId ?? null,
    nextMany: (count) => pickMany(ranks, count),
    async save() {
      if (ranks.length === 0 || JSON.stringify(ranks) === before) return;
      await tx.execute(sql`
        update sale_ranks r set current_weight = s.current, assigned_today = s.assigned,
               assigned_on = ${today}::date, updated_at = ${at}
        from jsonb_to_recordset(${JSON.stringify(
          ranks.map((rank) => ({
            id: rank.consultantId,
            current: rank.current,
            assigned: rank.assignedToday,
          })),
        )}::jsonb) as s(id int, current int, assigned int)
        where r.consultant_id = s.id`);
    },
  };
}

/**
 * Tells the sales managers (whoever may set weights and quotas) that new customers went to the pool
 * unowned because nobody had quota left. `key` says once per what: a day of single entries, an import.
 */
export async function notifyNobodyHadQuota(
  tx: Executor,
  input: { at: Date; key: string; count: number; importId?: number },
): Promise<void> {
  await enqueueForHolders(tx, {
    code: 'sale_rank.update',
    event: 'pool_unassigned',
    payload: { count: input.count, ...(input.importId ? { importId: input.importId } : {}) },
    key: input.key,
    at: input.at,
  });
}
