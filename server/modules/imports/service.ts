import { and, desc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../auth/sessions.ts';
import { addDays, now } from '../../clock.ts';
import { type Db, queryRows } from '../../db/client.ts';
import type { CodeOf, importAssign, importMode, jobStatus } from '../../db/schema/enums.ts';
import { importErrors, importFiles, imports } from '../../db/schema/index.ts';
import { lookups } from '../../engine/present.ts';
import { badRequest, conflict, notFound } from '../../http/errors.ts';
import type { ImportLimits } from './refusals.ts';
import type { ImportRecord } from './run.ts';
import { sniffUpload } from './sniff.ts';
import { type ImportLang, wordRowError } from './words.ts';

export type ImportMode = CodeOf<typeof importMode>;
export type ImportAssign = CodeOf<typeof importAssign>;

/** What GET /api/imports/:id tells: enough for a progress bar, the counts and the first errors. */
export type ImportView = {
  id: number;
  fileName: string;
  mode: ImportMode;
  assign: ImportAssign;
  status: CodeOf<typeof jobStatus>;
  processed: number;
  total: number;
  valid: number;
  created: number;
  skipped: number;
  errorCount: number;
  errors?: {
    row: number;
    column: string | null;
    message: string;
    code: string | null;
    params: Record<string, unknown> | null;
  }[];
  failure: string | null;
  failureCode: string | null;
  failureParams: Record<string, unknown> | null;
  columns: { column: string; field: string }[];
  ignoredColumns: string[];
  previewId: number | null;
  user: { id: number; name: string } | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

/** Errors a view carries; the error report has them all. */
export const ERRORS_SHOWN = 1_000;

function view(record: ImportRecord, user: { id: number; name: string } | null): ImportView {
  return {
    id: record.id,
    fileName: record.fileName,
    mode: record.mode,
    assign: record.assign,
    status: record.status,
    processed: record.processedRows,
    total: record.totalRows,
    valid: record.validCount,
    created: record.createdCount,
    skipped: record.skippedCount,
    errorCount: record.errorCount,
    failure: record.failure,
    failureCode: record.failureCode,
    failureParams: (record.failureParams as Record<string, unknown> | null) ?? null,
    columns: record.columns as ImportView['columns'],
    ignoredColumns: record.ignoredColumns as string[],
    previewId: record.previewId,
    user,
    createdAt: record.createdAt,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
  };
}

/**
 * Checks an upload and stores it as a queued import (or, for the CLI, one already claimed by the
 * caller), with its file, in one transaction. A bad file is a 400 and stores nothing.
 */
export async function createImport(
  db: Db,
  input: {
    userId: number;
    fileName: string;
    data: Buffer;
    mode: ImportMode;
    assign: ImportAssign;
    limits: ImportLimits;
    /** Claim it for this runner at once instead of queueing it. */
    claimFor?: { instance: string; leaseMs: number };
  },
): Promise<ImportRecord> {
  const sniffed = await sniffUpload(input.data, input.fileName, input.limits);
  const at = now();
  return db.transaction(async (tx) => {
    const [record] = await tx
      .insert(imports)
      .values({
        userId: input.userId,
        fileName: input.fileName.slice(0, 255),
        fileSize: input.data.length,
        format: sniffed.format,
        mode: input.mode,
        assign: input.assign,
        totalRows: Math.max(0, sniffed.rows - 1),
        ...(input.claimFor
          ? {
              status: 'running',
              lockedBy: input.claimFor.instance,
              lockedUntil: addDays(at, input.claimFor.leaseMs / 86_400_000),
              startedAt: at,
            }
          : {}),
        createdAt: at,
        updatedAt: at,
      })
      .returning();
    await tx.insert(importFiles).values({ importId: record!.id, data: input.data });
    return record!;
  });
}

const seesAllImports = (actor: Actor) => actor.permissions.has('customer.view_all');

async function loadOwn(db: Db, actor: Actor, id: number): Promise<ImportRecord> {
  const [record] = await db
    .select()
    .from(imports)
    .where(and(eq(imports.id, id), seesAllImports(actor) ? undefined : eq(imports.userId, actor.userId)));
  if (!record) throw notFound();
  return record;
}

export async function getImport(
  db: Db,
  actor: Actor,
  id: number,
): Promise<ImportView & { errors: NonNullable<ImportView['errors']> }> {
  const record = await loadOwn(db, actor, id);
  const [user] = await lookups.users(db, [record.userId]);
  const errors = await db
    .select({
      row: importErrors.rowNum,
      column: importErrors.column,
      message: importErrors.message,
      code: importErrors.code,
      params: importErrors.params,
    })
    .from(importErrors)
    .where(eq(importErrors.importId, id))
    .orderBy(importErrors.rowNum, importErrors.id)
    .limit(ERRORS_SHOWN);
  return {
    ...view(record, user ?? null),
    errors: errors.map((e) => ({ ...e, params: (e.params as Record<string, unknown> | null) ?? null })),
  };
}

export async function listImports(db: Db, actor: Actor): Promise<ImportView[]> {
  const records = await db
    .select()
    .from(imports)
    .where(seesAllImports(actor) ? undefined : eq(imports.userId, actor.userId))
    .orderBy(desc(imports.id))
    .limit(50);
  const ids = [...new Set(records.map((r) => r.userId))];
  const people = ids.length ? await lookups.users(db, ids) : [];
  return records.map((r) => view(r, people.find((p) => p.id === r.userId) ?? null));
}

/** One import as its runner sees it (the CLI's own, so no scope applies). */
export async function importSummary(db: Db, id: number): Promise<ImportView> {
  const [record] = await db.select().from(imports).where(eq(imports.id, id));
  if (!record) throw notFound();
  const [user] = await lookups.users(db, [record.userId]);
  return view(record, user ?? null);
}

/** Commits a finished preview: a new import of the same file with the same choices, queued. */
export async function commitPreview(
  db: Db,
  actor: Actor,
  previewId: number,
  assign?: ImportAssign,
): Promise<ImportRecord> {
  const preview = await loadOwn(db, actor, previewId);
  if (preview.mode !== 'preview') throw badRequest('not_a_preview', 'Only a preview can be committed');
  if (preview.status !== 'done') {
    throw conflict(
      'preview_not_done',
      'The preview has not finished (or it failed): wait for it, or upload again',
    );
  }
  const at = now();
  return db.transaction(async (tx) => {
    const [record] = await tx
      .insert(imports)
      .values({
        userId: actor.userId,
        fileName: preview.fileName,
        fileSize: preview.fileSize,
        format: preview.format,
        mode: 'commit',
        assign: assign ?? preview.assign,
        previewId: preview.id,
        totalRows: preview.processedRows,
        createdAt: at,
        updatedAt: at,
      })
      .returning();
    const copied = await queryRows<{ import_id: number }>(
      tx,
      sql`insert into import_files (import_id, data)
          select ${record!.id}, data from import_files where import_id = ${preview.id} returning import_id`,
    );
    if (copied.length === 0)
      throw conflict('file_gone', 'The previewed file is no longer stored: upload it again');
    return record!;
  });
}

/** The refused rows with their cells and reasons (in `lang`), in row order, for the error report. */
export async function* refusedRows(
  db: Db,
  importId: number,
  lang: ImportLang,
): AsyncGenerator<{ row: number; cells: unknown[]; reasons: string }> {
  const [where, between] = lang === 'zh' ? ['：', '；'] : [': ', '; '];
  let after = 0;
  for (;;) {
    const page = await queryRows<{
      row_num: number;
      cells: unknown[];
      errors: { column: string | null; message: string; code: string | null; params: unknown }[];
    }>(
      db,
      sql`select row_num, (array_agg(cells order by id))[1] as cells,
                 jsonb_agg(jsonb_build_object('column', "column", 'message', message, 'code', code,
                   'params', params) order by id) as errors
          from import_errors where import_id = ${importId} and row_num > ${after}
          group by row_num order by row_num limit 1000`,
    );
    for (const r of page) {
      const reasons = r.errors
        .map((e) => `${e.column ? `${e.column}${where}` : ''}${wordRowError(e, lang)}`)
        .join(between);
      yield { row: r.row_num, cells: r.cells, reasons };
    }
    if (page.length < 1000) return;
    after = page.at(-1)!.row_num;
  }
}

export { loadOwn as loadImport };
