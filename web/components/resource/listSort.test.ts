import { describe, expect, test } from 'vitest';
import { columnSortOrder, parseSort, sortParam } from './listSort.ts';

describe("a list table's sort", () => {
  test("the first key of the URL's sort is the one the table shows", () => {
    expect(parseSort('-createdAt,id')).toEqual(['createdAt', 'descend']);
    expect(parseSort('name')).toEqual(['name', 'ascend']);
    expect(parseSort('')).toEqual([null, null]);
    expect(parseSort(null)).toEqual([null, null]);
  });

  test('a column shows an arrow only for its own field', () => {
    expect(columnSortOrder('-createdAt', 'createdAt')).toBe('descend');
    expect(columnSortOrder('-createdAt', 'name')).toBe(null);
    expect(columnSortOrder(null, 'name')).toBe(null);
  });

  test('a click sorts by the column, and a cleared sorter goes back to the default', () => {
    expect(sortParam('name', 'ascend')).toBe('name');
    expect(sortParam('name', 'descend')).toBe('-name');
    expect(sortParam('name', null)).toBe(null);
    expect(sortParam(null, 'ascend')).toBe(null);
  });

  test('a column sorted by another field, reversed, reads and writes that field', () => {
    // The pool's "public for": longest first is the earliest release first.
    const publicFor = { field: 'releaseAt', reversed: true };
    expect(sortParam('publicFor', 'ascend', publicFor)).toBe('-releaseAt');
    expect(sortParam('publicFor', 'descend', publicFor)).toBe('releaseAt');
    expect(columnSortOrder('releaseAt', 'publicFor', publicFor)).toBe('descend');
    expect(columnSortOrder('-releaseAt', 'publicFor', publicFor)).toBe('ascend');
    expect(columnSortOrder('name', 'publicFor', publicFor)).toBe(null);
  });
});
