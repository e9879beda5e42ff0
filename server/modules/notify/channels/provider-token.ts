import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq, lte } from 'drizzle-orm';
import { now } from '../../../clock.ts';
import type { Db } from '../../../db/client.ts';
import { providerTokens } from '../../../db/schema/index.ts';
import { type Failure, failure } from './http.ts';

/**
 * A provider's access token (WeChat's), shared by every instance through `provider_tokens`: fetched
 * once, used until shortly before it expires, and replaced when the provider refuses it.
 *
 * Only one instance fetches at a time, so a refused token does not set off one fetch per instance
 * (each fetch may void the one before it). The fetch is not done inside a transaction (that would
 * hold a connection, and PGlite's only one, for a network call): a lease row instead, named
 * `<provider>.refresh` in the same table, its `token` the holder and its `expires_at` when it lapses.
 * Whoever claims the lease fetches and stores the token; the others re-read the shared row until it
 * holds a new token, or the lease lapses (its holder died) and one of them claims it in turn.
 */

/** A token is not used in its last minute, so a call never starts with one about to lapse. */
export const TOKEN_MARGIN_MS = 60_000;
const POLL_MS = 100;

export type FetchedToken = { token: string; expiresInMs: number };

export type SharedToken = {
  /** A token believed good: this instance's copy, else the shared one, else a new one. */
  current(signal: AbortSignal): Promise<string | Failure>;
  /** A token other than `refused`, which the provider has just refused (expired or voided). */
  replace(refused: string, signal: AbortSignal): Promise<string | Failure>;
};

export function sharedToken(options: {
  db: Db;
  /** The row's name in provider_tokens ('wechat'), and the provider's in failures. */
  provider: string;
  label: string;
  /** Asks the provider for a token; `refused` is the token it just refused, when that is why. */
  fetch: (refused: string | null, signal: AbortSignal) => Promise<FetchedToken | Failure>;
  /** How long one fetch may take: the lease covers it twice over, and others wait that long. */
  fetchMs: number;
  pollMs?: number;
}): SharedToken {
  const { db, provider, label } = options;
  const leaseName = `${provider}.refresh`;
  const leaseMs = 2 * options.fetchMs + 1_000;
  const pollMs = options.pollMs ?? POLL_MS;
  let cached: { token: string; goodUntil: number } | null = null;
  // One fetch at a time in this process too, per token refused ('' for none).
  const flights = new Map<string, Promise<string | Failure>>();

  const remember = (token: string, expiresAt: Date) => {
    cached = { token, goodUntil: expiresAt.getTime() - TOKEN_MARGIN_MS };
  };

  async function readShared() {
    const [row] = await db
      .select({ token: providerTokens.token, expiresAt: providerTokens.expiresAt })
      .from(providerTokens)
      .where(eq(providerTokens.provider, provider));
    return row ?? null;
  }

  async function claimLease(holder: string): Promise<boolean> {
    const at = now();
    const until = new Date(at.getTime() + leaseMs);
    const rows = await db
      .insert(providerTokens)
      .values({ provider: leaseName, token: holder, expiresAt: until, createdAt: at, updatedAt: at })
      .onConflictDoUpdate({
        target: providerTokens.provider,
        set: { token: holder, expiresAt: until, updatedAt: at },
        // Taken over only once lapsed: a live holder keeps it.
        setWhere: lte(providerTokens.expiresAt, at),
      })
      .returning({ token: providerTokens.token });
    return rows.length === 1;
  }

  async function releaseLease(holder: string): Promise<void> {
    await db
      .delete(providerTokens)
      .where(and(eq(providerTokens.provider, leaseName), eq(providerTokens.token, holder)));
  }

  async function store(token: string, expiresAt: Date): Promise<void> {
    const at = now();
    await db
      .insert(providerTokens)
      .values({ provider, token, expiresAt, createdAt: at, updatedAt: at })
      .onConflictDoUpdate({ target: providerTokens.provider, set: { token, expiresAt, updatedAt: at } });
  }

  async function obtain(refused: string | null, signal: AbortSignal): Promise<string | Failure> {
    const maxWaits = Math.ceil(leaseMs / pollMs) + 1;
    /** The shared token when it is one to use: not the one refused, and not in its last minute. */
    const usable = async () => {
      const shared = await readShared();
      if (!shared || shared.token === refused) return null;
      if (now().getTime() >= shared.expiresAt.getTime() - TOKEN_MARGIN_MS) return null;
      remember(shared.token, shared.expiresAt);
      return shared.token;
    };
    for (let waits = 0; ; waits++) {
      const ready = await usable();
      if (ready) return ready;
      const holder = randomUUID();
      if (await claimLease(holder)) {
        try {
          // Another instance may have stored one between the read and the claim.
          const stored = await usable();
          if (stored) return stored;
          const fetched = await options.fetch(refused, signal);
          if ('ok' in fetched) return fetched;
          const expiresAt = new Date(now().getTime() + fetched.expiresInMs);
          await store(fetched.token, expiresAt);
          remember(fetched.token, expiresAt);
          // Used even if it lasts less than the margin: it is the newest there is.
          return fetched.token;
        } finally {
          await releaseLease(holder).catch(() => {});
        }
      }
      if (waits >= maxWaits)
        return failure(label, 'another instance is still fetching the access token', true);
      try {
        await sleep(pollMs, undefined, { signal });
      } catch {
        return failure(label, 'cancelled while another instance fetched the access token', true);
      }
    }
  }

  function refresh(refused: string | null, signal: AbortSignal): Promise<string | Failure> {
    const key = refused ?? '';
    let flight = flights.get(key);
    if (!flight) {
      flight = obtain(refused, signal).finally(() => flights.delete(key));
      flights.set(key, flight);
    }
    return flight;
  }

  return {
    async current(signal) {
      if (cached && now().getTime() < cached.goodUntil) return cached.token;
      return refresh(null, signal);
    },
    async replace(refused, signal) {
      if (cached?.token === refused) cached = null;
      return refresh(refused, signal);
    },
  };
}
