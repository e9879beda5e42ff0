import { eq, inArray } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from '../db/client.ts';
import type { HttpError } from '../http/errors.ts';

/**
 * Replaces the rows linking one record to others (a user's roles, a class's teachers, a role's
 * grants), after checking that every value names something that exists; `refuse` words the 400.
 */
export async function replaceLinks<V extends string | number>(
  tx: Tx,
  link: {
    table: PgTable;
    owner: PgColumn;
    ownerId: number;
    /** The key column of what is linked to, e.g. roles.id or permissions.code. */
    target: PgColumn;
    values: V[];
    row: (value: V) => Record<string, unknown>;
    refuse: (missing: V[]) => HttpError;
  },
): Promise<void> {
  if (link.values.length) {
    const found = (await tx
      .select({ value: link.target })
      .from(link.target.table)
      .where(inArray(link.target, link.values))) as { value: V }[];
    const missing = link.values.filter((v) => !found.some((f) => f.value === v));
    if (missing.length) throw link.refuse(missing);
  }
  await tx.delete(link.table).where(eq(link.owner, link.ownerId));
  if (link.values.length) await tx.insert(link.table).values(link.values.map(link.row));
}
