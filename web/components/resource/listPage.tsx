import type { UseQueryResult } from '@tanstack/react-query';
import { Alert, type TablePaginationConfig } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { type Item, type ListPage, MAX_PAGE_SIZE, type ResourceMeta } from '../../api/resource.ts';
import ForbiddenPage from '../../features/errors/ForbiddenPage.tsx';
import type { Language } from '../../i18n/index.ts';
import { PageLoading } from '../PageLoading.tsx';
import { CellValue } from './CellValue.tsx';
import { cutsLongText, fieldWidth } from './columnWidths.ts';
import { describeError } from './errors.ts';
import { fieldTitle, findField } from './fields.ts';

/**
 * Pieces every list page shares, whether drawn by ResourceList or by a page of its own (the pool,
 * my customers, the sales weights); useResourceListPage puts them together.
 */

/** What to draw instead of the list while its meta loads, fails, or forbids it; null when ready. */
export function useMetaBlocker(metaQuery: UseQueryResult<ResourceMeta>): ReactNode | null {
  const { t } = useTranslation();
  if (metaQuery.isError) {
    const error = metaQuery.error;
    if (error instanceof ApiError && error.status === 403) return <ForbiddenPage />;
    return <Alert type="error" showIcon title={describeError(error, t)} />;
  }
  if (!metaQuery.data) return <PageLoading />;
  if (!metaQuery.data.allowed.list) return <ForbiddenPage />;
  return null;
}

/** The list could not be loaded: why, above the table (which keeps what it showed). */
export function ListLoadError({ query }: { query: UseQueryResult<unknown> }) {
  const { t } = useTranslation();
  if (!query.isError) return null;
  return <Alert type="error" showIcon title={describeError(query.error, t)} role="alert" />;
}

/** A hand-made table's column titles and cells, from the meta's fields. */
export function metaColumns<T extends Record<string, unknown>>(meta: ResourceMeta, language: Language) {
  const field = (key: string) => findField(meta, key);
  return {
    field,
    title: (key: string, fallback: string) => {
      const found = field(key);
      return found ? fieldTitle(found, language) : fallback;
    },
    /** The field's column width (columnWidths.ts), or `fallback` for a column of the page's own. */
    width: (key: string, fallback = 120) => {
      const found = field(key);
      return found ? fieldWidth(found, language) : fallback;
    },
    cell: (key: string) => (_value: unknown, row: T) => {
      const found = field(key);
      return found ? (
        <CellValue field={found} item={row as unknown as Item} cut={cutsLongText(found)} />
      ) : (
        String(row[key] ?? '—')
      );
    },
  };
}

const pageSizeOptions = [10, 20, 50, 100, MAX_PAGE_SIZE];

/** A list table's pagination: the URL's page and size, and the total (or "over N" when capped). */
export function listPagination(
  state: { page: number; pageSize: number },
  data: ListPage<unknown> | undefined,
  t: TFunction,
): TablePaginationConfig {
  return {
    current: state.page,
    pageSize: state.pageSize,
    total: data?.total ?? 0,
    showSizeChanger: true,
    pageSizeOptions,
    showTotal: (total) => t(data?.totalCapped ? 'resource.totalCapped' : 'resource.total', { total }),
  };
}
