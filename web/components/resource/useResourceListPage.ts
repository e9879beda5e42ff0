import type { UseQueryResult } from '@tanstack/react-query';
import { App, type TablePaginationConfig, type TableProps } from 'antd';
import type { SortOrder } from 'antd/es/table/interface.js';
import { type ReactNode, type RefObject, useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Item, ListPage, ResourceMeta } from '../../api/resource.ts';
import { useMenuTitle } from '../../app/useMenuTitle.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { describeError } from './errors.ts';
import type { FilterBarProps } from './FilterBar.tsx';
import { fieldTitle } from './fields.ts';
import { listPagination, metaColumns, useMetaBlocker } from './listPage.tsx';
import { columnSortOrder, SORT_DIRECTIONS, type SortedBy, sortParam } from './listSort.ts';
import { useOperationsWidth } from './listTable.ts';
import { apiQuery, useListState, validSort } from './useListState.ts';
import { useResourceList, useResourceMeta, useResourceMutations } from './useResource.ts';

export type ListPageOptions = {
  /** The resource's API name, e.g. `pool`. */
  resource: string;
  /**
   * The query of a page that shows one whole list in a fixed order (the sales weights); without it,
   * the list follows the URL's search, filters, sort and page.
   */
  query?: URLSearchParams;
  /** Send no sort unless the user chose one, so that the server's own order applies (my customers). */
  serverOrder?: boolean;
  /** Ask for the page again this often (ms) while the tab is visible (the pool). */
  refreshEvery?: number;
  /** The operations column's expected width, before its buttons are drawn and measured. */
  operationsWidth?: (meta: ResourceMeta) => number;
  /** Columns that sort by another field, by column key (the pool's "public for"). */
  sortedBy?: Record<string, SortedBy>;
  /** Whether changes may alter the signed-in user's menus or permissions (roles, menus…). */
  refreshesMe?: boolean;
};

/** What a column spreads in to sort on the server: its sorter and the arrow the URL's sort gives it. */
export type ColumnSort = { sorter: boolean; sortDirections: SortOrder[]; sortOrder: SortOrder };

/** A list page once its meta has loaded and the user may read the list. */
export type ResourceListPage<T extends Item> = {
  meta: ResourceMeta;
  /** The URL's search, filters, sort and page, and their setters. */
  list: ReturnType<typeof useListState>;
  /** The API query of the rows on screen. */
  query: URLSearchParams;
  /** The rows on screen. */
  page: UseQueryResult<ListPage<T>>;
  /** The heading: the side menu's title for the page, else the resource's. */
  title: string;
  /** Whether a search or a filter narrows the list (an empty list then says so). */
  filtered: boolean;
  /** Whether the table spins. */
  loading: boolean;
  mutations: ReturnType<typeof useResourceMutations>;
  /** Deletes a row and says how it went. */
  remove: (id: number | string) => Promise<void>;
  /** Titles, widths and cells for columns that show one of the meta's fields. */
  fields: ReturnType<typeof metaColumns<T>>;
  sortable: (columnKey: string) => ColumnSort;
  /** What the list's table takes (ListTable.tsx). */
  table: {
    /** The box the operations column is measured in. */
    ref: RefObject<HTMLDivElement | null>;
    operationsWidth: number;
    pagination: TablePaginationConfig;
    onChange: TableProps<T>['onChange'];
  };
  filterBar: FilterBarProps;
};

/**
 * What every list page needs before it draws its own columns: the meta (and what to show while it
 * loads, fails or forbids the list), the URL-synced list state and the page of rows it asks for,
 * paging and sorting for the table, the heading, and deleting a row. ResourceList draws any
 * resource with it; the pool, my customers and the sales weights draw their own tables on it.
 */
export function useResourceListPage<T extends Item>(
  options: ListPageOptions,
): { view: ResourceListPage<T>; blocker: null } | { view: null; blocker: ReactNode } {
  const { resource, query: fixedQuery, serverOrder = false, refreshEvery, sortedBy = {} } = options;
  const { t } = useTranslation();
  const { message } = App.useApp();
  const language = currentLanguage();
  const menuTitle = useMenuTitle();
  const metaQuery = useResourceMeta(resource);
  const meta = metaQuery.data;
  const list = useListState();
  const query = useMemo(
    () => (meta ? (fixedQuery ?? apiQuery(list.state, meta, { defaultSort: !serverOrder })) : null),
    [list.state, meta, fixedQuery, serverOrder],
  );
  const page = useResourceList<T>(resource, query, { refreshEvery });
  const mutations = useResourceMutations(resource, { refreshesMe: options.refreshesMe });
  const [operationsWidth, tableRef] = useOperationsWidth(
    meta ? (options.operationsWidth?.(meta) ?? 0) : 0,
    page.data,
    language,
  );
  useStepBackPastEnd(fixedQuery ? undefined : page, list);
  const blocker = useMetaBlocker(metaQuery);
  if (blocker || !meta || !query) return { view: null, blocker };

  const sort = validSort(list.state.sort, meta) ?? (serverOrder ? null : meta.defaultSort);
  const fields = metaColumns<T>(meta, language);
  // A list that refreshes itself, or shows one list edited in place, must not blink at each refresh:
  // only its first load and a new query spin.
  const quiet = refreshEvery !== undefined || fixedQuery !== undefined;

  return {
    blocker: null,
    view: {
      meta,
      list,
      query,
      page,
      title: menuTitle ?? fieldTitle(meta, language),
      filtered: list.state.q !== '' || Object.keys(list.state.filters).length > 0,
      loading: quiet ? page.isLoading || (page.isFetching && page.isPlaceholderData) : page.isFetching,
      mutations,
      remove: async (id) => {
        try {
          await mutations.remove.mutateAsync(id);
          message.success(t('resource.deleted'));
        } catch (error) {
          message.error(describeError(error, t));
        }
      },
      fields,
      sortable: (columnKey) => {
        const by = sortedBy[columnKey];
        return {
          sorter: fields.field(by?.field ?? columnKey)?.sortable ?? false,
          sortDirections: SORT_DIRECTIONS,
          sortOrder: columnSortOrder(sort, columnKey, by),
        };
      },
      table: {
        ref: tableRef,
        operationsWidth,
        pagination: listPagination(list.state, page.data, t),
        onChange: (pagination, _filters, sorter, extra) => {
          if (extra.action === 'sort' && !Array.isArray(sorter)) {
            const key = typeof sorter.columnKey === 'string' ? sorter.columnKey : null;
            list.setSort(sortParam(key, sorter.order, key ? sortedBy[key] : undefined));
          } else if (extra.action === 'paginate') {
            list.setPage(pagination.current ?? 1, pagination.pageSize ?? list.state.pageSize);
          }
        },
      },
      filterBar: {
        meta,
        state: list.state,
        onSearch: list.setQ,
        onFilter: list.setFilter,
        onReset: list.reset,
      },
    },
  };
}

/** Removing the last rows of the last page leaves the user past the end: step back. */
function useStepBackPastEnd(
  page: { isPlaceholderData: boolean; data?: ListPage<Item> } | undefined,
  list: ReturnType<typeof useListState>,
): void {
  const total = !page || page.isPlaceholderData ? undefined : page.data?.total;
  const capped = page?.data?.totalCapped;
  const { setPage } = list;
  const { page: pageNumber, pageSize } = list.state;
  useEffect(() => {
    if (total === undefined || capped) return;
    const last = Math.max(1, Math.ceil(total / pageSize));
    if (pageNumber > last) setPage(last, pageSize);
  }, [total, capped, pageNumber, pageSize, setPage]);
}
