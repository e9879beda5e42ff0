import { sql } from 'drizzle-orm';
import { addDays, now } from '../../clock.ts';
import { type Db, type Executor, queryRows } from '../../db/client.ts';
import { type FailureReason, failureWords, wordFailure } from './words.ts';

/*
 * The import queue's statements, each named for what it does: claiming the oldest queued import,
 * recording each batch under the claim (which renews it), finishing, failing, and letting go of
 * what a dead instance held. A statement that finds the claim gone answers false: the import is
 * someone else's now.
 */

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
export async function claimNext(
  db: Db,
  { instance, leaseMs }: { instance: string; leaseMs: number },
): Promise<number | null> {
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
export async function pruneStalePreviews(db: Db): Promise<void> {
  await db.execute(sql`
    delete from import_files f using imports i
    where i.id = f.import_id and i.mode = 'preview' and i.status in ('done', 'failed')
      and i.finished_at < ${addDays(now(), -7)}`);
}

/** What one batch did, added to the import's counts. */
type BatchCounts = { size: number; valid: number; created: number; skipped: number; refused: number };

/** Adds a batch's counts and renews the claim; false when `instance` no longer holds the import. */
export async function recordBatch(
  tx: Executor,
  values: { importId: number; instance: string; counts: BatchCounts; leaseUntil: Date; at: Date },
): Promise<boolean> {
  const { importId, instance, counts, leaseUntil, at } = values;
  const claimed = await queryRows<{ id: number }>(
    tx,
    sql`update imports set
          processed_rows = processed_rows + ${counts.size}, valid_count = valid_count + ${counts.valid},
          created_count = created_count + ${counts.created},
          skipped_count = skipped_count + ${counts.skipped},
          error_count = error_count + ${counts.refused},
          total_rows = greatest(total_rows, processed_rows + ${counts.size}),
          locked_until = ${leaseUntil}, updated_at = ${at}
        where id = ${importId} and status = 'running' and locked_by = ${instance}
        returning id`,
  );
  return claimed.length > 0;
}

/** Marks the import done; false when `instance` no longer holds it. */
export async function markDone(
  tx: Executor,
  { importId, instance, at }: { importId: number; instance: string; at: Date },
): Promise<boolean> {
  const done = await queryRows<{ id: number }>(
    tx,
    sql`update imports set status = 'done', total_rows = processed_rows, finished_at = ${at},
          locked_by = null, locked_until = null, updated_at = ${at}
        where id = ${importId} and status = 'running' and locked_by = ${instance} returning id`,
  );
  return done.length > 0;
}

/** Fails an import that is queued or running (held by `instance`, unless null) with its reason. */
export async function markFailed(
  db: Db,
  { importId, instance, reason }: { importId: number; instance: string | null; reason: FailureReason },
): Promise<void> {
  const at = now();
  const params = reason.params ?? {};
  await db.execute(sql`
    update imports set status = 'failed', failure = ${wordFailure(reason.code, params, 'zh')},
      failure_code = ${reason.code}, failure_params = ${JSON.stringify(params)}::jsonb, finished_at = ${at},
      locked_by = null, locked_until = null, updated_at = ${at}
    where id = ${importId} and status in ('queued', 'running')
      ${instance === null ? sql`` : sql`and locked_by = ${instance}`}`);
}
