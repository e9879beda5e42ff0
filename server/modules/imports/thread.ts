import { parentPort, workerData } from 'node:worker_threads';
import { setClock } from '../../clock.ts';
import type { DatabaseTimeouts } from '../../config.ts';
import { openPostgres } from '../../db/client.ts';
import { readChecked } from './read.ts';
import type { ImportLimits } from './refusals.ts';
import { IMPORT_BATCH, runImport } from './run.ts';

/**
 * An import in a thread of its own (PostgreSQL only: PGlite's one connection lives in the main
 * thread). Parsing a large workbook allocates a great deal; here that is bounded by the thread's
 * own heap limit and done on another core, while the server's event loop stays free for requests.
 */
type Job = {
  databaseUrl: string;
  timeouts?: DatabaseTimeouts;
  importId: number;
  timezone: string;
  instance: string;
  leaseMs: number;
  limits: ImportLimits;
  frozenAt: string | null;
};

const job = workerData as Job;
if (job.frozenAt) setClock(new Date(job.frozenAt));
const database = openPostgres(job.databaseUrl, { max: 2, timeouts: job.timeouts });
try {
  await runImport(database.db, job.importId, {
    timezone: job.timezone,
    instance: job.instance,
    leaseMs: job.leaseMs,
    batchSize: IMPORT_BATCH.postgres,
    limits: job.limits,
    // This thread has its own heap limit already: the file is read here.
    read: (data, format) => readChecked(data, format, job.limits),
  });
  parentPort?.postMessage({ ok: true });
} finally {
  await database.close();
}
