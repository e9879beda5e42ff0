import { parentPort, workerData } from 'node:worker_threads';
import type { ImportFormat } from '../../db/schema/enums.ts';
import { HttpError } from '../../http/errors.ts';
import { readChecked, take } from './read.ts';
import type { ImportLimits } from './refusals.ts';

/**
 * The reading half of an import, in a thread with its own heap limit (reader.ts starts it): it
 * checks the file, parses it and hands its rows back a bounded batch at a time, when asked. The
 * writes stay where the database is.
 */
export type ReaderJob = { data: Uint8Array; format: ImportFormat; limits: ImportLimits };
export type ReaderMessage =
  | { rows: { row: number; cells: unknown[] }[] }
  | { refused: { code: string; message: string; params?: Record<string, string | number> } }
  | { failed: string };

/** Rows per message: a batch's worth of the smaller kind (run.ts takes them as they come). */
const ROWS_PER_MESSAGE = 1_000;

const job = workerData as ReaderJob;
const port = parentPort!;
const rows = readChecked(
  Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength),
  job.format,
  job.limits,
)[Symbol.asyncIterator]();

// One request at a time: the reader asks again only once it has taken the last answer.
port.on('message', async () => {
  let answer: ReaderMessage;
  try {
    answer = { rows: await take(rows, ROWS_PER_MESSAGE) };
  } catch (error) {
    answer =
      error instanceof HttpError
        ? { refused: { code: error.code, message: error.message, params: error.params } }
        : { failed: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(answer);
});
