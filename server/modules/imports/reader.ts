import type { Worker } from 'node:worker_threads';
import { type ErrorCode, HttpError } from '../../http/errors.ts';
import { ImportFailure } from './batch.ts';
import type { SheetRow } from './read.ts';
import type { ReaderJob, ReaderMessage } from './reader-thread.ts';
import { outOfMemory, startThread } from './threads.ts';

/**
 * An import's rows read in a thread of its own (reader-thread.ts), for an import whose writes
 * must stay in this process (PGlite's one connection, the CLI): a file that needs more memory
 * than the thread may have fails its import with `out_of_memory`, and the process goes on.
 */
export async function* readInThread(job: ReaderJob, heapMb: number): AsyncGenerator<SheetRow> {
  // A copy of just the file's bytes (the stored value may be a view of a larger buffer), handed over.
  const data = new Uint8Array(job.data);
  const thread = startThread('reader-thread', { ...job, data }, heapMb, [data.buffer]);
  const inbox = listen(thread);
  try {
    for (;;) {
      thread.postMessage('next');
      const message = await inbox.next();
      if ('refused' in message) {
        const { code, message: text, params } = message.refused;
        throw new HttpError(400, code as ErrorCode, text, undefined, undefined, params);
      }
      if ('failed' in message) throw new Error(`the import's reader failed: ${message.failed}`);
      if (message.rows.length === 0) return;
      yield* message.rows as SheetRow[];
    }
  } finally {
    await thread.terminate();
  }
}

/** The thread's answers in order; a thread that dies fails whoever waits for one. */
function listen(thread: Worker) {
  const queued: ReaderMessage[] = [];
  let waiting: { resolve: (m: ReaderMessage) => void; reject: (e: Error) => void } | null = null;
  let failure: Error | null = null;
  const fail = (error: Error) => {
    failure ??= error;
    waiting?.reject(failure);
    waiting = null;
  };
  thread.on('message', (message: ReaderMessage) => {
    if (waiting) waiting.resolve(message);
    else queued.push(message);
    waiting = null;
  });
  thread.on('error', (error) => fail(outOfMemory(error) ? new ImportFailure('out_of_memory') : error));
  thread.on('exit', (code) => fail(new Error(`the import's reader thread exited with ${code}`)));
  return {
    next(): Promise<ReaderMessage> {
      const message = queued.shift();
      if (message) return Promise.resolve(message);
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
  };
}
