import { asc, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../server/db/client.ts';
import { consultRecords, customerDistributions, customers } from '../server/db/schema/index.ts';

/**
 * What the seed tests read back from the database alone, to hold a seed's summary against it: the
 * demo school and the synthetic one are checked the same way.
 */
export function groupBy<T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/** Rows per table, by table name (the names are the tests' own, never input). */
export async function rowCounts(db: Db, tables: readonly string[]): Promise<Record<string, number>> {
  const rows = await queryRows<{ name: string; n: number }>(
    db,
    sql.raw(
      tables.map((name) => `select '${name}' as name, count(*)::int as n from ${name}`).join(' union all '),
    ),
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.n]));
}

/** Every customer by id, with their periods of ownership in the order they happened and their follow-ups. */
export async function customersWithHistory(db: Db) {
  const all = await db.select().from(customers).orderBy(asc(customers.id));
  const history = await db
    .select()
    .from(customerDistributions)
    .orderBy(asc(customerDistributions.startedAt), asc(customerDistributions.id));
  const consults = await db.select().from(consultRecords);
  return {
    all,
    historyOf: groupBy(history, (d) => d.customerId),
    consultsOf: groupBy(consults, (r) => r.customerId),
  };
}
