import type { Seen } from '../db/changes.ts';

/** How a cached list answered, for the Cache-Status header (RFC 9211). */
export type CacheStatus = 'hit' | 'stored' | 'miss';

type Entry<T> = { counter: string; from: number; until: number | null; value: T };

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

  constructor(private readonly max = 1_000) {}

  get(key: string, seen: Seen, at: Date): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const t = at.getTime();
    // Not before it was read either: the test clock can go back.
    if (entry.counter === seen.counter && t >= entry.from && (entry.until === null || t < entry.until)) {
      return entry.value;
    }
    this.entries.delete(key);
    return undefined;
  }

  /**
   * Keeps `value`, read at `at` by a statement that saw `counter`, when that is what the reader
   * saw before it with no writer open; says whether it did.
   */
  set(
    key: string,
    seen: Seen,
    read: { at: Date; counter: string | undefined; until: Date | string | null },
    value: T,
  ): boolean {
    const { counter, until } = read;
    if (!seen.quiet || counter !== seen.counter) return false;
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, {
      counter,
      from: read.at.getTime(),
      until: until === null ? null : new Date(until).getTime(),
      value,
    });
    return true;
  }
}
