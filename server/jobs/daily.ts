import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { addDays, lastDailySlot, now } from '../clock.ts';
import { type Db, queryRows } from '../db/client.ts';
import { startTicker } from './ticker.ts';

/** A job that falls due once a day at `minutes` after midnight, school time. */
export type DailyJob = { kind: string; minutes: number; run: (at: Date) => Promise<unknown> };

/** A run that has not finished by then is taken to have died with its instance, and may run again. */
const LEASE_MINUTES = 30;
const MAX_ATTEMPTS = 5;

const instance = `${hostname()}:${process.pid}`;

/**
 * Claims the run of `job` for its latest due slot: exactly one instance of a cluster gets it (the
 * jobs row's unique run_key), and a failed run or one whose instance died is claimed again later.
 */
async function claim(db: Db, job: DailyJob, at: Date, timezone: string): Promise<number | null> {
  const slot = lastDailySlot(at, timezone, job.minutes);
  const leaseEnds = addDays(at, LEASE_MINUTES / 1440);
  const [claimed] = await queryRows<{ id: number }>(
    db,
    sql`insert into jobs (kind, run_key, status, run_at, attempts, locked_by, locked_until, started_at, created_at, updated_at)
        values (${job.kind}, ${`${job.kind}:${slot.date}`}, 'running', ${slot.at}, 1, ${instance}, ${leaseEnds}, ${at}, ${at}, ${at})
        on conflict (run_key) do update
          set status = 'running', attempts = jobs.attempts + 1, locked_by = excluded.locked_by,
              locked_until = excluded.locked_until, started_at = excluded.started_at,
              last_error = null, updated_at = excluded.updated_at
          where (jobs.status = 'failed' and jobs.attempts < ${MAX_ATTEMPTS})
             or (jobs.status = 'running' and jobs.locked_until < ${at})
        returning id`,
  );
  return claimed?.id ?? null;
}

/** Runs every job whose latest slot has not run yet (this is also the catch-up at start). */
export async function runDueJobs(db: Db, jobs: DailyJob[], timezone: string, log?: FastifyBaseLogger) {
  for (const job of jobs) {
    const at = now();
    const id = await claim(db, job, at, timezone);
    if (id === null) continue;
    try {
      const result = await job.run(at);
      await db.execute(
        sql`update jobs set status = 'done', result = ${JSON.stringify(result ?? null)}::jsonb,
                finished_at = ${now()}, updated_at = ${now()} where id = ${id}`,
      );
      log?.info({ job: job.kind, result }, 'daily job done');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await db
        .execute(
          sql`update jobs set status = 'failed', last_error = ${message}, finished_at = ${now()},
                updated_at = ${now()} where id = ${id}`,
        )
        .catch(() => {});
      log?.error({ job: job.kind, err: error }, 'daily job failed');
    }
  }
}

/** Checks once a minute (and at once, for the catch-up) which daily jobs are due. */
export function startDailyJobs(
  db: Db,
  jobs: DailyJob[],
  options: { timezone: string; log?: FastifyBaseLogger; everyMs?: number },
): { stop: () => Promise<void> } {
  return startTicker(() => runDueJobs(db, jobs, options.timezone, options.log), {
    everyMs: options.everyMs ?? 60_000,
    onError: (error) => options.log?.error({ err: error }, 'could not check the daily jobs'),
  });
}
