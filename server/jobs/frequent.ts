import type { FastifyBaseLogger } from 'fastify';
import { now } from '../clock.ts';
import { startTicker } from '../ticker.ts';

/**
 * A job that every instance runs every minute: cheap when there is nothing to do (an index probe),
 * and safe side by side — it takes its rows with SKIP LOCKED and its messages have unique keys —
 * so it needs no claim of the cluster's, unlike the daily jobs.
 */
export type FrequentJob = { kind: string; run: (at: Date) => Promise<unknown> };

/** Runs each job at once and then every `everyMs` (a minute); a failure is logged, the next tick retries. */
export function startFrequentJobs(
  jobs: FrequentJob[],
  options: { log?: FastifyBaseLogger; everyMs?: number },
): { stop: () => Promise<void> } {
  const { log } = options;
  return startTicker(
    async () => {
      for (const job of jobs) {
        try {
          const result = await job.run(now());
          log?.debug({ job: job.kind, result }, 'frequent job done');
        } catch (error) {
          log?.error({ job: job.kind, err: error }, 'frequent job failed');
        }
      }
    },
    { everyMs: options.everyMs ?? 60_000, onError: (error) => log?.error({ err: error }, 'frequent jobs') },
  );
}
