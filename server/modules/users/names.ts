import { inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { users } from '../../db/schema/index.ts';
import type { Item } from '../../engine/types.ts';

/**
 * A presenter for rows that point at staff: each `xxxId` column also comes out as `{ id, name }`
 * under the given key (one query for the page, not one per row), plus any raw columns to pass through.
 */
export function presentWithUsers(refs: Record<string, string>, passThrough: string[] = []) {
  return async (db: Executor, rows: Record<string, unknown>[]): Promise<Item[]> => {
    const ids = [...new Set(rows.flatMap((row) => Object.keys(refs).map((key) => row[key])))].filter(
      (id): id is number => typeof id === 'number',
    );
    const people = ids.length
      ? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids))
      : [];
    return rows.map((row) => {
      const item: Record<string, unknown> = { ...row };
      for (const [key, as] of Object.entries(refs)) item[as] = people.find((p) => p.id === row[key]) ?? null;
      for (const key of passThrough) item[key] = row[key] ?? null;
      return item as Item;
    });
  };
}
