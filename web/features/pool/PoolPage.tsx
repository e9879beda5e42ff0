import { SyncOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Empty,
  Flex,
  Space,
  Table,
  type TableColumnsType,
  type TableProps,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { SortOrder } from 'antd/es/table/interface.js';
import dayjs from 'dayjs';
import { type MouseEvent, type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { type ListPage, resourceKeys } from '../../api/resource.ts';
import { formatDateTime } from '../../app/time.ts';
import { useCurrentUser } from '../../app/useMe.ts';
import { useMenuTitle } from '../../app/useMenuTitle.ts';
import { buttonsWidth, tableWidth } from '../../components/resource/columnWidths.ts';
import { describeError } from '../../components/resource/errors.ts';
import { FilterBar } from '../../components/resource/FilterBar.tsx';
import { fieldTitle } from '../../components/resource/fields.ts';
import {
  listPagination,
  metaColumns,
  useMetaBlocker,
  useStepBackPastEnd,
} from '../../components/resource/listPage.tsx';
import { listTableLayout, sized, useOperationsWidth } from '../../components/resource/listTable.ts';
import { apiQuery, useListState, validSort } from '../../components/resource/useListState.ts';
import { useResourceMeta } from '../../components/resource/useResource.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { grabCustomer, type PoolItem, type ReleasedReason, usePoolPage, withoutCustomer } from './api.ts';
import { formatDuration } from './durations.ts';
import { useNow } from './useNow.ts';

const reasonColors: Record<ReleasedReason, string> = {
  no_followup: 'orange',
  no_deal: 'volcano',
  unassigned: 'blue',
};

/**
 * The public pool (公海, docs/spec.md §3): customers nobody follows any more, with masked contacts, why and
 * for how long they have been public, and who had them last. A consultant grabs one (抢单); of any
 * number of simultaneous grabbers exactly one wins, and the others are told so. The list refreshes
 * itself (see `usePoolPage`), keeps its search, filters, sort and page in the URL.
 */
export default function PoolPage() {
  const { t } = useTranslation();
  const { message, notification } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useCurrentUser();
  const canGrab = me.permissions.includes('customer.grab');
  const language = currentLanguage();
  const pageTitle = useMenuTitle();
  const now = useNow();

  const metaQuery = useResourceMeta('pool');
  const meta = metaQuery.data;
  const list = useListState();
  const query = useMemo(() => (meta ? apiQuery(list.state, meta) : null), [list.state, meta]);
  const page = usePoolPage(query);
  const [grabbing, setGrabbing] = useState<number | null>(null);
  const [grabWidth, table] = useOperationsWidth(buttonsWidth([t('pool.grab')]), page.data, language);

  useStepBackPastEnd(page, list);
  const blocker = useMetaBlocker(metaQuery);
  if (blocker || !meta) return blocker;

  /** The row leaves every cached page at once; the refetch that follows confirms it. */
  const dropRow = (customerId: number) => {
    queryClient.setQueriesData<ListPage<PoolItem>>(
      { queryKey: [...resourceKeys.resource('pool'), 'list'] },
      (old) => withoutCustomer(old, customerId),
    );
  };

  const openCustomer = (customerId: number) => (event: MouseEvent) => {
    event.preventDefault();
    void navigate(`/customers/${customerId}`);
  };

  const grab = async (item: PoolItem) => {
    setGrabbing(item.id);
    try {
      await grabCustomer(item.id);
      dropRow(item.id);
      // The message lives outside the router, so its link navigates through this page's router.
      message.success({
        key: `grab-${item.id}`,
        duration: 8,
        content: (
          <span data-testid="grab-success">
            {t('pool.grabbed', { name: item.name })}{' '}
            <a
              href={`/customers/${item.id}`}
              onClick={openCustomer(item.id)}
              data-testid="grab-view-customer"
            >
              {t('pool.viewCustomer')}
            </a>
          </span>
        ),
      });
    } catch (error) {
      if (error instanceof ApiError && (error.code === 'already_taken' || error.status === 404)) {
        // Someone else was quicker (or the customer is gone): the row is stale.
        dropRow(item.id);
        message.warning({
          key: `grab-${item.id}`,
          content: <span data-testid="grab-taken">{t('pool.alreadyTaken', { name: item.name })}</span>,
        });
      } else {
        // The limits and the last-owner rule name their numbers: the server's params, in the user's words.
        notification.error({
          key: `grab-${item.id}`,
          title: t('pool.grabFailed'),
          description: <span data-testid="grab-refused">{describeError(error, t)}</span>,
        });
      }
    } finally {
      setGrabbing(null);
      // The pool, the caller's customers and the customers list all changed.
      void queryClient.invalidateQueries({ queryKey: resourceKeys.all });
    }
  };

  const sort = validSort(list.state.sort, meta) ?? meta.defaultSort;
  const [sortKey, sortOrder] = parseSort(sort);
  const { field, title, cell, width } = metaColumns<PoolItem>(meta, language);
  const sortable = (key: string) => ({
    sorter: field(key)?.sortable ?? false,
    sortDirections: ['ascend', 'descend', 'ascend'] as SortOrder[],
    sortOrder: key === sortKey ? sortOrder : null,
  });
  const empty = <Typography.Text type="secondary">—</Typography.Text>;

  const columns: TableColumnsType<PoolItem> = [
    { key: 'name', dataIndex: 'name', title: title('name', t('pool.name')), ...sortable('name') },
    { key: 'phone', title: title('phone', t('pool.phone')), render: cell('phone') },
    { key: 'qq', title: title('qq', 'QQ'), render: cell('qq') },
    {
      key: 'source',
      title: title('source', t('pool.source')),
      render: cell('source'),
      ...sortable('source'),
    },
    { key: 'courseIds', title: title('courseIds', t('pool.courses')), render: cell('courseIds') },
    {
      key: 'releasedReason',
      title: title('releasedReason', t('pool.reason')),
      render: (_value, item) => {
        const reasonField = field('releasedReason');
        const label = reasonField
          ? (reasonField.options?.find((option) => option.value === item.releasedReason) ?? null)
          : null;
        return (
          <Tag color={reasonColors[item.releasedReason] ?? 'default'} data-testid="pool-reason">
            {label ? fieldTitle(label, language) : t(`pool.reasons.${item.releasedReason}`)}
          </Tag>
        );
      },
    },
    {
      // How long it has been public: the longer, the earlier it became public (sort=releaseAt).
      key: 'publicFor',
      title: t('pool.publicFor'),
      sorter: field('releaseAt')?.sortable ?? false,
      sortDirections: ['ascend', 'descend', 'ascend'],
      sortOrder: sortKey === 'releaseAt' ? invert(sortOrder) : null,
      render: (_value, item) =>
        item.publicSince ? (
          <Tooltip title={formatDateTime(item.publicSince)}>
            <span data-testid="pool-public-for">
              {formatDuration(now - dayjs(item.publicSince).valueOf(), t)}
            </span>
          </Tooltip>
        ) : (
          empty
        ),
    },
    {
      key: 'previousConsultant',
      title: title('previousConsultantId', t('pool.previousConsultant')),
      render: (_value, item) => item.previousConsultant?.name ?? empty,
    },
  ];
  if (canGrab) {
    columns.push({
      key: '$grab',
      title: t('resource.operations'),
      fixed: 'end',
      render: (_value, item) => (
        <Button
          type="primary"
          size="small"
          icon={<ThunderboltOutlined />}
          loading={grabbing === item.id}
          disabled={grabbing !== null && grabbing !== item.id}
          onClick={() => void grab(item)}
          data-testid={`grab-${item.id}`}
        >
          {t('pool.grab')}
        </Button>
      ),
    });
  }

  const widths = sized(columns, {
    name: width('name'),
    phone: width('phone'),
    qq: width('qq'),
    source: width('source'),
    courseIds: width('courseIds'),
    releasedReason: width('releasedReason'),
    publicFor: 130,
    previousConsultant: width('previousConsultantId'),
    $grab: grabWidth,
  });

  const onChange: TableProps<PoolItem>['onChange'] = (pagination, _filters, sorter, extra) => {
    if (extra.action === 'sort' && !Array.isArray(sorter)) {
      const key = typeof sorter.columnKey === 'string' ? sorter.columnKey : null;
      if (!key || !sorter.order) list.setSort(null);
      else if (key === 'publicFor') list.setSort(sorter.order === 'ascend' ? '-releaseAt' : 'releaseAt');
      else list.setSort(sorter.order === 'descend' ? `-${key}` : key);
    } else if (extra.action === 'paginate') {
      list.setPage(pagination.current ?? 1, pagination.pageSize ?? list.state.pageSize);
    }
  };

  const filtered = list.state.q !== '' || Object.keys(list.state.filters).length > 0;
  return (
    <Flex vertical gap={16} data-testid="pool-page">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {pageTitle ?? fieldTitle(meta, language)}
        </Typography.Title>
        <Typography.Text type="secondary">
          <Space size={6}>
            <SyncOutlined spin={page.isFetching} />
            {t('pool.autoRefresh')}
          </Space>
        </Typography.Text>
      </Flex>
      <FilterBar
        meta={meta}
        state={list.state}
        onSearch={list.setQ}
        onFilter={list.setFilter}
        onReset={list.reset}
      />
      {page.isError && <Alert type="error" showIcon title={describeError(page.error, t)} role="alert" />}
      <div ref={table}>
        <Table<PoolItem>
          rowKey="id"
          columns={widths}
          dataSource={page.data?.items ?? []}
          // Only the first load spins: the silent refresh every few seconds must not blink the table.
          loading={page.isLoading || (page.isFetching && page.isPlaceholderData)}
          onChange={onChange}
          {...listTableLayout(tableWidth(widths))}
          pagination={listPagination(list.state, page.data, t)}
          locale={{ emptyText: <EmptyPool filtered={filtered} /> }}
        />
      </div>
    </Flex>
  );
}

function EmptyPool({ filtered }: { filtered: boolean }): ReactNode {
  const { t } = useTranslation();
  return (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={filtered ? t('resource.emptyFiltered') : t('pool.empty')}
    />
  );
}

function parseSort(sort: string): [string | null, SortOrder] {
  const first = sort.split(',')[0] ?? '';
  if (!first) return [null, null];
  return first.startsWith('-') ? [first.slice(1), 'descend'] : [first, 'ascend'];
}

const invert = (order: SortOrder): SortOrder =>
  order === 'ascend' ? 'descend' : order === 'descend' ? 'ascend' : null;
