import { desc, sql } from 'drizzle-orm';
import type { PermissionCode } from '../../auth/catalogue.ts';
import type { Actor } from '../../auth/sessions.ts';
import { addDays, businessMonth, now } from '../../clock.ts';
import type { Executor } from '../../db/client.ts';
import { followingSql } from '../../db/owners.ts';
import { customerOwners, customers } from '../../db/schema/index.ts';
import { publicAtSql, releasedReasonSql } from '../pool/predicates.ts';
import { loadPoolSettings } from '../pool/settings.ts';
import {
  currentMonth,
  enrolled,
  type PerformanceRow,
  performanceRows,
  type Range,
  receivedAndGrabbed,
} from './performance.ts';

/**
 * The home page's figures (`GET /api/dashboard`), each part only for those whose permissions open
 * the page it summarises: a consultant's own customers, the pool, and the team's month.
 */

export type Mine = {
  /** Own customers not enrolled and not yet due for release. */
  following: number;
  /** Of those, the ones whose release falls within the next 24 hours. */
  expiringWithinDay: number;
  grabbedThisMonth: number;
  enrolledThisMonth: number;
};

export type PoolSummary = {
  /** Public customers now, counted no further than POOL_COUNT_CAP + 1. */
  total: number;
  /** True when the pool holds more than POOL_COUNT_CAP: then every count is "at least". */
  capped: boolean;
  byReason: { no_followup: number; no_deal: number; unassigned: number };
};

export type Dashboard = { month: string; mine?: Mine; pool?: PoolSummary; team?: PerformanceRow[] };

/**
 * How far the pool is counted. Its reasons need each row, so an exact count at a million customers
 * reads hundreds of thousands of rows (~0.4 s); past this many a manager is told "10,000+", as lists
 * do, and the reasons are those of the most recently released.
 */
export const POOL_COUNT_CAP = 10_000;

async function mine(db: Executor, actor: Actor, at: Date, month: Range): Promise<Mine> {
  const soon = addDays(at, 1);
  const [owned] = await db
    .select({
      following: sql<number>`count(*)::int`,
      expiring: sql<number>`(count(*) filter (where ${customerOwners.releaseAt} <= ${soon}))::int`,
    })
    .from(customerOwners)
    .where(followingSql(actor.userId, at));
  const [grabs, enrolments] = await Promise.all([
    receivedAndGrabbed(db, month, [actor.userId]),
    enrolled(db, month, [actor.userId]),
  ]);
  return {
    following: owned?.following ?? 0,
    expiringWithinDay: owned?.expiring ?? 0,
    grabbedThisMonth: grabs[0]?.grabbed ?? 0,
    enrolledThisMonth: enrolments[0]?.enrolled ?? 0,
  };
}

/** The pool at `at` by reason, counting the most recently released `cap + 1` at most. */
export async function poolSummary(db: Executor, at: Date, cap = POOL_COUNT_CAP): Promise<PoolSummary> {
  const rules = await loadPoolSettings(db);
  // Walked backwards on customers_pool_idx (release_at) WHERE status = 'unregistered'.
  const counted = db
    .select({ reason: releasedReasonSql(rules).as('reason') })
    .from(customers)
    .where(publicAtSql(at))
    .orderBy(desc(customers.releaseAt))
    .limit(cap + 1)
    .as('counted');
  const rows = await db
    .select({ reason: counted.reason, n: sql<number>`count(*)::int` })
    .from(counted)
    .groupBy(counted.reason);
  const byReason = { no_followup: 0, no_deal: 0, unassigned: 0 };
  for (const row of rows) byReason[row.reason] = row.n;
  const total = rows.reduce((n, row) => n + row.n, 0);
  return { total: Math.min(total, cap), capped: total > cap, byReason };
}

export async function dashboard(
  db: Executor,
  options: { actor: Actor; timezone: string },
): Promise<Dashboard> {
  const { actor, timezone } = options;
  const holds = (code: PermissionCode) => actor.permissions.has(code);
  const at = now();
  const month = currentMonth(timezone, at);
  const range = businessMonth(month, timezone);
  const result: Dashboard = { month };
  if (holds('my_customer.list')) result.mine = await mine(db, actor, at, range);
  if (holds('customer.view_all') && holds('pool.list')) result.pool = await poolSummary(db, at);
  if (holds('report.performance_all')) result.team = await performanceRows(db, range, 'everyone');
  return result;
}
