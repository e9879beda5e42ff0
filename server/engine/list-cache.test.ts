import { describe, expect, it } from 'vitest';
import { ListCache, permissionsId } from './list-cache.ts';

const at = new Date('2026-06-01T04:00:00.000Z');
const later = (ms: number) => new Date(at.getTime() + ms);
const quiet = { counter: '7', quiet: true };

describe('the list cache', () => {
  it('answers while the counter stands still, until the instant the list changes by itself', () => {
    const cache = new ListCache<string>();
    expect(cache.set('k', quiet, { at, counter: '7', until: later(60_000) }, 'page')).toBe(true);
    expect(cache.get('k', quiet, later(59_999))).toBe('page');
    expect(cache.get('k', quiet, later(60_000))).toBeUndefined();
  });

  it('forgets a list once anything it shows has changed', () => {
    const cache = new ListCache<string>();
    cache.set('k', quiet, { at, counter: '7', until: null }, 'page');
    expect(cache.get('k', { counter: '8', quiet: true }, at)).toBeUndefined();
    expect(cache.get('k', quiet, at)).toBeUndefined();
  });

  it('keeps nothing read while a writer was open, or after the counter moved under the read', () => {
    const cache = new ListCache<string>();
    expect(cache.set('k', { counter: '7', quiet: false }, { at, counter: '7', until: null }, 'page')).toBe(
      false,
    );
    expect(cache.set('k', quiet, { at, counter: '8', until: null }, 'page')).toBe(false);
    expect(cache.get('k', quiet, at)).toBeUndefined();
  });

  it('does not answer for an instant before the list was read (the test clock goes back)', () => {
    const cache = new ListCache<string>();
    cache.set('k', quiet, { at, counter: '7', until: null }, 'page');
    expect(cache.get('k', quiet, later(-1))).toBeUndefined();
  });

  it('holds at most its size, dropping the oldest', () => {
    const cache = new ListCache<string>(2);
    for (const key of ['a', 'b', 'c']) cache.set(key, quiet, { at, counter: '7', until: null }, key);
    expect(cache.get('a', quiet, at)).toBeUndefined();
    expect([cache.get('b', quiet, at), cache.get('c', quiet, at)]).toEqual(['b', 'c']);
  });

  it('tells permission sets apart by identity', () => {
    const a = new Set(['pool.list']);
    expect(permissionsId(a)).toBe(permissionsId(a));
    expect(permissionsId(new Set(['pool.list']))).not.toBe(permissionsId(a));
  });
});

/** A read of a list that takes a moment and says it saw `counter`; counts how often it ran. */
function slowRead(counter: string) {
  const read = async () => {
    read.runs++;
    await new Promise((resolve) => setTimeout(resolve, 10));
    return { value: `page ${read.runs}`, read: { at, counter, until: null } };
  };
  read.runs = 0;
  return read;
}

describe('the list cache under a burst of the same miss', () => {
  it('reads once for callers who saw the same counter, and each takes it only if it was kept', async () => {
    const cache = new ListCache<string>();
    const read = slowRead('7');
    const answers = await Promise.all(Array.from({ length: 5 }, () => cache.load('k', quiet, at, read)));
    expect(read.runs).toBe(1);
    expect(answers.map((a) => a.status)).toEqual(['stored', 'hit', 'hit', 'hit', 'hit']);
    expect(new Set(answers.map((a) => a.value))).toEqual(new Set(['page 1']));
  });

  it('shares a read the counter moved under, without keeping it', async () => {
    const cache = new ListCache<string>();
    const read = slowRead('8');
    const answers = await Promise.all(Array.from({ length: 3 }, () => cache.load('k', quiet, at, read)));
    expect(read.runs).toBe(1);
    expect(answers.map((a) => a.status)).toEqual(['miss', 'hit', 'hit']);
    expect(cache.get('k', quiet, at)).toBeUndefined();
  });

  it('lets nobody take a read begun while a writer was open', async () => {
    const cache = new ListCache<string>();
    const read = slowRead('7');
    const writing = { counter: '7', quiet: false };
    const answers = await Promise.all(Array.from({ length: 3 }, () => cache.load('k', writing, at, read)));
    expect(read.runs).toBe(3);
    expect(answers.map((a) => a.status)).toEqual(['miss', 'miss', 'miss']);
  });
});
