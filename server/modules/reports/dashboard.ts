import { desc, gt, type SQL, sql } from 'drizzle-orm';
import type { PermissionCode } from '../../auth/catalogue.ts';
import type { Actor } from '../../auth/sessions.ts';
import { addDays, businessDate, businessMonth, now } from '../../clock.ts';
import type { Executor } from '../../db/client.ts';
import { followingSql } from '../../db/owners.ts';
import { customerOwners, customers } from '../../db/schema/index.ts';
import { type MyClass, myClasses } from '../lessons/my-classes.ts';
import { publicAtSql, releasedReasonSql } from '../pool/predicates.ts';
import { loadPoolSettings } from '../pool/settings.ts';
import {
  consultantIds,
  currentMonth,
  enrolled,
  type PerformanceRow,
  performanceRows,
  type Range,
  receivedAndGrabbed,
} from './performance.ts';

/**
 * The home page's figures (`GET /api/dashboard`), each part only for those whose permissions open
 * the page it summarises, or whose work it is: a consultant's own customers, the whole team's for
 * whoever sees every customer, the pool, the team's month per consultant, and a teacher's or a
 * tutor's classes with the lessons still to mark.
 */

/** Customers and the month, of one consultant (`mine`) or of everyone (`teamSummary`). */
export type Mine = {
  /** Customers owned, not enrolled and not yet due for release. */
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

export type Dashboard = {
  month: string;
  mine?: Mine;
  teamSummary?: Mine;
  pool?: PoolSummary;
  team?: PerformanceRow[];
  classes?: MyClass[];
};

/**
 * How far the pool is counted. Its reasons need each row, so an exact count at a million customers
 * reads hundreds of thousands of rows (docs/benchmarks.md, "Figures moved out of the code's
 * comments"); past this many a manager is told "10,000+", as lists do, and the reasons are those of
 * the most recently released.
 */
export const POOL_COUNT_CAP = 10_000;

/** Owned customers still followed (`following`), and those of them falling due within a day. */
async function ownedCounts(db: Executor, at: Date, following: SQL) {
  const soon = addDays(at, 1);
  const [owned] = await db
    .select({
      following: sql<number>`count(*)::int`,
      expiring: sql<number>`(count(*) filter (where ${customerOwners.releaseAt} <= ${soon}))::int`,
    })
    .from(customerOwners)
    .where(following);
  return owned;
}

async function mine(db: Executor, actor: Actor, at: Date, month: Range): Promise<Mine> {
  const owned = await ownedCounts(db, at, followingSql(actor.userId, at));
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

/**
 * Every consultant's customers and month together, for whoever sees every customer: the owned
 * customers read on customer_owners' deadline index alone, the month's periods summed from the
 * team's rows when they were read already.
 */
async function teamSummary(
  db: Executor,
  at: Date,
  month: Range,
  rows: PerformanceRow[] | undefined,
): Promise<Mine> {
  const owned = await ownedCounts(db, at, gt(customerOwners.releaseAt, at));
  let grabbed = 0;
  let enrolledCount = 0;
  if (rows) {
    for (const row of rows) {
      grabbed += row.grabbed;
      enrolledCount += row.enrolled;
    }
  } else {
    const ids = await consultantIds(db, 'everyone');
    const [grabs, enrolments] = await Promise.all([
      receivedAndGrabbed(db, month, ids),
      enrolled(db, month, ids),
    ]);
    grabbed = grabs.reduce((n, r) => n + r.grabbed, 0);
    enrolledCount = enrolments.reduce((n, r) => n + r.enrolled, 0);
  }
  return {
    following: owned?.following ?? 0,
    expiringWithinDay: owned?.expiring ?? 0,
    grabbedThisMonth: grabbed,
    enrolledThisMonth: enrolledCount,
  };
}

const isEmpty = (figures: Mine) =>
  !figures.following && !figures.expiringWithinDay && !figures.grabbedThisMonth && !figures.enrolledThisMonth;

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
  const seesEveryone = holds('customer.view_all');
  if (holds('report.performance_all')) result.team = await performanceRows(db, range, 'everyone');
  if (seesEveryone) result.teamSummary = await teamSummary(db, at, range, result.team);
  if (holds('my_customer.list')) {
    // Whoever oversees the team sees their own figures only when they have some: a manager who
    // also sells, not a row of zeros above the team's.
    const own = await mine(db, actor, at, range);
    if (!seesEveryone || !isEmpty(own)) result.mine = own;
  }
  if (seesEveryone && holds('pool.list')) result.pool = await poolSummary(db, at);
  const classes = await myClasses(db, { actor, today: businessDate(at, timezone) });
  if (classes) result.classes = classes;
  return result;
}
