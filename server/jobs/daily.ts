import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { lastDailySlot, now } from '../clock.ts';
import type { Db } from '../db/client.ts';
import { errorWithoutValues } from '../log.ts';
import { startTicker } from '../ticker.ts';
import { type Claim, claimRun, markRunDone, markRunFailed, renewClaim } from './queries.ts';

/** A job that falls due once a day at `minutes` after midnight, school time. */
export type DailyJob = { kind: string; minutes: number; run: (at: Date) => Promise<unknown> };

/**
 * A run's claim holds for LEASE_MS unless renewed, and a live run renews it every RENEW_EVERY_MS:
 * so a run whose instance died (kill -9, a lost machine) is taken up by another within two minutes,
 * however long a healthy sweep takes.
 */
const LEASE_MS = 2 * 60_000;
const RENEW_EVERY_MS = 30_000;
const MAX_ATTEMPTS = 5;

const instance = `${hostname()}:${process.pid}`;

/**
 * Claims the run of `job` for its latest due slot: exactly one instance of a cluster gets it (the
 * jobs row's unique run_key), and a failed run or one whose instance died is claimed again later.
 */
async function claim(db: Db, job: DailyJob, at: Date, timezone: string): Promise<Claim | null> {
  const slot = lastDailySlot(at, timezone, job.minutes);
  return claimRun(db, {
    kind: job.kind,
    runKey: `${job.kind}:${slot.date}`,
    runAt: slot.at,
    instance,
    leaseUntil: new Date(at.getTime() + LEASE_MS),
    maxAttempts: MAX_ATTEMPTS,
    at,
  });
}

/**
 * Renews the claim every `everyMs` until stopped. The attempt number fences it: once another
 * instance has taken the run over (this one's lease ran out), this one renews nothing.
 */
function keepClaim(db: Db, claim: Claim, everyMs: number, log?: FastifyBaseLogger): () => void {
  let renewing = false;
  const timer = setInterval(async () => {
    if (renewing) return;
    renewing = true;
    try {
      const at = now();
      const renewed = await renewClaim(db, { claim, leaseUntil: new Date(at.getTime() + LEASE_MS), at });
      if (!renewed) log?.warn({ jobId: claim.id }, 'a daily job lost its claim to another instance');
    } catch (error) {
      // A database outage: the next tick tries again, and the lease covers a few misses.
      log?.warn({ jobId: claim.id, err: error }, 'could not renew a daily job’s claim');
    } finally {
      renewing = false;
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Runs every job whose latest slot has not run yet (this is also the catch-up at start). */
export async function runDueJobs(
  db: Db,
  jobs: DailyJob[],
  options: { timezone: string; log?: FastifyBaseLogger; renewEveryMs?: number },
) {
  const { timezone, log } = options;
  for (const job of jobs) {
    const at = now();
    const claimed = await claim(db, job, at, timezone);
    if (claimed === null) continue;
    const { id } = claimed;
    const release = keepClaim(db, claimed, options.renewEveryMs ?? RENEW_EVERY_MS, log);
    try {
      const result = await job.run(at);
      await markRunDone(db, { id, result, at: now() });
      log?.info({ job: job.kind, result }, 'daily job done');
    } catch (error) {
      // Kept in the jobs table: a failed statement's values stay out of it, as out of the logs.
      const message = String((errorWithoutValues(error) as { message?: unknown })?.message ?? error);
      await markRunFailed(db, { id, message, at: now() }).catch(() => {});
      log?.error({ job: job.kind, err: error }, 'daily job failed');
    } finally {
      release();
    }
  }
}

/** Checks once a minute (and at once, for the catch-up) which daily jobs are due. */
export function startDailyJobs(
  db: Db,
  jobs: DailyJob[],
  options: { timezone: string; log?: FastifyBaseLogger; everyMs?: number },
): { stop: () => Promise<void> } {
  return startTicker(() => runDueJobs(db, jobs, { timezone: options.timezone, log: options.log }), {
    everyMs: options.everyMs ?? 60_000,
    onError: (error) => options.log?.error({ err: error }, 'could not check the daily jobs'),
  });
}
