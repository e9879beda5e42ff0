import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/client.ts';

/*
 * The daily jobs' statements: a run is a row of `jobs` keyed by its slot (run_key), so claiming it
 * is one insert that exactly one instance of a cluster wins; the attempt number fences renewals.
 */

export type Claim = { id: number; attempts: number };

/**
 * Claims the run `runKey`: a new one, a failed one with attempts left, or one whose lease ran out
 * (its instance died). Null: another instance has it, or it is done.
 */
export async function claimRun(
  db: Db,
  values: {
    kind: string;
    runKey: string;
    runAt: Date;
    instance: string;
    leaseUntil: Date;
    maxAttempts: number;
    at: Date;
  },
): Promise<Claim | null> {
  const { kind, runKey, runAt, instance, leaseUntil, maxAttempts, at } = values;
  const [claimed] = await queryRows<Claim>(
    db,
    sql`insert into jobs (kind, run_key, status, run_at, attempts, locked_by, locked_until, started_at, created_at, updated_at)
        values (${kind}, ${runKey}, 'running', ${runAt}, 1, ${instance}, ${leaseUntil}, ${at}, ${at}, ${at})
        on conflict (run_key) do update
          set status = 'running', attempts = jobs.attempts + 1, locked_by = excluded.locked_by,
              locked_until = excluded.locked_until, started_at = excluded.started_at,
              last_error = null, updated_at = excluded.updated_at
          where (jobs.status = 'failed' and jobs.attempts < ${maxAttempts})
             or (jobs.status = 'running' and jobs.locked_until < ${at})
        returning id, attempts`,
  );
  return claimed ?? null;
}

/** Extends the claim's lease; false once another instance has taken the run over. */
export async function renewClaim(
  db: Db,
  { claim, leaseUntil, at }: { claim: Claim; leaseUntil: Date; at: Date },
): Promise<boolean> {
  const renewed = await queryRows<{ id: number }>(
    db,
    sql`update jobs set locked_until = ${leaseUntil}, updated_at = ${at}
        where id = ${claim.id} and status = 'running' and attempts = ${claim.attempts}
        returning id`,
  );
  return renewed.length > 0;
}

export async function markRunDone(db: Db, { id, result, at }: { id: number; result: unknown; at: Date }) {
  await db.execute(
    sql`update jobs set status = 'done', result = ${JSON.stringify(result ?? null)}::jsonb,
            finished_at = ${at}, updated_at = ${at} where id = ${id}`,
  );
}

export async function markRunFailed(db: Db, { id, message, at }: { id: number; message: string; at: Date }) {
  await db.execute(
    sql`update jobs set status = 'failed', last_error = ${message}, finished_at = ${at},
            updated_at = ${at} where id = ${id}`,
  );
}
