import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { clockIsFrozen, now } from '../../clock.ts';
import type { DatabaseTimeouts } from '../../config.ts';
import type { DatabaseKind, Db } from '../../db/client.ts';
import { startTicker } from '../../ticker.ts';
import { claimNext, failOrphans, markFailed, pruneStalePreviews } from './queries.ts';
import { readInThread } from './reader.ts';
import type { ImportLimits } from './refusals.ts';
import { IMPORT_BATCH, runImport } from './run.ts';
import { outOfMemory, startThread } from './threads.ts';

/**
 * Imports are their own durable queue: any instance claims the oldest queued one (SKIP LOCKED, so
 * two never take the same), holds it with a lease it renews after every batch, and an import whose
 * instance died — its lease run out — is marked failed with what its whole batches did. On the
 * embedded database one process owns the data, so at start whatever was running is such an orphan.
 */
export const instanceName = (role = 'serve') => `${hostname()}:${process.pid}:${role}`;

export const DEFAULT_LEASE_MS = 60_000;

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
    await markFailed(db, {
      importId: id,
      instance: options.instance,
      reason: { code: outOfMemory(failure) ? 'out_of_memory' : 'unexpected' },
    });
    throw failure;
  }
}

export type ImportWorker = { kick: () => void; stop: () => Promise<void> };

let runningHere = 0;

/** This process is running an import (what may wait for it asks without a query of its own). */
export const importRunningHere = () => runningHere > 0;

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
      const id = await claimNext(db, { instance, leaseMs });
      if (id === null) return;
      options.log?.info({ importId: id }, 'import started');
      const databaseUrl = options.kind === 'postgres' ? options.databaseUrl : null;
      const limits = options.limits;
      const heapMb = options.heapMb ?? DEFAULT_IMPORT_HEAP_MB;
      runningHere++;
      await runClaimed(db, id, {
        databaseUrl,
        timeouts: options.timeouts,
        timezone: options.timezone,
        instance,
        leaseMs,
        limits,
        heapMb,
      })
        .catch((error) => options.log?.error({ err: error, importId: id }, 'import failed'))
        .finally(() => runningHere--);
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
