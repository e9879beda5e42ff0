import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../../test/db.ts';
import { openPostgres, queryRows } from './client.ts';

const url = testDatabaseUrl();

// PGlite is built without JIT; a PostgreSQL server usually has it.
describe.skipIf(!url)("the server's connections", () => {
  it('run without JIT, which compiled the pool page for a second to save a millisecond', async () => {
    const database = openPostgres(url!, { max: 1 });
    try {
      const [row] = await queryRows<{ jit: string }>(database.db, sql`select current_setting('jit') as jit`);
      expect(row?.jit).toBe('off');
    } finally {
      await database.close();
    }
  });
});
