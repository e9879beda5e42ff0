import type { FastifyBaseLogger } from 'fastify';
import { now } from '../../../clock.ts';
import type { NotifyConfig } from '../../../config.ts';
import type { Executor } from '../../../db/client.ts';
import type { Channel, ChannelCode, SendOutcome } from '../channels/types.ts';
import { renderMessage } from '../messages.ts';
import {
  type ClaimedRow,
  claimDue,
  recordSkips,
  recordVerdict,
  renewClaims,
  skipUnconfigured,
  takeUpOrphans,
} from './queries.ts';
import { idempotencyKeyOf, type Person, redact, skipReason, verdictOf } from './rules.ts';

/**
 * Delivering the outbox (docs/spec.md §6). A batch is claimed in one short statement, sent outside
 * any transaction — all of it at once, each send bounded by the timeout — and each outcome recorded
 * in a statement of its own, under the claim, which is renewed while the sends last. So the
 * embedded database's one connection is never held across a send, and instances of a cluster
 * never send the same row: a row is sent only by the instance holding its claim.
 */
export type DeliveryOptions = {
  channels: Partial<Record<ChannelCode, Channel>>;
  /** Who claims: unique per process (hostname:pid). */
  instance: string;
  settings: Pick<NotifyConfig, 'retryBaseSeconds' | 'maxAttempts' | 'timeoutMs'>;
  /** PUBLIC_URL, for the messages' links. */
  publicUrl: string | null;
  /** The school's time zone, for the times the messages name. */
  timezone?: string;
  /** How long a claim holds unless renewed. */
  leaseMs: number;
  /** Rows one claim takes, sent at once (default 10). */
  batchSize?: number;
  /** Renew the claim this often while sending (default a third of the lease). */
  renewEveryMs?: number;
  /** Secret values blanked out of providers' errors (channels/index.ts `secretsOf`). */
  secrets?: readonly string[];
  /** The retries' jitter (tests pin it). */
  random?: () => number;
  log?: FastifyBaseLogger;
};

export const DEFAULT_BATCH = 10;

/** What a run did, by the status each row ended in (`lost`: its claim went to another instance). */
export type DeliveryCounts = {
  sent: number;
  failed: number;
  dead: number;
  skipped: number;
  unknown: number;
  lost: number;
};

const noCounts = (): DeliveryCounts => ({ sent: 0, failed: 0, dead: 0, skipped: 0, unknown: 0, lost: 0 });

/**
 * Delivers everything due now, batch after batch, until nothing is due or `stopped()`; first takes
 * up what a dead instance left mid-send (every row left sending, when `allOrphans`).
 */
export async function deliverDue(
  db: Executor,
  options: DeliveryOptions & { allOrphans?: boolean; stopped?: () => boolean },
): Promise<DeliveryCounts> {
  const counts = noCounts();
  const idempotent = Object.values(options.channels)
    .filter((channel) => channel.idempotent)
    .map((channel) => channel.code);
  const orphans = await takeUpOrphans(db, {
    idempotent,
    maxAttempts: options.settings.maxAttempts,
    at: now(),
    all: options.allOrphans,
  });
  for (const orphan of orphans) {
    if (orphan.status === 'unknown') counts.unknown++;
    options.log?.warn(
      { notificationId: orphan.id, channel: orphan.channel, status: orphan.status },
      'a notification was left mid-send by a stopped instance',
    );
  }
  counts.skipped += await skipAllUnconfigured(db, options);
  while (!options.stopped?.()) {
    const batch = await deliverBatch(db, options);
    if (batch === null) break;
    for (const key of Object.keys(batch) as (keyof DeliveryCounts)[]) counts[key] += batch[key];
  }
  return counts;
}

/** Rows one statement of skipUnconfigured takes. */
const SKIP_BATCH = 1_000;

/** Skips every due row of a channel not configured here, a thousand per statement; how many. */
async function skipAllUnconfigured(
  db: Executor,
  options: DeliveryOptions & { stopped?: () => boolean },
): Promise<number> {
  const reasons = Object.values(options.channels).flatMap((channel) => {
    const reason = channel.notConfigured();
    return reason === null ? [] : [{ channel: channel.code, reason }];
  });
  let skipped = 0;
  for (;;) {
    const done = await skipUnconfigured(db, { reasons, at: now(), limit: SKIP_BATCH });
    skipped += done;
    if (done < SKIP_BATCH || options.stopped?.()) return skipped;
  }
}

/** Claims one batch and delivers it; null when nothing was due. */
export async function deliverBatch(db: Executor, options: DeliveryOptions): Promise<DeliveryCounts | null> {
  const { instance, leaseMs } = options;
  const at = now();
  const rows = await claimDue(db, {
    instance,
    leaseUntil: new Date(at.getTime() + leaseMs),
    limit: options.batchSize ?? DEFAULT_BATCH,
    at,
  });
  if (rows.length === 0) return null;
  const release = keepClaims(db, rows, options);
  const counts = noCounts();
  try {
    const skips = rows.flatMap((row) => {
      const reason = skipReason(options.channels[row.channel], row.person ?? undefined, row.event);
      return reason === null ? [] : [{ id: row.id, reason }];
    });
    const skipped = await recordSkips(db, { skips, instance, at: now() });
    counts.skipped += skipped.size;
    counts.lost += skips.length - skipped.size;
    const skippedIds = new Set(skips.map((skip) => skip.id));
    const toSend = rows.filter((row) => !skippedIds.has(row.id));
    const ended = await Promise.all(toSend.map((row) => deliverOne(db, row, row.person!, options)));
    for (const status of ended) counts[status]++;
  } finally {
    release();
  }
  options.log?.debug({ ...counts }, 'notifications delivered');
  return counts;
}

/** Sends one claimed row, which skipReason let through, and records what came of it. */
async function deliverOne(
  db: Executor,
  row: ClaimedRow,
  person: Person,
  options: DeliveryOptions,
): Promise<keyof DeliveryCounts> {
  const { instance, log } = options;
  const channel = options.channels[row.channel]!;
  const outcome = await attempt(channel, row, person, options);
  const at = now();
  const attempts = row.attempts + 1;
  const verdict = verdictOf(
    outcome.ok ? outcome : { ...outcome, error: redact(outcome.error, options.secrets ?? []) },
    {
      attempts,
      maxAttempts: options.settings.maxAttempts,
      baseSeconds: options.settings.retryBaseSeconds,
      at,
      random: options.random,
    },
  );
  const recorded = await recordVerdict(db, { id: row.id, instance, verdict, at });
  const about = { notificationId: row.id, channel: row.channel, event: row.event, attempts };
  if (!recorded) {
    log?.warn(
      { ...about, status: verdict.status },
      'a notification’s claim was lost before its outcome was recorded',
    );
    return 'lost';
  }
  if (verdict.status === 'dead') log?.warn({ ...about, error: verdict.error }, 'a notification was given up');
  else if (verdict.status === 'failed')
    log?.info({ ...about, error: verdict.error }, 'a notification will be retried');
  return verdict.status;
}

/**
 * One try: the event's message rendered, then the channel's send, bounded by the timeout (the
 * channel is asked to stop, and its answer no longer awaited). A message that cannot be rendered
 * never will be; a send that throws or times out is tried again.
 */
async function attempt(
  channel: Channel,
  row: ClaimedRow,
  person: Person,
  options: DeliveryOptions,
): Promise<SendOutcome> {
  const { active: _active, ...recipient } = person;
  let message: ReturnType<typeof renderMessage>;
  try {
    message = renderMessage(row.event, row.payload ?? {}, {
      publicUrl: options.publicUrl,
      timezone: options.timezone,
    });
  } catch (error) {
    return { ok: false, error: `the message could not be written: ${messageOf(error)}`, retry: false };
  }
  const { timeoutMs } = options.settings;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<SendOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ ok: false, error: `no answer within ${timeoutMs / 1000} s`, retry: true });
    }, timeoutMs);
  });
  try {
    return await Promise.race([
      channel.send({ message, recipient, idempotencyKey: idempotencyKeyOf(row), signal: controller.signal }),
      timedOut,
    ]);
  } catch (error) {
    return { ok: false, error: messageOf(error), retry: true };
  } finally {
    clearTimeout(timer);
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Renews the claim on a batch every `renewEveryMs` until released, as daily jobs keep theirs: a
 * live instance keeps its rows however long the sends take; a dead one's run out within a lease.
 */
function keepClaims(db: Executor, rows: ClaimedRow[], options: DeliveryOptions): () => void {
  const ids = rows.map((row) => row.id);
  let renewing = false;
  const timer = setInterval(
    async () => {
      if (renewing) return;
      renewing = true;
      try {
        const at = now();
        await renewClaims(db, {
          instance: options.instance,
          ids,
          leaseUntil: new Date(at.getTime() + options.leaseMs),
          at,
        });
      } catch (error) {
        // A database outage: the next tick tries again, and the lease covers a few misses.
        options.log?.warn({ err: error }, 'could not renew the claim on notifications being sent');
      } finally {
        renewing = false;
      }
    },
    options.renewEveryMs ?? Math.max(1_000, Math.floor(options.leaseMs / 3)),
  );
  timer.unref();
  return () => clearInterval(timer);
}
