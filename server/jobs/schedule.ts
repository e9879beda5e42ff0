import type { Db } from '../db/client.ts';
import { sweep } from '../modules/pool/sweep.ts';
import type { DailyJob } from './daily.ts';

/** What runs every night, at minutes past midnight in the school's timezone. */
export const dailyJobs = (db: Db): DailyJob[] => [
  // docs/spec.md §3: the nightly sweep at 00:05.
  { kind: 'sweep', minutes: 5, run: (at) => sweep(db, at) },
];
