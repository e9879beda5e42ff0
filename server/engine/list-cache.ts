import type { Seen } from '../db/changes.ts';

/** How a cached list answered, for the Cache-Status header (RFC 9211). */
export type CacheStatus = 'hit' | 'stored' | 'miss';

type Entry<T> = { read: ListRead; value: T };

/** What a list's statement saw: when it ran, the counter it read, the next instant it changes. */
export type ListRead = { at: Date; counter: string | undefined; until: Date | string | null };

/** A permission set's identity: the permission cache hands out one set per user and grant epoch. */
const setIds = new WeakMap<ReadonlySet<string>, number>();
let nextSetId = 0;
export function permissionsId(permissions: ReadonlySet<string>): number {
  let id = setIds.get(permissions);
  if (id === undefined) {
    id = ++nextSetId;
    setIds.set(permissions, id);
  }
  return id;
}

/**
 * Lists kept in this process while their watch stands still (db/changes.ts) and until the instant
 * they were told their answer changes by itself (a deadline passing). At most `max` entries: the
 * oldest go first.
 */
export class ListCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  /** Reads under way, so that a burst of the same miss (a deadline passing) reads once. */
  private readonly flights = new Map<
    string,
    { counter: string; done: Promise<{ value: T; read: ListRead }> }
  >();

  constructor(private readonly max = 1_000) {}

  get(key: string, seen: Seen, at: Date): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // Not before it was read either: the test clock can go back.
    if (entry.read.counter === seen.counter && holds(entry.read, at)) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /**
   * Keeps `value`, read at `read.at` by a statement that saw `read.counter`, when that is what the
   * reader saw before it with no writer open; says whether it did.
   */
  set(key: string, seen: Seen, read: ListRead, value: T): boolean {
    if (!seen.quiet || read.counter !== seen.counter) return false;
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { read, value });
    return true;
  }

  /**
   * The kept list, else `read()`'s, kept when it may be. A caller that finds the same read under
   * way, started with no writer open and the same counter it saw, takes that read's answer instead
   * of reading again: every change committed before either caller arrived is in it (a change the
   * first read could miss would have moved the counter the second one saw).
   */
  async load(
    key: string,
    seen: Seen,
    at: Date,
    read: () => Promise<{ value: T; read: ListRead }>,
  ): Promise<{ value: T; status: CacheStatus }> {
    const kept = this.get(key, seen, at);
    if (kept !== undefined) return { value: kept, status: 'hit' };
    const flight = this.flights.get(key);
    if (flight?.counter === seen.counter) {
      const shared = await flight.done.catch(() => undefined);
      if (shared && holds(shared.read, at)) return { value: shared.value, status: 'hit' };
    }
    const mine = read().then((answer) => ({
      ...answer,
      stored: this.set(key, seen, answer.read, answer.value),
    }));
    // A read begun with a writer open may miss that writer's work: nobody else may take it.
    if (seen.quiet) this.flights.set(key, { counter: seen.counter, done: mine });
    try {
      const { value, stored } = await mine;
      return { value, status: stored ? 'stored' : 'miss' };
    } finally {
      if (this.flights.get(key)?.done === mine) this.flights.delete(key);
    }
  }
}

/** A read made at `read.at` answers for `at` if nothing changes by itself in between. */
function holds(read: ListRead, at: Date): boolean {
  const t = at.getTime();
  return t >= read.at.getTime() && (read.until === null || t < new Date(read.until).getTime());
}
