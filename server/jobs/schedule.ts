import type { Db } from '../db/client.ts';
import { escalateReminders } from '../modules/pool/escalation.ts';
import { sweep } from '../modules/pool/sweep.ts';
import type { DailyJob } from './daily.ts';
import type { FrequentJob } from './frequent.ts';

/** What runs every night, at minutes past midnight in the school's timezone. */
export const dailyJobs = (db: Db): DailyJob[] => [
  // docs/spec.md §3: the nightly sweep at 00:05.
  { kind: 'sweep', minutes: 5, run: (at) => sweep(db, at) },
];

/** What every instance runs every minute. */
export const frequentJobs = (db: Db): FrequentJob[] => [
  // Issue 23: a release reminder left unanswered halfway to its deadline goes to the managers.
  // Not part of the nightly sweep: halfway falls anywhere in the day (a deadline is any time).
  { kind: 'escalation', run: (at) => escalateReminders(db, { at }) },
];
