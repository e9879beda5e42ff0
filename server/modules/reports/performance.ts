import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import type { PermissionCode } from '../../auth/catalogue.ts';
import type { Actor } from '../../auth/sessions.ts';
import { businessDate, businessMonth, now } from '../../clock.ts';
import { type Executor, intArraySql, queryRows } from '../../db/client.ts';
import {
  consultRecords,
  customerDistributions,
  paymentRecords,
  rolePermissions,
  saleRanks,
  userRoles,
  users,
} from '../../db/schema/index.ts';
import type { Figures, PerformanceRow } from './figures.ts';

/**
 * Month-end performance (docs/spec.md §3): per consultant, what they received, grabbed, followed up, enrolled
 * and were paid in one business month. Every figure comes from the history tables (distributions,
 * follow-ups, payments), never from `customers`, so it survives a change of owner.
 *
 * Each figure is one grouped query over the month's range. The history tables are indexed by
 * `(consultant_id, started_at | at | paid_at)`, with no index that starts with the time; so each
 * query names the consultants it counts (`consultant_id = any(…)`, every member of staff for the
 * whole school: a few hundred ids in one array parameter). PostgreSQL then reads those indexes'
 * month ranges, one per consultant, when the month is a small part of the table (at a million
 * customers, a fraction of a full scan's time per figure: docs/benchmarks.md, "Figures moved out
 * of the code's comments"), and still
 * chooses one sequential scan when the month holds much of it. Enrolments are counted by
 * `enrolled_at` (the end of a period that ended enrolled: the payment), which has an index of its own.
 */

/** A half-open range of instants [from, to). */
export type Range = { from: Date; to: Date };

/** Whose figures: every consultant's, or one person's. */
export type Whose = 'everyone' | { consultantId: number };

export type { Figures, PerformanceRow };

export type Performance = {
  /** `YYYY-MM`, the school's calendar month. */
  month: string;
  from: Date;
  to: Date;
  items: PerformanceRow[];
  totals: Figures;
};

/** Ownership periods that count as "received" (given to the consultant rather than taken). */
const RECEIVED_VIA = ['assigned', 'imported', 'manual'] as const;
/** Payments that bring money in, and those that give it back. Transfers move it between classes. */
const INCOME = ['deposit', 'tuition'] as const;
const OUTGO = ['refund', 'withdraw'] as const;

const list = (codes: readonly string[]) =>
  sql.join(
    codes.map((code) => sql`${code}`),
    sql`, `,
  );

/** The rows whose `column` falls in the range: from included, to excluded (Range). */
const within = (column: AnyColumn, range: Range): SQL =>
  sql`${column} >= ${range.from} and ${column} < ${range.to}`;

/** Consultant ids as one int[] parameter (checked integers), so the statement text never changes. */
const anyOf = (ids: readonly number[]): SQL => sql`any(${intArraySql(ids)})`;

/** The people a figure is counted for: all staff (anyone may have history), or one person. */
export async function consultantIds(db: Executor, whose: Whose): Promise<number[]> {
  if (whose !== 'everyone') return [whose.consultantId];
  const rows = await queryRows<{ id: number }>(db, sql`select ${users.id} as id from ${users}`);
  return rows.map((row) => row.id);
}

type Counted = { consultantId: number };

/** Periods started in the range, split into received (assigned, imported, manual) and grabbed. */
export async function receivedAndGrabbed(
  db: Executor,
  range: Range,
  ids: readonly number[],
): Promise<(Counted & { received: number; grabbed: number })[]> {
  const d = customerDistributions;
  return queryRows(
    db,
    sql`select ${d.consultantId} as "consultantId",
        count(*) filter (where ${d.via} in (${list(RECEIVED_VIA)}))::int as received,
        count(*) filter (where ${d.via} = 'grabbed')::int as grabbed
      from ${d}
      where ${d.consultantId} = ${anyOf(ids)}
        and ${within(d.startedAt, range)}
      group by ${d.consultantId}`,
  );
}

/** Distinct customers each consultant wrote follow-ups for in the range. */
export async function followedUp(
  db: Executor,
  range: Range,
  ids: readonly number[],
): Promise<(Counted & { followedUp: number })[]> {
  const c = consultRecords;
  return queryRows(
    db,
    sql`select ${c.consultantId} as "consultantId", count(distinct ${c.customerId})::int as "followedUp"
      from ${c}
      where ${c.consultantId} = ${anyOf(ids)}
        and ${within(c.at, range)}
      group by ${c.consultantId}`,
  );
}

/**
 * Periods that ended enrolled in the range, found on the `enrolled_at` index. `started_at < to`
 * follows from `enrolled_at < to` (a period ends after it starts); it lets the planner walk one
 * consultant's index instead when that is cheaper.
 */
export async function enrolled(
  db: Executor,
  range: Range,
  ids: readonly number[],
): Promise<(Counted & { enrolled: number })[]> {
  const d = customerDistributions;
  return queryRows(
    db,
    sql`select ${d.consultantId} as "consultantId", count(*)::int as enrolled
      from ${d}
      where ${within(d.enrolledAt, range)}
        and ${d.startedAt} < ${range.to}
        and ${d.consultantId} = ${anyOf(ids)}
      group by ${d.consultantId}`,
  );
}

/** Money each consultant signed in the range: deposits and tuition, less refunds and withdrawals. */
export async function amounts(
  db: Executor,
  range: Range,
  ids: readonly number[],
): Promise<(Counted & { amount: string })[]> {
  const p = paymentRecords;
  return queryRows(
    db,
    sql`select ${p.consultantId} as "consultantId",
        round(sum(case when ${p.payType} in (${list(INCOME)}) then ${p.paidFee} else -${p.paidFee} end), 2)::text
          as amount
      from ${p}
      where ${p.consultantId} = ${anyOf(ids)}
        and ${within(p.paidAt, range)}
        and ${p.payType} in (${list([...INCOME, ...OUTGO])})
      group by ${p.consultantId}`,
  );
}

/**
 * The people who sell, listed in a report even in a month they did nothing: active staff with a place
 * in 销售权重 (a sale_ranks row, whatever its weight: the manager's own list of who sells), and active
 * staff who may grab customers without seeing every customer's (a consultant, whatever their role is
 * called). Managers and administrators may grab too, but they oversee: listed at zero they would read
 * as idle consultants. Anyone with a figure in the month is listed anyway (performanceRows), so a
 * manager who sold, or a consultant who has left, keeps their history.
 */
export async function sellingStaff(db: Executor): Promise<{ id: number; name: string }[]> {
  const grants = (code: PermissionCode) =>
    sql`exists (
        select 1 from ${userRoles}
        join ${rolePermissions} on ${rolePermissions.roleId} = ${userRoles.roleId}
        where ${userRoles.userId} = ${users.id} and ${rolePermissions.permissionCode} = ${code}
      )`;
  return queryRows(
    db,
    sql`select ${users.id} as id, ${users.name} as name from ${users}
      where ${users.active} and (
        exists (select 1 from ${saleRanks} where ${saleRanks.consultantId} = ${users.id})
        or (${grants('customer.grab')} and not ${grants('customer.view_all')})
      )`,
  );
}

async function namesOf(db: Executor, ids: readonly number[]): Promise<{ id: number; name: string }[]> {
  if (ids.length === 0) return [];
  return queryRows(
    db,
    sql`select ${users.id} as id, ${users.name} as name from ${users}
      where ${users.id} = ${anyOf(ids)}`,
  );
}

// ---------------------------------------------------------------------------------------------------
// Money as integer cents, so sums of numeric(12,2) stay exact.

const toCents = (amount: string): bigint => {
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = amount.replace(/^-/, '').split('.');
  const cents = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
  return negative ? -cents : cents;
};

const fromCents = (cents: bigint): string => {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
};

const ZERO: Figures = { received: 0, grabbed: 0, followedUp: 0, enrolled: 0, amount: '0.00' };

/** amount desc, then enrolled desc, then name, then id (so equal rows keep one order). */
export function comparePerformance(a: PerformanceRow, b: PerformanceRow): number {
  const byAmount = toCents(b.amount) - toCents(a.amount);
  if (byAmount !== 0n) return byAmount > 0n ? 1 : -1;
  return (
    b.enrolled - a.enrolled ||
    a.consultant.name.localeCompare(b.consultant.name, 'zh-CN') ||
    a.consultant.id - b.consultant.id
  );
}

export function totalsOf(rows: readonly Figures[]): Figures {
  return {
    received: rows.reduce((n, r) => n + r.received, 0),
    grabbed: rows.reduce((n, r) => n + r.grabbed, 0),
    followedUp: rows.reduce((n, r) => n + r.followedUp, 0),
    enrolled: rows.reduce((n, r) => n + r.enrolled, 0),
    amount: fromCents(rows.reduce((n, r) => n + toCents(r.amount), 0n)),
  };
}

/** The figures of a range, per consultant: the people who sell at zero, plus anyone with a figure. */
export async function performanceRows(db: Executor, range: Range, whose: Whose): Promise<PerformanceRow[]> {
  const ids = await consultantIds(db, whose);
  const [counts, follows, enrolments, money, staff] = await Promise.all([
    receivedAndGrabbed(db, range, ids),
    followedUp(db, range, ids),
    enrolled(db, range, ids),
    amounts(db, range, ids),
    whose === 'everyone' ? sellingStaff(db) : namesOf(db, ids),
  ]);
  const figures = new Map<number, Figures>();
  const of = (id: number) => {
    const row = figures.get(id) ?? { ...ZERO };
    figures.set(id, row);
    return row;
  };
  for (const person of staff) of(person.id);
  for (const r of counts) Object.assign(of(r.consultantId), { received: r.received, grabbed: r.grabbed });
  for (const r of follows) of(r.consultantId).followedUp = r.followedUp;
  for (const r of enrolments) of(r.consultantId).enrolled = r.enrolled;
  for (const r of money) of(r.consultantId).amount = r.amount;

  const known = new Map(staff.map((person) => [person.id, person.name]));
  const unnamed = [...figures.keys()].filter((id) => !known.has(id));
  for (const person of await namesOf(db, unnamed)) known.set(person.id, person.name);
  return [...figures.entries()]
    .map(([id, row]) => ({ consultant: { id, name: known.get(id) ?? '' }, ...row }))
    .sort(comparePerformance);
}

/** The school's current calendar month, `YYYY-MM`. */
export function currentMonth(timezone: string, at: Date = now()): string {
  return businessDate(at, timezone).slice(0, 7);
}

/**
 * A month's performance as the actor may see it: everyone's with `report.performance_all`, else
 * only their own row (always there, at zero when they did nothing that month).
 */
export async function monthlyPerformance(
  db: Executor,
  options: { actor: Actor; month?: string; timezone: string },
): Promise<Performance> {
  const { actor, timezone } = options;
  const month = options.month ?? currentMonth(timezone);
  const range = businessMonth(month, timezone);
  const whose: Whose = actor.permissions.has('report.performance_all')
    ? 'everyone'
    : { consultantId: actor.userId };
  const items = await performanceRows(db, range, whose);
  return { month, from: range.from, to: range.to, items, totals: totalsOf(items) };
}
