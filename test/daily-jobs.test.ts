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
    await Promise.all([1, 2, 3].map(() => runDueJobs(database.db, [job], { timezone: TZ })));
    expect(job.runs).toHaveLength(1);
    await runDueJobs(database.db, [job], { timezone: TZ });
    expect(job.runs).toHaveLength(1);

    // 00:04 the next day: still today's slot. 00:05: the next one.
    setClock(new Date('2026-06-01T16:04:00Z'));
    await runDueJobs(database.db, [job], { timezone: TZ });
    expect(job.runs).toHaveLength(1);
    setClock(new Date('2026-06-01T16:05:00Z'));
    await runDueJobs(database.db, [job], { timezone: TZ });
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
    await runDueJobs(database.db, [job], { timezone: TZ });
    const [failed] = await database.db.select().from(jobs).where(eq(jobs.kind, job.kind));
    expect(failed).toMatchObject({ status: 'failed', lastError: 'provider down', attempts: 1 });
    await runDueJobs(database.db, [job], { timezone: TZ });
    const [done] = await database.db.select().from(jobs).where(eq(jobs.kind, job.kind));
    expect(done).toMatchObject({ status: 'done', attempts: 2 });
    expect(job.runs).toHaveLength(2);
  });

  it('takes up a run whose instance died within two minutes of its last renewal', async () => {
    const dead = hanging();
    const T = new Date('2026-08-01T02:00:00Z').getTime();
    setClock(new Date(T));
    // A long renewal interval stands for an instance that stopped renewing: it was killed.
    const running = runDueJobs(database.db, [dead], { timezone: TZ, renewEveryMs: 3_600_000 });
    await until(async () => (await jobRow(dead.kind))?.status === 'running');

    const taker = { ...counting(), kind: dead.kind };
    setClock(new Date(T + 60_000));
    await runDueJobs(database.db, [taker], { timezone: TZ });
    expect(taker.runs).toHaveLength(0);
    setClock(new Date(T + 2 * 60_000 + 1_000));
    await runDueJobs(database.db, [taker], { timezone: TZ });
    expect(taker.runs).toHaveLength(1);
    expect(await jobRow(dead.kind)).toMatchObject({ status: 'done', attempts: 2 });
    dead.finish();
    await running;
  });

  it('keeps the claim of a live run, however long it runs, by renewing it', async () => {
    const slow = hanging();
    const T = new Date('2026-08-02T02:00:00Z').getTime();
    setClock(new Date(T));
    const running = runDueJobs(database.db, [slow], { timezone: TZ, renewEveryMs: 20 });
    await until(async () => (await jobRow(slow.kind))?.status === 'running');

    // 45 minutes on: past any lease it was given at the start, but it renewed since.
    setClock(new Date(T + 45 * 60_000));
    await until(async () => (await jobRow(slow.kind))!.lockedUntil!.getTime() > T + 45 * 60_000);
    const other = { ...counting(), kind: slow.kind };
    await runDueJobs(database.db, [other], { timezone: TZ });
    expect(other.runs).toHaveLength(0);

    slow.finish();
    await running;
    expect(await jobRow(slow.kind)).toMatchObject({ status: 'done', attempts: 1 });
  });
});

/** A job that runs until told to finish. */
function hanging(): DailyJob & { finish: () => void } {
  let finish = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return { kind: `job${++serial}`, minutes: 5, run: () => done, finish: () => finish() };
}

async function jobRow(kind: string) {
  return (await database.db.select().from(jobs).where(eq(jobs.kind, kind)))[0];
}

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
