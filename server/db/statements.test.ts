import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../../test/db.ts';
import { PreparingClient } from './statements.ts';

const url = testDatabaseUrl();

// Named statements are PostgreSQL's (PGlite runs without them).
describe.skipIf(!url)('statements prepared by name', () => {
  const table = `stale_${randomBytes(4).toString('hex')}`;
  const app = new PreparingClient({ connectionString: url! });
  const migrator = new pg.Client({ connectionString: url! });
  const text = `select * from ${table} order by a`;

  beforeAll(async () => {
    await Promise.all([app.connect(), migrator.connect()]);
    await migrator.query(`create table ${table} (a int, b int)`);
    await migrator.query(`insert into ${table} values (1, 2)`);
    // Enough runs for the text to be named and its plan cached on this connection.
    for (let i = 0; i < 5; i++) await app.query({ text });
  });
  afterAll(async () => {
    await migrator.query(`drop table if exists ${table}`);
    await Promise.all([app.end(), migrator.end()]);
  });

  it('still answer after a migration changes what they return, outside a transaction', async () => {
    await migrator.query(`alter table ${table} alter column b type text`);
    const { rows } = await app.query({ text });
    expect(rows).toEqual([{ a: 1, b: '2' }]);
  });

  it('fail the transaction that was running, and answer from the next one on', async () => {
    await migrator.query(`alter table ${table} add column c int default 3`);
    await app.query('begin');
    await expect(app.query({ text })).rejects.toThrow(/cached plan must not change result type/);
    await app.query('rollback');
    const { rows } = await app.query({ text });
    expect(rows).toEqual([{ a: 1, b: '2', c: 3 }]);
  });
});
