import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { DatabaseKind, Db } from '../../../db/client.ts';
import { startTicker } from '../../../ticker.ts';
import { type DeliveryOptions, deliverDue } from './deliver.ts';

export type DeliveryWorker = { kick: () => void; stop: () => Promise<void> };

/**
 * Who claims notifications: the process, as the import queue names it, and which worker of it (an
 * app built twice in one process, as tests do, is two instances).
 */
export const deliveryInstance = () => `${hostname()}:${process.pid}:notify:${randomBytes(3).toString('hex')}`;

/**
 * Delivers the outbox on this instance, as every instance does (docs/spec.md §6): every `everyMs`
 * and on `kick`, everything due, batch after batch. On the embedded database one process owns the
 * data, so at start every row left `sending` was left by a process that is gone; on PostgreSQL a
 * row is taken up once its claim has run out. `stop` lets the batch in hand finish.
 */
export function startDeliveryWorker(
  db: Db,
  options: Omit<DeliveryOptions, 'instance' | 'log'> & {
    kind: DatabaseKind;
    instance?: string;
    everyMs?: number;
    log?: FastifyBaseLogger;
  },
): DeliveryWorker {
  const { kind, everyMs, ...rest } = options;
  const instance = options.instance ?? deliveryInstance();
  let stopped = false;
  let first = true;
  const drain = async () => {
    const allOrphans = first && kind === 'pglite';
    const counts = await deliverDue(db, { ...rest, instance, allOrphans, stopped: () => stopped });
    first = false;
    const done = counts.sent + counts.failed + counts.dead + counts.skipped + counts.unknown;
    if (done > 0) options.log?.info({ ...counts }, 'notifications delivered');
  };
  const ticker = startTicker(drain, {
    everyMs: everyMs ?? 2_000,
    onError: (error) => options.log?.error({ err: error }, 'could not deliver notifications'),
  });
  return {
    kick: ticker.kick,
    async stop() {
      stopped = true;
      await ticker.stop();
    },
  };
}
