import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';
import { inject } from 'vitest';
import { type DatabaseTimeouts, DEFAULT_DATABASE_TIMEOUTS } from '../server/config.ts';
import { type Database, fromPglite, openPostgres } from '../server/db/client.ts';

/**
 * Fresh migrated databases for tests, one per call. Migrating costs seconds, so a template is
 * migrated once (in global setup, or lazily per worker) and copied: PGlite loads a dump of its
 * data directory; PostgreSQL uses CREATE DATABASE … TEMPLATE.
 */
export const testDatabaseUrl = (): string | null => process.env.TEST_DATABASE_URL || null;

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string;
  }
}

function provided<K extends 'pgliteTemplate' | 'postgresTemplate'>(key: K): string | undefined {
  try {
    return inject(key) || undefined;
  } catch {
    return undefined;
  }
}

/** Migrates a fresh in-memory PGlite and writes its data directory to a file. */
export async function makePgliteTemplate(): Promise<string> {
  const client = await PGlite.create({ extensions: { pg_trgm } });
  const database = fromPglite(client);
  await database.migrate();
  const dump = await client.dumpDataDir('none');
  const file = path.join(tmpdir(), `crm-template-${process.pid}-${randomBytes(4).toString('hex')}.tar`);
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  return file;
}

function adminUrl(url: string, database = 'postgres'): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl(url) });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Creates and migrates a template database on the server; returns its name. */
export async function makePostgresTemplate(url: string): Promise<string> {
  const name = `crm_template_${randomBytes(5).toString('hex')}`;
  await adminQuery(url, `create database ${name}`);
  const database = openPostgres(adminUrl(url, name), { max: 1 });
  await database.migrate();
  await database.close();
  // Nobody may connect to a template while it is being copied.
  await adminQuery(url, `alter database ${name} with allow_connections false`);
  return name;
}

export async function dropPostgresDatabase(url: string, name: string): Promise<void> {
  await adminQuery(url, `drop database if exists ${name} with (force)`);
}

/**
 * The limits of a test database on PostgreSQL. The defaults (5 s for a free connection, 10 s for a
 * lock) shed load in production; CI's two cores also run the browser tests beside this suite, and
 * 200 entries queued on one rotation there were seen waiting past them. Tests check what the code
 * does, not how fast: a hang is still caught by the tests' own timeouts. test/db-outage.test.ts
 * sets its own, short ones.
 */
export const BUSY_MACHINE_TIMEOUTS: DatabaseTimeouts = {
  ...DEFAULT_DATABASE_TIMEOUTS,
  connectMs: 30_000,
  lockMs: 30_000,
};

let pgliteTemplate: Promise<string> | undefined;
let postgresTemplate: Promise<string> | undefined;

/** A test database; `url` (PostgreSQL only) lets more app instances connect to it. */
export type TestDatabase = Database & { url?: string };

/** A new, migrated, empty database of the kind the suite runs on. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const url = testDatabaseUrl();
  if (url) {
    postgresTemplate ??= Promise.resolve(provided('postgresTemplate') ?? makePostgresTemplate(url));
    const template = await postgresTemplate;
    const name = `crm_test_${randomBytes(6).toString('hex')}`;
    await adminQuery(url, `create database ${name} template ${template}`);
    const database = openPostgres(adminUrl(url, name), { max: 10, timeouts: BUSY_MACHINE_TIMEOUTS });
    return {
      ...database,
      url: adminUrl(url, name),
      async close() {
        await database.close();
        await dropPostgresDatabase(url, name);
      },
    };
  }
  pgliteTemplate ??= Promise.resolve(provided('pgliteTemplate') ?? makePgliteTemplate());
  const dump = await readFile(await pgliteTemplate);
  const client = await PGlite.create({ loadDataDir: new Blob([dump]), extensions: { pg_trgm } });
  return fromPglite(client);
}
