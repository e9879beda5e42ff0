import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClock } from '../server/clock.ts';
import type { Database } from '../server/db/client.ts';
import { jobs } from '../server/db/schema/index.ts';
import { type DailyJob, runDueJobs } from '../server/jobs/daily.ts';
import { createTestDatabase } from './db.ts';

/** The nightly schedule: once per slot per cluster, caught up at start, retried after a failure. */
let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterEach(() => setClock(null));
afterAll(async () => database?.close());

const TZ = 'Asia/Shanghai';
let serial = 0;

function counting(fail = 0): DailyJob & { runs: Date[] } {
  const runs: Date[] = [];
  let failures = fail;
  return {
    kind: `job${++serial}`,
    minutes: 5,
    runs,
    async run(at) {
      runs.push(at);
      if (failures-- > 0) throw new Error('provider down');
      return { ok: true };
    },
  };
}

describe('daily jobs', () => {
  it('run once for the slot however many instances check at once, and catch up a missed one', async () => {
    const job = counting();
    // 09:00 in Shanghai: the 00:05 run of today was missed (nobody was up); the first check runs it.
    setClock(new Date('2026-06-01T01:00:00Z'));
    await Promise.all([1, 2, 3].map(() => runDueJobs(database.db, [job], TZ)));
    expect(job.runs).toHaveLength(1);
    await runDueJobs(database.db, [job], TZ);
    expect(job.runs).toHaveLength(1);

    // 00:04 the next day: still today's slot. 00:05: the next one.
    setClock(new Date('2026-06-01T16:04:00Z'));
    await runDueJobs(database.db, [job], TZ);
    expect(job.runs).toHaveLength(1);
    setClock(new Date('2026-06-01T16:05:00Z'));
    await runDueJobs(database.db, [job], TZ);
    expect(job.runs).toHaveLength(2);

    const rows = await database.db.select().from(jobs).where(eq(jobs.kind, job.kind));
    expect(rows.map((r) => [r.runKey, r.status]).sort()).toEqual([
      [`${job.kind}:2026-06-01`, 'done'],
      [`${job.kind}:2026-06-02`, 'done'],
    ]);
  });

  it('runs a failed slot again at the next check, and records why it failed', async () => {
    const job = counting(1);
    setClock(new Date('2026-07-01T02:00:00Z'));
    await runDueJobs(database.db, [job], TZ);
    const [failed] = await database.db.select().from(jobs).where(eq(jobs.kind, job.kind));
    expect(failed).toMatchObject({ status: 'failed', lastError: 'provider down', attempts: 1 });
    await runDueJobs(database.db, [job], TZ);
    const [done] = await database.db.select().from(jobs).where(eq(jobs.kind, job.kind));
    expect(done).toMatchObject({ status: 'done', attempts: 2 });
    expect(job.runs).toHaveLength(2);
  });
});
