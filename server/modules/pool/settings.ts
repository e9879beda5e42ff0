import { and, asc, eq, gt, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Actor } from '../../auth/sessions.ts';
import { now } from '../../clock.ts';
import { type Db, type Executor, yieldToRequests } from '../../db/client.ts';
import { customers, poolSettings } from '../../db/schema/index.ts';
import { writeAudit } from '../../engine/audit.ts';
import { type RulesSql, releaseAtSql } from './predicates.ts';
import { DEFAULT_POOL_RULES, type PoolRules } from './rules.ts';

/** The rules of docs/spec.md §3 as an administrator set them (GET/PUT /api/settings/pool). */
export type PoolSettings = PoolRules & {
  /** How long the last owner may not grab a customer back; null = never. */
  previousOwnerCooldownDays: number | null;
  /** Grabs per consultant per business day; 0 = unlimited. */
  dailyGrabLimit: number;
  /** Following customers a consultant may own; 0 = unlimited. */
  maxOwned: number;
  /** Days before a deadline that its owner is reminded; 0 = no reminders. */
  remindDaysBefore: number;
};

export const DEFAULT_POOL_SETTINGS: PoolSettings = {
  ...DEFAULT_POOL_RULES,
  previousOwnerCooldownDays: null,
  dailyGrabLimit: 0,
  maxOwned: 0,
  remindDaysBefore: 1,
};

const columns = {
  followUpDays: poolSettings.followUpDays,
  dealDays: poolSettings.dealDays,
  previousOwnerCooldownDays: poolSettings.previousOwnerCooldownDays,
  dailyGrabLimit: poolSettings.dailyGrabLimit,
  maxOwned: poolSettings.maxOwned,
  remindDaysBefore: poolSettings.remindDaysBefore,
};

/**
 * The saved rules as a one-row query, for statements that read them themselves instead of taking
 * them as parameters (one round trip less): the saved row, or the defaults before one is saved.
 */
const D = DEFAULT_POOL_SETTINGS;
export const settingsRowSql = sql`(select follow_up_days, deal_days, previous_owner_cooldown_days, daily_grab_limit, max_owned
    from pool_settings limit 1)
  union all
  select ${D.followUpDays}::int, ${D.dealDays}::int, ${D.previousOwnerCooldownDays}::int,
         ${D.dailyGrabLimit}::int, ${D.maxOwned}::int
  where not exists (select 1 from pool_settings)`;
/** The deadlines' day counts of that row, aliased `s`. */
export const savedRules: RulesSql = { followUpDays: sql`s.follow_up_days`, dealDays: sql`s.deal_days` };

export async function loadPoolSettings(db: Executor): Promise<PoolSettings> {
  const [row] = await db.select(columns).from(poolSettings).limit(1);
  return row ?? DEFAULT_POOL_SETTINGS;
}

/** Customers whose release_at is recomputed per transaction when the deadlines change. */
const RECOMPUTE_BATCH = 5_000;

/**
 * Saves the rules. When the deadlines change, every owned customer's release_at is recomputed in
 * batches of its own transactions (so grabs wait on at most one batch), and the count returned.
 */
export async function savePoolSettings(
  db: Db,
  actor: Actor,
  next: PoolSettings,
): Promise<{ settings: PoolSettings; recomputed: number }> {
  const at = now();
  const before = await db.transaction(async (tx) => {
    const before = await loadPoolSettings(tx);
    await tx
      .insert(poolSettings)
      .values({ singleton: true, ...next, createdAt: at, updatedAt: at })
      .onConflictDoUpdate({ target: poolSettings.singleton, set: { ...next, updatedAt: at } });
    await writeAudit(tx, {
      actorId: actor.userId,
      action: 'update',
      entity: 'pool-settings',
      entityId: null,
      before,
      after: next,
      at,
    });
    return before;
  });
  const moved = before.followUpDays !== next.followUpDays || before.dealDays !== next.dealDays;
  return { settings: next, recomputed: moved ? await recomputeReleaseAt(db, next) : 0 };
}

/** Brings every owned, unregistered customer's release_at in line with `rules`, batch by batch. */
export async function recomputeReleaseAt(db: Db, rules: PoolRules): Promise<number> {
  let after = 0;
  let total = 0;
  for (;;) {
    const ids = await db.transaction(async (tx) => {
      const batch = await tx
        .select({ id: customers.id })
        .from(customers)
        .where(
          and(
            gt(customers.id, after),
            eq(customers.status, 'unregistered'),
            isNotNull(customers.consultantId),
          ),
        )
        .orderBy(asc(customers.id))
        .limit(RECOMPUTE_BATCH)
        .for('update');
      if (batch.length === 0) return [];
      const ids = batch.map((row) => row.id);
      await tx
        .update(customers)
        .set({ releaseAt: sql`${releaseAtSql(rules)}` })
        .where(and(inArray(customers.id, ids), isNotNull(customers.consultantId)));
      return ids;
    });
    if (ids.length === 0) return total;
    await yieldToRequests();
    total += ids.length;
    after = ids[ids.length - 1]!;
  }
}
