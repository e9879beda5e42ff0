import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { compiled } from './client.ts';

describe('a statement rendered once', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  const echo = compiled<{ n: number; at: Date; word: string }, { n: number; at: Date; doubled: string }>(
    ({ n, at, word }) =>
      sql`select ${n}::int as n, ${at}::timestamptz as at, ${word}::text || ${word}::text as doubled`,
  );

  it('binds each run its own values, a placeholder used twice alike', async () => {
    const first = new Date('2026-06-01T04:00:00.000Z');
    const second = new Date('2027-01-02T03:04:05.678Z');
    const [a] = await echo(database.db, { n: 1, at: first, word: '抢' });
    const [b] = await echo(database.db, { n: 2, at: second, word: 'ab' });
    expect(a).toEqual({ n: 1, at: expect.anything(), doubled: '抢抢' });
    expect(new Date(a!.at).toISOString()).toBe(first.toISOString());
    expect(b).toMatchObject({ n: 2, doubled: 'abab' });
    expect(new Date(b!.at).toISOString()).toBe(second.toISOString());
  });

  it("runs on a transaction's connection, and is undone with it", async () => {
    await database.db.execute(sql`create table compiled_marks (n int)`);
    const mark = compiled<{ n: number }, { n: number }>(
      ({ n }) => sql`insert into compiled_marks values (${n}) returning n`,
    );
    await expect(
      database.db.transaction(async (tx) => {
        expect(await mark(tx, { n: 7 })).toEqual([{ n: 7 }]);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    await mark(database.db, { n: 8 });
    const rows = await database.db.execute(sql`select n from compiled_marks order by n`);
    expect((rows as unknown as { rows: unknown[] }).rows).toEqual([{ n: 8 }]);
  });
});
