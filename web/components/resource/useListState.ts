import { useCallback, useMemo, useRef } from 'react';
import { useSearchParams } from 'react-router';
import { MAX_PAGE_SIZE, type ResourceMeta } from '../../api/resource.ts';

/**
 * A list's whole state — search, filters, sort, page and page size — lives in the URL's search
 * params, written exactly as the API takes them (`status=a,b`, `createdAt=2026-01-01..`). The back
 * button, a reload, a shared link and returning from a form therefore all land on the same list.
 */
export type ListState = {
  q: string;
  page: number;
  pageSize: number;
  /** As in the URL; null means the resource's default sort. */
  sort: string | null;
  /** Filter values in the API's syntax, by field key. */
  filters: Record<string, string>;
};

export const DEFAULT_PAGE_SIZE = 20;
/** `?id=7` (or `7,9`): only those records, as a link to one record in its list opens it. */
export const ONE_RECORD = 'id';
const reserved = new Set(['q', 'page', 'pageSize', 'sort']);

export function parseListState(params: URLSearchParams): ListState {
  const filters: Record<string, string> = {};
  for (const [key, value] of params) {
    if (!reserved.has(key) && value !== '') filters[key] = value;
  }
  return {
    q: params.get('q') ?? '',
    page: positiveInt(params.get('page'), 1, Number.MAX_SAFE_INTEGER),
    pageSize: positiveInt(params.get('pageSize'), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
    sort: params.get('sort') || null,
    filters,
  };
}

/**
 * The API query for a state. Only what the meta knows goes out: the server refuses unknown
 * parameters, and a stale bookmark should not break the page. Without `defaultSort`, no sort goes
 * out unless the user chose one, so that the server's own order applies (my customers: by status
 * group, then newest first).
 */
export function apiQuery(
  state: ListState,
  meta: ResourceMeta,
  { paged = true, defaultSort = true } = {},
): URLSearchParams {
  const query = new URLSearchParams();
  if (state.q.trim()) query.set('q', state.q.trim());
  if (state.filters[ONE_RECORD]) query.set(ONE_RECORD, state.filters[ONE_RECORD]);
  for (const field of meta.fields) {
    const value = state.filters[field.key];
    if (field.filter && value) query.set(field.key, value);
  }
  const sort = validSort(state.sort, meta) ?? (defaultSort ? meta.defaultSort : null);
  if (sort) query.set('sort', sort);
  if (paged) {
    query.set('page', String(state.page));
    query.set('pageSize', String(state.pageSize));
  }
  return query;
}

/** The URL's sort when every key in it is a sortable field, else null (the default applies). */
export function validSort(sort: string | null, meta: ResourceMeta): string | null {
  if (!sort) return null;
  const keys = sort.split(',').map((part) => part.replace(/^-/, ''));
  const ok = keys.every((key) => meta.fields.some((field) => field.key === key && field.sortable));
  return ok ? sort : null;
}

export function useListState() {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => parseListState(params), [params]);
  // The URL as last written, not as last drawn: react-router hands a functional update the params
  // of the last render, so two changes before the next render (pick a consultant, then search)
  // would lose the first.
  const latest = useRef(params);
  const drawn = useRef(params);
  if (drawn.current !== params) {
    drawn.current = params;
    latest.current = params;
  }

  const update = useCallback(
    (change: (next: URLSearchParams) => void, { resetPage = true } = {}) => {
      const next = new URLSearchParams(latest.current);
      change(next);
      if (resetPage) next.delete('page');
      latest.current = next;
      setParams(next);
    },
    [setParams],
  );

  const actions = useMemo(
    () => ({
      setQ: (q: string) => update((next) => setOrDelete(next, 'q', q.trim())),
      setFilter: (key: string, value: string | null) => update((next) => setOrDelete(next, key, value)),
      setSort: (sort: string | null) => update((next) => setOrDelete(next, 'sort', sort)),
      setPage: (page: number, pageSize: number) =>
        update(
          (next) => {
            setOrDelete(next, 'page', page > 1 ? String(page) : null);
            setOrDelete(next, 'pageSize', pageSize !== DEFAULT_PAGE_SIZE ? String(pageSize) : null);
          },
          { resetPage: false },
        ),
      /** Clears the search and every filter; keeps the sort and the page size. */
      reset: () =>
        update((next) => {
          for (const key of [...next.keys()]) if (key !== 'sort' && key !== 'pageSize') next.delete(key);
        }),
    }),
    [update],
  );

  return { state, ...actions };
}

function setOrDelete(params: URLSearchParams, key: string, value: string | null): void {
  if (value === null || value === '') params.delete(key);
  else params.set(key, value);
}

function positiveInt(value: string | null, fallback: number, max: number): number {
  const number = Number(value);
  return Number.isInteger(number) && number >= 1 ? Math.min(number, max) : fallback;
}
