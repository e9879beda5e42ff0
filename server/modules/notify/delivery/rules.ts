import { createHash } from 'node:crypto';
import type { Channel, Recipient, SendOutcome } from '../channels/types.ts';
import type { NotificationEvent } from '../outbox.ts';

/*
 * The delivery rules (docs/spec.md §6), as pure functions: when a failed notification is tried
 * again, what an answer makes of it, when it is not sent at all, and what a provider's error may
 * say once stored. The worker (deliver.ts) applies them; queries.ts holds their SQL.
 */

/** A retry falls due within ± this share of its exact delay, so that failures spread out. */
export const JITTER = 0.2;
/** However many attempts, the next one is at most a day away. */
const MAX_DELAY_MS = 86_400_000;
/** What is kept of a provider's error: enough to read, not a whole HTML page. */
export const MAX_ERROR_LENGTH = 500;

/**
 * How long after its `attempts`-th failed attempt a notification is tried again:
 * base · 2^(attempts − 1), ± JITTER of it (`random` in [0, 1): 0.5 is the exact delay).
 */
export function retryDelayMs(
  attempts: number,
  baseSeconds: number,
  random: () => number = Math.random,
): number {
  const exact = Math.min(baseSeconds * 1000 * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);
  return Math.round(exact * (1 + JITTER * (2 * random() - 1)));
}

/** What one attempt leaves a notification as. */
export type Verdict =
  | { status: 'sent'; providerMessageId: string | null }
  | { status: 'failed'; error: string; nextAttemptAt: Date }
  | { status: 'dead'; error: string };

/**
 * The verdict of an attempt, `attempts` counting it: sent; else tried again later with backoff;
 * else, when the provider says it will never work or that was the last attempt allowed, `dead`.
 */
export function verdictOf(
  outcome: SendOutcome,
  options: { attempts: number; maxAttempts: number; baseSeconds: number; at: Date; random?: () => number },
): Verdict {
  if (outcome.ok) return { status: 'sent', providerMessageId: outcome.providerMessageId ?? null };
  if (!outcome.retry || options.attempts >= options.maxAttempts)
    return { status: 'dead', error: outcome.error };
  const delay = retryDelayMs(options.attempts, options.baseSeconds, options.random);
  return { status: 'failed', error: outcome.error, nextAttemptAt: new Date(options.at.getTime() + delay) };
}

/** The person a notification is for, as the worker reads them. */
export type Person = Recipient & { active: boolean };

/**
 * Why a notification is not sent at all (`skipped`), or null to send it: its channel cannot send
 * (not configured), the person has left (account disabled), or cannot be reached on it.
 */
export function skipReason(
  channel: Channel | undefined,
  person: Person | undefined,
  event: NotificationEvent,
): string | null {
  if (!channel) return 'no such channel';
  const notConfigured = channel.notConfigured();
  if (notConfigured) return notConfigured;
  if (!person) return 'no such person';
  if (!person.active) return 'account disabled';
  return channel.unreachable(person, event);
}

/**
 * The key a provider may recognise a repeated send by: stable across retries, unique per row, and
 * not reused by another database whose ids start again (the dedupe key's hash is part of it).
 */
export function idempotencyKeyOf(row: { id: number; dedupeKey: string }): string {
  const hash = createHash('sha256').update(row.dedupeKey).digest('hex').slice(0, 16);
  return `crm-${row.id}-${hash}`;
}

/** An error as it may be stored and logged: the settings' secrets blanked out, and bounded. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('***');
  return out.length > MAX_ERROR_LENGTH ? `${out.slice(0, MAX_ERROR_LENGTH - 1)}…` : out;
}
