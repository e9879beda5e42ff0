import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { addDays, clockIsFrozen, now } from '../../clock.ts';
import type { DatabaseTimeouts } from '../../config.ts';
import { type DatabaseKind, type Db, queryRows } from '../../db/client.ts';
import { startTicker } from '../../ticker.ts';
import { readInThread } from './reader.ts';
import type { ImportLimits } from './refusals.ts';
import { IMPORT_BATCH, markFailed, runImport } from './run.ts';
import { outOfMemory, startThread } from './threads.ts';
import { failureWords } from './words.ts';

/**
 * Imports are their own durable queue: any instance claims the oldest queued one (SKIP LOCKED, so
 * two never take the same), holds it with a lease it renews after every batch, and an import whose
 * instance died — its lease run out — is marked failed with what its whole batches did. On the
 * embedded database one process owns the data, so at start whatever was running is such an orphan.
 */
export const instanceName = (role = 'serve') => `${hostname()}:${process.pid}:${role}`;

export const DEFAULT_LEASE_MS = 60_000;

/** Fails the imports whose claim has run out (all running ones, when `all`). */
export async function failOrphans(db: Db, options: { all?: boolean } = {}): Promise<number> {
  const at = now();
  const rows = await queryRows<{ id: number }>(
    db,
    sql`update imports set status = 'failed',
          failure = ${failureWords.orphaned.zh()} || '（已处理 ' || processed_rows || ' 行，导入 ' || created_count || ' 行）',
          failure_code = 'orphaned',
          failure_params = jsonb_build_object('processed', processed_rows, 'created', created_count),
          finished_at = ${at}, locked_by = null, locked_until = null, updated_at = ${at}
        where status = 'running' ${options.all ? sql`` : sql`and locked_until < ${at}`}
        returning id`,
  );
  return rows.length;
}

/** Takes the oldest queued import for `instance`, or nothing. */
export async function claimNext(db: Db, instance: string, leaseMs: number): Promise<number | null> {
  const at = now();
  const [claimed] = await queryRows<{ id: number }>(
    db,
    sql`update imports set status = 'running', locked_by = ${instance},
          locked_until = ${addDays(at, leaseMs / 86_400_000)}, started_at = ${at}, updated_at = ${at}
        where id = (select id from imports where status = 'queued' order by id limit 1 for update skip locked)
        returning id`,
  );
  return claimed?.id ?? null;
}

/** Preview files nobody committed within a week are let go. */
async function pruneStalePreviews(db: Db): Promise<void> {
  await db.execute(sql`
    delete from import_files f using imports i
    where i.id = f.import_id and i.mode = 'preview' and i.status in ('done', 'failed')
      and i.finished_at < ${addDays(now(), -7)}`);
}

/**
 * The heap of an import's thread: enough for a 200,000-row workbook's shared strings and two
 * batches in flight. A file that needs more fails its import, never the process.
 */
export const DEFAULT_IMPORT_HEAP_MB = 192;

type ClaimedOptions = {
  databaseUrl: string | null;
  timeouts?: DatabaseTimeouts;
  timezone: string;
  instance: string;
  leaseMs: number;
  limits: ImportLimits;
  heapMb: number;
};

/**
 * Runs a claimed import. On PostgreSQL all of it runs in a thread of its own (bounded memory,
 * another core); on PGlite, whose one connection lives here, the file is read in a thread with
 * the same bound (reader.ts) and only the writes are done here. A thread that dies (out of memory,
 * a crash) leaves its import failed, not running.
 */
async function runClaimed(db: Db, id: number, options: ClaimedOptions): Promise<void> {
  const { heapMb, limits, ...rest } = options;
  if (!options.databaseUrl) {
    await runImport(db, id, {
      ...rest,
      limits,
      batchSize: IMPORT_BATCH.pglite,
      read: (data, format) => readInThread({ data, format, limits }, heapMb),
    });
    return;
  }
  // A frozen clock (tests, the test clock) is the thread's too.
  const thread = startThread(
    'thread',
    { ...rest, limits, importId: id, frozenAt: clockIsFrozen() ? now().toISOString() : null },
    heapMb,
  );
  const failure = await new Promise<Error | null>((resolve) => {
    let error: Error | null = null;
    thread.on('error', (e) => {
      error = e;
    });
    thread.on('exit', (code) =>
      resolve(error ?? (code === 0 ? null : new Error(`import thread exited with ${code}`))),
    );
  });
  if (failure) {
    await markFailed(db, id, options.instance, {
      code: outOfMemory(failure) ? 'out_of_memory' : 'unexpected',
    });
    throw failure;
  }
}

export type ImportWorker = { kick: () => void; stop: () => Promise<void> };

/** Runs queued imports one at a time on this instance; `kick` looks at once (after an upload here). */
export function startImportWorker(
  db: Db,
  options: {
    kind: DatabaseKind;
    databaseUrl: string | null;
    /** PostgreSQL's limits, for the import thread's own connections. */
    timeouts?: DatabaseTimeouts;
    timezone: string;
    limits: ImportLimits;
    heapMb?: number;
    leaseMs?: number;
    everyMs?: number;
    log?: FastifyBaseLogger;
  },
): ImportWorker {
  const instance = instanceName();
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  let stopped = false;
  let first = true;
  const drain = async () => {
    if (first) {
      first = false;
      const orphans = await failOrphans(db, { all: options.kind === 'pglite' });
      if (orphans)
        options.log?.warn({ orphans }, 'imports left running by a stopped instance were marked failed');
      await pruneStalePreviews(db);
    } else {
      await failOrphans(db);
    }
    while (!stopped) {
      const id = await claimNext(db, instance, leaseMs);
      if (id === null) return;
      options.log?.info({ importId: id }, 'import started');
      const databaseUrl = options.kind === 'postgres' ? options.databaseUrl : null;
      const limits = options.limits;
      const heapMb = options.heapMb ?? DEFAULT_IMPORT_HEAP_MB;
      await runClaimed(db, id, {
        databaseUrl,
        timeouts: options.timeouts,
        timezone: options.timezone,
        instance,
        leaseMs,
        limits,
        heapMb,
      }).catch((error) => options.log?.error({ err: error, importId: id }, 'import failed'));
      options.log?.info({ importId: id }, 'import finished');
    }
  };
  const ticker = startTicker(drain, {
    everyMs: options.everyMs ?? 2_000,
    onError: (error) => options.log?.error({ err: error }, 'could not run the import queue'),
  });
  return {
    kick: ticker.kick,
    async stop() {
      stopped = true;
      await ticker.stop();
    },
  };
}
