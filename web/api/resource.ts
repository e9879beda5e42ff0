import type { FieldDescription } from '../../server/engine/meta-types.ts';
import { api } from './client.ts';

/**
 * The generic resource API (docs/resource-api.md): every model is listed, read, created, edited,
 * deleted and acted on through the same calls, described by `GET /api/meta/<resource>`.
 */

export type { FieldFormat, FieldKind, Option as EnumOption } from '../../server/engine/meta-types.ts';

/** A field as the meta answers it: the server's description, with its defaults filled in. */
export type Field = FieldDescription & {
  list: boolean;
  sortable: boolean;
  form: boolean;
};

export type ResourceAction = {
  name: string;
  title: string;
  titleEn: string;
  destructive: boolean;
  /** False for actions that take a whole ordering rather than a selection (menus' reorder). */
  bulk: boolean;
  /** Asks before running, showing these fields of each selected row (finance's 确认缴费). */
  confirmFields?: string[];
  params?: Field[];
};

export type ResourceMeta = {
  name: string;
  title: string;
  titleEn: string;
  fields: Field[];
  searchFields: string[];
  defaultSort: string;
  labelField: string;
  actions: ResourceAction[];
  allowed: {
    list: boolean;
    create: boolean;
    update: boolean;
    delete: boolean;
    export: boolean;
    actions: Record<string, boolean>;
  };
};

/** An item as the server presents it: the fields of its meta, plus `{ id, … }` objects for refs. */
export type Item = { id: number } & Record<string, unknown>;

export type ListPage<T = Item> = {
  items: T[];
  /** With `totalCapped`, a lower bound: the server stops counting (at 10,000 for most lists). */
  total: number;
  totalCapped?: boolean;
  page: number;
  pageSize: number;
};

export const MAX_PAGE_SIZE = 200;

const base = (resource: string) => `/${encodeURIComponent(resource)}`;

/**
 * Resources whose names anyone signed in may read (`GET /api/options/<resource>`), apart from their
 * lists: a consultant picks courses and names classes without administering either.
 */
const namesOnly = new Set(['users', 'courses', 'classes']);

/** Whether pickers and labels of this resource read its names-only endpoint. */
export const hasNameOptions = (resource: string): boolean => namesOnly.has(resource);

/**
 * The names-only endpoint takes q, id and pageSize (and `open` for classes, `owners` for staff); a lookup by id asks
 * with `id`.
 */
function pickerQuery(query: URLSearchParams): string {
  const picked = new URLSearchParams();
  for (const key of ['q', 'id', 'pageSize', 'open', 'owners']) {
    const value = query.get(key);
    if (value) picked.set(key, value);
  }
  return picked.toString();
}

export const resourceApi = {
  meta: (resource: string) => api.get<ResourceMeta>(`/meta/${encodeURIComponent(resource)}`),
  list: <T = Item>(resource: string, query: URLSearchParams | string) => {
    const search = query.toString();
    return api.get<ListPage<T>>(search ? `${base(resource)}?${search}` : base(resource));
  },
  get: <T = Item>(resource: string, id: number | string) =>
    api.get<T>(`${base(resource)}/${encodeURIComponent(id)}`),
  create: (resource: string, body: Record<string, unknown>) => api.post<Item>(base(resource), body),
  update: (resource: string, id: number | string, body: Record<string, unknown>) =>
    api.patch<Item>(`${base(resource)}/${encodeURIComponent(id)}`, body),
  remove: (resource: string, id: number | string) =>
    api.delete<{ ok: true; id: number }>(`${base(resource)}/${encodeURIComponent(id)}`),
  action: (resource: string, action: string, body: { ids: (number | string)[] } & Record<string, unknown>) =>
    api.post<{ ok: true; affected: number }>(`${base(resource)}/actions/${encodeURIComponent(action)}`, body),
  /**
   * Candidates for a picker of `resource` items: staff, courses and classes come from the
   * names-only endpoints that any signed-in user may read (a manager filtering by consultant need
   * not administer users, nor a consultant courses); other resources from their lists.
   */
  pick: (resource: string, query: URLSearchParams) =>
    hasNameOptions(resource)
      ? api.get<{ items: Item[] }>(`/options/${encodeURIComponent(resource)}?${pickerQuery(query)}`)
      : resourceApi.list(resource, query),
  /** The current list (its search, filters and sort) as an .xlsx download, headed in `lang`. */
  exportUrl: (resource: string, query: URLSearchParams, lang: 'zh' | 'en') => {
    const search = new URLSearchParams(query);
    search.delete('page');
    search.delete('pageSize');
    search.set('lang', lang);
    return `/api${base(resource)}/export?${search.toString()}`;
  },
};

/** Query keys: everything about one resource sits under `['resource', name]`, so one call refreshes it. */
export const resourceKeys = {
  all: ['resource'] as const,
  resource: (resource: string) => ['resource', resource] as const,
  meta: (resource: string) => ['resource', resource, 'meta'] as const,
  list: (resource: string, query: string) => ['resource', resource, 'list', query] as const,
  item: (resource: string, id: number | string) => ['resource', resource, 'item', String(id)] as const,
  options: (resource: string, query: string) => ['resource', resource, 'options', query] as const,
  label: (resource: string, by: string, value: string | number, language: string) =>
    ['resource', resource, 'label', by, String(value), language] as const,
};
