import { sql } from 'drizzle-orm';
import { hashPassword } from '../auth/passwords.ts';
import { type Database, type Executor, queryRows } from '../db/client.ts';
import { completeLoadedHistory } from '../modules/distributions/service.ts';
import { DEFAULT_POOL_RULES } from '../modules/pool/rules.ts';
import { writeBatches } from './scale/batches.ts';
import { Generator } from './scale/customers.ts';
import type { ScaleOptions, ScaleSummary } from './scale/model.ts';
import { loadSchool } from './scale/school.ts';

export { type ScaleOptions, type ScaleState, type ScaleSummary, scaleStates } from './scale/model.ts';

/**
 * A synthetic school of any size for benchmarks (docs/spec.md §8 `seed --scale N`): the demo's staff and
 * roles, one more consultant per ~2,000 customers, a few dozen classes, and N customers in realistic
 * proportions with their ownership history, follow-ups, payments and students. Every customer's
 * `release_at` is what `releaseAtFor` gives under the default pool rules (stored in `pool_settings`),
 * so the pool query names exactly the public customers.
 *
 * Deterministic: the same N and `at` (and batch size) give the same school, ids included, on either
 * kind of database. Customers are written in batches, each in its own transaction (multi-row
 * INSERT … SELECT FROM unnest(…) with one array per column, ids given explicitly), so a failure midway
 * leaves a partial school behind: this is for empty benchmark databases only.
 */

const ALREADY_SEEDED = 'The database is not empty; scale data is only loaded into an empty database';
/** Customers per consultant, and the bounds on generated consultants. */
const CUSTOMERS_PER_CONSULTANT = 2000;
const MIN_CONSULTANTS = 3;
const MAX_CONSULTANTS = 500;

/** Loads the synthetic school into an empty database; refuses one that has users or customers. */
export async function seedScale(database: Database, options: ScaleOptions): Promise<ScaleSummary> {
  const total = options.customers;
  if (!Number.isInteger(total) || total < 1)
    throw new Error('seedScale needs a positive number of customers');
  const rules = DEFAULT_POOL_RULES;
  const { db } = database;
  if (!(await isEmpty(db))) throw new Error(ALREADY_SEEDED);
  const passwordHash = await hashPassword(options.password);
  const at = options.at.getTime();
  const timezone = options.timezone ?? 'Asia/Shanghai';
  const consultantCount = Math.min(
    MAX_CONSULTANTS,
    Math.max(MIN_CONSULTANTS, Math.round(total / CUSTOMERS_PER_CONSULTANT)),
  );

  const school = await db.transaction(async (tx) => {
    if (!(await isEmpty(tx))) throw new Error(ALREADY_SEEDED);
    return loadSchool(tx, { at, timezone, rules, passwordHash, consultantCount });
  });

  const generator = new Generator({
    at,
    rules,
    total,
    owners: school.owners,
    classes: school.classes,
    courseIds: school.courseIds,
    financeId: school.financeId,
  });
  await writeBatches(database, generator, options);
  // The bulk loader writes periods without the customers' pool provenance; fill it in one pass.
  await completeLoadedHistory(database.db);

  return {
    rows: { ...school.rows, ...generator.counts },
    customers: generator.states,
    consultants: school.owners.length,
  };
}

/** Nobody can sign in and there are no customers yet. */
async function isEmpty(db: Executor): Promise<boolean> {
  const [row] = await queryRows<{ used: boolean }>(
    db,
    sql`select exists (select 1 from users) or exists (select 1 from customers) or exists (select 1 from students) as used`,
  );
  return row?.used === false;
}
