import { type SQL, sql } from 'drizzle-orm';
import { type AnyPgColumn, check, integer, timestamp } from 'drizzle-orm/pg-core';

/** Ids are PostgreSQL integers; a larger number can name nothing. */
export const MAX_ID = 2_147_483_647;

/** The three columns every table has (docs/spec.md §2). */
export const base = {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

export const tstz = (name: string) => timestamp(name, { withTimezone: true });

/**
 * A reference every row has: a not-null integer naming `target`, and what deleting the target does
 * to the row (takes it along, or is refused while the row exists).
 */
export const requiredRef = <N extends string>(
  name: N,
  target: () => AnyPgColumn,
  onDelete: 'cascade' | 'restrict',
) => integer(name).notNull().references(target, { onDelete });

/** SQL literal list for a check constraint; codes are our own constants, never user input. */
function literalList(values: readonly (string | number)[]): SQL {
  return sql.raw(
    values.map((v) => (typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`)).join(', '),
  );
}

/** A check constraint that keeps an enumeration column to its codes. */
export function oneOf(name: string, column: AnyPgColumn, values: readonly (string | number)[]) {
  return check(name, sql`${column} in (${literalList(values)})`);
}
