import { type SQL, sql } from 'drizzle-orm';
import { customers } from '../../db/schema/index.ts';
import type { PoolRules } from './rules.ts';

/**
 * The SQL twins of rules.ts, for the queries and batch updates that cannot call TypeScript per
 * row. pool/predicates.test.ts checks on random customers and instants that each agrees with its
 * TypeScript original.
 */

/**
 * The deadlines' day counts: numbers from loaded settings, or the columns of a `pool_settings` row
 * for a statement that reads the rules itself (the grab).
 */
export type RulesSql = { followUpDays: number | SQL; dealDays: number | SQL };

/** `days` whole days of 24 hours, as addDays counts them (no calendar or DST arithmetic). */
const days = (n: number | SQL) =>
  typeof n === 'number' ? sql`(interval '1 hour' * ${n * 24})` : sql`(interval '24 hours' * ${n})`;

/** The clock the deal deadline runs from: recv_at, or the last follow-up for legacy rows without it. */
const received = sql`coalesce(${customers.recvAt}, ${customers.lastConsultAt})`;
const followedUp = sql`coalesce(${customers.lastConsultAt}, ${customers.recvAt})`;

/** An owned customer's two deadlines (SQL twin of releaseDeadline). */
export const followUpDeadlineSql = (rules: RulesSql) => sql`(${followedUp} + ${days(rules.followUpDays)})`;
export const dealDeadlineSql = (rules: RulesSql) => sql`(${received} + ${days(rules.dealDays)})`;

/**
 * What `customers.release_at` must hold (SQL twin of releaseAtFor). For an unowned customer the
 * stored value is its "public since" and stays as it is.
 */
export function releaseAtSql(rules: PoolRules): SQL {
  return sql`case
    when ${customers.status} = 'enrolled' then null
    when ${customers.consultantId} is null then coalesce(${customers.releaseAt}, 'epoch'::timestamptz)
    when ${received} is null then 'epoch'::timestamptz
    else least(${followUpDeadlineSql(rules)}, ${dealDeadlineSql(rules)})
  end`;
}

/** Public at `at` (SQL twin of isPublic, given release_at = releaseAtFor): the pool index's range. */
export function publicAtSql(at: Date | SQL): SQL {
  return sql`(${customers.status} = 'unregistered' and ${customers.releaseAt} <= ${at})`;
}

/**
 * Why a public customer is public: the stored reason once the sweep or a grab recorded it, else
 * the deadline that passed first (a tie counts as no follow-up, as in releaseDeadline).
 */
export function releasedReasonSql(rules: RulesSql): SQL<'no_followup' | 'no_deal' | 'unassigned'> {
  return sql<'no_followup' | 'no_deal' | 'unassigned'>`case
    when ${customers.consultantId} is null then coalesce(${customers.releasedReason}, 'unassigned')
    when ${received} is null then 'no_followup'
    when ${followUpDeadlineSql(rules)} <= ${dealDeadlineSql(rules)} then 'no_followup'
    else 'no_deal'
  end`;
}

/** The status a period ends with when its customer is released for `reason`. */
export const releasedPeriodStatusSql = (reason: SQL) =>
  sql`case ${reason} when 'no_deal' then 'released_no_deal' else 'released_no_followup' end`;

/** The customer's last owner: its consultant while it still has one, else the one before. */
export const lastOwnerSql = sql<
  number | null
>`coalesce(${customers.consultantId}, ${customers.previousConsultantId})`;

/** Twin of rules.ts's lastOwnerMayTake: anyone but the last owner, who waits out the cooldown. */
export const lastOwnerMayTakeSql = (me: number | SQL, at: Date | SQL, cooldownDays: SQL) =>
  sql`(${lastOwnerSql} is distinct from ${me}::int
       or ${customers.releaseAt} <= ${at}::timestamptz - interval '24 hours' * ${cooldownDays})`;
