import { inArray } from 'drizzle-orm';
import { hashPassword } from '../auth/passwords.ts';
import type { Db, Executor } from '../db/client.ts';
import { users } from '../db/schema/index.ts';
import { drainPostings } from '../modules/customers/postings.ts';
import { completeLoadedHistory } from '../modules/distributions/service.ts';
import { DEFAULT_POOL_RULES } from '../modules/pool/rules.ts';
import { type DemoSummary, load } from './demo/load.ts';
import { planCustomers } from './demo/plan.ts';

export { type DemoCustomerState, demoCustomerStates } from './demo/customers.ts';
export { type DemoRoleCode, demoRoleGrants, demoRoles } from './demo/staff.ts';
export type { DemoSummary };

/**
 * The demo school of docs/spec.md §8: staff in every role, two campuses, three classes with lessons and
 * scores, and about 200 customers in every state of the sales rules. Everything is generated from a
 * fixed seed relative to `options.at`, so every demo database looks the same on its own day.
 */

// ---------------------------------------------------------------------------------------------------
// Loading

const ALREADY_SEEDED = 'The database already has users; demo data is only loaded into an empty database';

/** True when nobody could sign in yet: the only state demo data may be loaded into. */
export async function isDatabaseEmpty(db: Executor): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users).limit(1);
  return rows.length === 0;
}

/**
 * Whether this looks like the demo school (its administrator and its first consultant), so that
 * `serve` can tell a newcomer how to sign in. A real school never has the demo's consultants.
 */
export async function hasDemoStaff(db: Executor): Promise<boolean> {
  const rows = await db
    .select({ username: users.username })
    .from(users)
    .where(inArray(users.username, ['admin', 'sanjiang']));
  return rows.length === 2;
}

/**
 * Loads the demo school into an empty database in one transaction; refuses when it has users.
 * `at` is "now" for the data (docs/spec.md §8); `timezone` dates the lessons (default Asia/Shanghai).
 */
export async function seedDemo(
  db: Db,
  options: { password: string; at: Date; timezone?: string },
): Promise<DemoSummary> {
  const { at } = options;
  const timezone = options.timezone ?? 'Asia/Shanghai';
  const rules = DEFAULT_POOL_RULES;
  const { plans, rng } = planCustomers(at, rules);
  const passwordHash = await hashPassword(options.password);
  return db.transaction(async (tx) => {
    if (!(await isDatabaseEmpty(tx))) throw new Error(ALREADY_SEEDED);
    const summary = await load(tx, { at, timezone, rules, plans, rng, passwordHash });
    await completeLoadedHistory(tx);
    await drainPostings(tx);
    return summary;
  });
}
