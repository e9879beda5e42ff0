import { eq, sql } from 'drizzle-orm';
import { addDays, now } from '../../clock.ts';
import { type Db, yieldToRequests } from '../../db/client.ts';
import { importFiles, imports } from '../../db/schema/index.ts';
import { writeAudit } from '../../engine/audit.ts';
import { HttpError } from '../../http/errors.ts';
import { notifyNobodyHadQuota } from '../assignment/assign.ts';
import { enqueue } from '../notify/outbox.ts';
import {
  type BatchContext,
  ImportFailure,
  type ImportRecord,
  type Progress,
  type Row,
  type RunOptions,
  type Totals,
} from './batch.ts';
import { checkHeader, checkRows, loadDirectory, viewerFor } from './check.ts';
import { mapHeader } from './columns.ts';
import { markDone, markFailed, recordBatch } from './queries.ts';
import { type SheetRow, take } from './read.ts';
import type { FailureReason, ImportParams } from './words.ts';
import { commitRows, saveErrors } from './write.ts';

/**
 * Rows per transaction: a crash leaves whole batches, and grabs wait on at most one. PGlite has one
 * connection, so every other request waits for a batch there: smaller ones keep the pages usable.
 */
export const IMPORT_BATCH = { postgres: 4_000, pglite: 1_000 } as const;

export type { ImportRecord, Progress, RunOptions };
export { ImportFailure };

class LostClaim extends Error {}

/** A refusal of the file met while reading it (the upload check passed it under other limits). */
function failureOf(error: HttpError): ImportFailure {
  const params = error.params ?? {};
  switch (error.code) {
    case 'too_many_rows':
      return new ImportFailure('too_many_rows', { limit: params.limit ?? 0 });
    case 'cell_too_long':
      return new ImportFailure('cell_too_long', { cell: params.cell ?? '', limit: params.limit ?? 0 });
    case 'row_too_long':
      return new ImportFailure('row_too_long', { row: params.row ?? 0, limit: params.limit ?? 0 });
    default:
      return new ImportFailure('file_refused', { reason: error.code });
  }
}

export async function runImport(db: Db, importId: number, options: RunOptions): Promise<void> {
  const [record] = await db.select().from(imports).where(eq(imports.id, importId));
  if (!record) return;
  const totals: Totals = {
    processed: 0,
    created: 0,
    errorRows: 0,
    assigned: new Map(),
    unowned: 0,
  };
  let stop = async () => {};
  try {
    const [file] = await db.select().from(importFiles).where(eq(importFiles.importId, importId));
    if (!file) throw new ImportFailure('file_gone');
    const rows = options.read(file.data, record.format)[Symbol.asyncIterator]();
    // Let go of the reader (its thread) however the import ends.
    stop = async () => {
      await rows.return?.();
    };
    const first = await rows.next();
    if (first.done) throw new ImportFailure('empty_file');
    const header = mapHeader(first.value.cells);
    await db
      .update(imports)
      .set({
        header: first.value.cells.map((c) => (c instanceof Date ? c.toISOString() : c)),
        columns: header.recognised,
        ignoredColumns: header.ignored,
      })
      .where(eq(imports.id, importId));
    checkHeader(header, record.assign);

    const viewer = await viewerFor(db, record.userId);
    const directory = await loadDirectory(db);
    const seen = new Map<string, number>();
    const context = { db, record, header, viewer, directory, seen, totals, options };
    // A pipeline: while the database writes one batch, the next is read, parsed and checked
    // (checked on a second connection: rows of the batch being written are caught by `seen`).
    // Counted as read, whatever the upload check said: no import goes past the limit.
    let read = 0;
    const checked = async (batch: Promise<SheetRow[]>) => {
      const rows = await batch;
      read += rows.length;
      if (read > options.limits.maxRows) {
        throw new ImportFailure('too_many_rows', { limit: options.limits.maxRows });
      }
      const at = now();
      return { rows: rows.length ? await checkRows(context, rows, at) : [], size: rows.length, at };
    };
    let next = checked(take(rows, options.batchSize));
    for (;;) {
      const batch = await next;
      if (batch.size === 0) break;
      next = checked(take(rows, options.batchSize));
      // Settled later, or reported with the batch that is being written now.
      next.catch(() => {});
      await writeBatch(context, batch);
      await yieldToRequests();
      options.onProgress?.({
        processed: totals.processed,
        total: record.totalRows,
        created: totals.created,
        errors: totals.errorRows,
      });
    }
    await finish(db, record, totals, options);
    await refreshStatistics(db, totals.created);
  } catch (caught) {
    if (caught instanceof LostClaim) return;
    const error = caught instanceof HttpError ? failureOf(caught) : caught;
    const reason: FailureReason =
      error instanceof ImportFailure ? { code: error.code, params: error.params } : { code: 'unexpected' };
    await markFailed(db, {
      importId,
      instance: options.instance,
      reason: { ...reason, params: { ...reason.params, ...doneSoFar(record, totals) } },
    });
    if (!(error instanceof ImportFailure)) throw error;
  } finally {
    await stop().catch(() => {});
  }
}

/** What a commit that failed midway had done by then: its whole batches stand. */
const doneSoFar = (record: ImportRecord, totals: Totals): ImportParams =>
  record.mode === 'commit' && totals.processed > 0
    ? { processed: totals.processed, created: totals.created }
    : {};

async function writeBatch(
  ctx: BatchContext,
  checked: { rows: Row[]; size: number; at: Date },
): Promise<void> {
  const { rows, at, size } = checked;
  const { db, record, totals, options } = ctx;
  await db.transaction(async (tx) => {
    let created = 0;
    if (record.mode === 'commit') created = await commitRows(tx, ctx, rows, at);
    const refused = rows.filter((r) => r.errors.length > 0);
    await saveErrors(tx, record.id, refused);
    const valid = rows.length - refused.length;
    // A preview skips the rows it would not import; a commit, every row it did not create.
    const skipped = size - created - (record.mode === 'preview' ? valid : 0);
    const claimed = await recordBatch(tx, {
      importId: record.id,
      instance: options.instance,
      counts: { size, valid, created, skipped, refused: refused.length },
      leaseUntil: addDays(at, options.leaseMs / 86_400_000),
      at,
    });
    // Someone took this import over (our claim ran out): leave everything to them, write nothing.
    if (!claimed) throw new LostClaim();
    totals.processed += size;
    totals.created += created;
    totals.errorRows += refused.length;
  });
}

/** The import is done: its result, who was told, and (for a commit) its file let go. */
async function finish(db: Db, record: ImportRecord, totals: Totals, options: RunOptions): Promise<void> {
  const at = now();
  await db.transaction(async (tx) => {
    const done = await markDone(tx, { importId: record.id, instance: options.instance, at });
    if (!done) throw new LostClaim();
    if (record.mode !== 'commit') return;
    await tx.delete(importFiles).where(eq(importFiles.importId, record.id));
    await enqueue(
      tx,
      [
        {
          userId: record.userId,
          event: 'import_finished',
          payload: {
            importId: record.id,
            fileName: record.fileName,
            created: totals.created,
            errors: totals.errorRows,
          },
          dedupeKey: `import_finished:${record.id}`,
        },
        ...[...totals.assigned].map(([consultantId, count]) => ({
          userId: consultantId,
          event: 'customer_assigned' as const,
          payload: { importId: record.id, count },
          dedupeKey: `customer_assigned:import:${record.id}:${consultantId}`,
        })),
      ],
      at,
    );
    if (totals.unowned > 0) {
      await notifyNobodyHadQuota(tx, {
        at,
        key: `import:${record.id}`,
        count: totals.unowned,
        importId: record.id,
      });
    }
    await writeAudit(tx, {
      actorId: record.userId,
      action: 'import',
      entity: 'customers',
      entityId: null,
      after: {
        importId: record.id,
        file: record.fileName,
        created: totals.created,
        errors: totals.errorRows,
      },
      at,
    });
  });
}

/**
 * A large import changes what the planner believes about customers (how many are in the pool, per
 * source…); until autovacuum notices, plans built on the old figures can be far off (a list page
 * after a 100,000-row import, before and after analysing: docs/benchmarks.md, "Figures moved out
 * of the code's comments"). So the import refreshes them itself.
 */
const REANALYZE_AFTER = 5_000;

async function refreshStatistics(db: Db, created: number): Promise<void> {
  if (created < REANALYZE_AFTER) return;
  await db.execute(sql`analyze customers, customer_distributions`).catch(() => {});
}
