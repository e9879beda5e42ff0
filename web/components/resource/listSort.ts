import type { SortOrder } from 'antd/es/table/interface.js';

/**
 * A list's sort as its table draws it and as the URL writes it (`-createdAt,id`): the table shows
 * the arrow of the first key only, and a click sorts by one column.
 */

/** Never back to "unsorted": the server always sorts, by default on the meta's default sort. */
export const SORT_DIRECTIONS: SortOrder[] = ['ascend', 'descend', 'ascend'];

/** A column that sorts by another field, e.g. the pool's "public for" by `releaseAt`, reversed. */
export type SortedBy = { field: string; reversed: boolean };

/** The first key of a sort and its direction, or nothing when the list is in the server's order. */
export function parseSort(sort: string | null): [key: string | null, order: SortOrder] {
  const first = sort?.split(',')[0] ?? '';
  if (!first) return [null, null];
  return first.startsWith('-') ? [first.slice(1), 'descend'] : [first, 'ascend'];
}

/** The arrow a column shows for the list's sort: none unless the sort is by the column's field. */
export function columnSortOrder(sort: string | null, columnKey: string, by?: SortedBy): SortOrder {
  const [key, order] = parseSort(sort);
  if (key !== (by?.field ?? columnKey)) return null;
  return by?.reversed ? reverse(order) : order;
}

/** The URL's sort after a click on a column's sorter; null (the default) when it has none. */
export function sortParam(
  columnKey: string | null,
  order: SortOrder | undefined,
  by?: SortedBy,
): string | null {
  if (!columnKey || !order) return null;
  const descending = (order === 'descend') !== (by?.reversed ?? false);
  return `${descending ? '-' : ''}${by?.field ?? columnKey}`;
}

const reverse = (order: SortOrder): SortOrder =>
  order === 'ascend' ? 'descend' : order === 'descend' ? 'ascend' : null;
