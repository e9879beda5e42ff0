import { ClockCircleOutlined, MessageOutlined, PayCircleOutlined, WarningOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Empty,
  Flex,
  Input,
  Space,
  Table,
  type TableColumnsType,
  type TableProps,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { SortOrder } from 'antd/es/table/interface.js';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Item, ResourceMeta } from '../../api/resource.ts';
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
import { apiQuery, type ListState, useListState, validSort } from '../../components/resource/useListState.ts';
import { useResourceList, useResourceMeta } from '../../components/resource/useResource.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { FollowUpModal } from '../customers/FollowUpForm.tsx';
import { type PayingCustomer, PaymentModal } from '../payments/PaymentModal.tsx';
import { DAY_MS, formatDuration } from '../pool/durations.ts';
import { useNow } from '../pool/useNow.ts';
import { type PeriodStatus, statusColors, tabOf, tabs } from './tabs.ts';

/** One row of `GET /api/my-customers` (server/modules/distributions/my-customers.ts). */
type MyCustomer = Item & {
  customerId: number;
  status: PeriodStatus;
  via: string;
  startedAt: string;
  endedAt: string | null;
  customer: {
    id: number;
    name: string;
    phone: string | null;
    qq: string | null;
    wechat: string | null;
    status: string;
    lastConsultAt: string | null;
    releaseAt: string | null;
  } | null;
  /** Days (fractional) until the customer is released; only on the live following period. */
  daysLeft: number | null;
  /** The caller's own last follow-up within this period (not a later owner's). */
  lastFollowUpAt: string | null;
};

/**
 * 我的客户 (docs/spec.md §3): the caller's periods of ownership, following first, then released, enrolled
 * last. Tabs pick a group of statuses (the `status` filter in the URL, as the API takes it); each
 * following row counts down to its release, and a quick follow-up restarts that clock.
 */
export default function MyCustomersPage() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const pageTitle = useMenuTitle();
  const me = useCurrentUser();
  const canFollowUp = me.permissions.includes('consult_record.create');
  const canPay = me.permissions.includes('payment_record.create');
  const now = useNow();

  const metaQuery = useResourceMeta('my-customers');
  const meta = metaQuery.data;
  const list = useListState();
  const query = useMemo(() => (meta ? myQuery(list.state, meta) : null), [list.state, meta]);
  const page = useResourceList<MyCustomer>('my-customers', query);
  const [followingUp, setFollowingUp] = useState<{ id: number; name: string } | null>(null);
  const [paying, setPaying] = useState<PayingCustomer | null>(null);
  const [q, setQ] = useState(list.state.q);
  useEffect(() => setQ(list.state.q), [list.state.q]);
  const [operationsWidth, table] = useOperationsWidth(
    buttonsWidth([t('myCustomers.followUp')]),
    page.data,
    language,
  );

  useStepBackPastEnd(page, list);
  const blocker = useMetaBlocker(metaQuery);
  if (blocker || !meta) return blocker;

  const tab = tabOf(list.state.filters.status);
  // The tabs are the status filter; the filter bar offers the others (via, start date).
  const barMeta: ResourceMeta = {
    ...meta,
    searchFields: [],
    fields: meta.fields.filter((field) => field.key !== 'status' && field.key !== 'customerId'),
  };
  const { field, title, cell, width } = metaColumns<MyCustomer>(meta, language);
  const sort = validSort(list.state.sort, meta);
  const [sortKey, sortOrder] = parseSort(sort);
  const sortable = (key: string) => ({
    sorter: field(key)?.sortable ?? false,
    sortDirections: ['ascend', 'descend', 'ascend'] as SortOrder[],
    sortOrder: key === sortKey ? sortOrder : null,
  });
  const empty = <Typography.Text type="secondary">—</Typography.Text>;
  // The countdown starts from `daysLeft` as the server computed it when the page was fetched.
  const fetchedAt = page.dataUpdatedAt || now;

  const columns: TableColumnsType<MyCustomer> = [
    {
      key: 'customerId',
      title: title('customerId', t('myCustomers.customer')),
      ...sortable('customerId'),
      render: (_value, row) =>
        row.customer ? (
          <Link
            to={`/customers/${row.customer.id}`}
            // The customer's page leads back here, as it was (tab, search, page).
            state={{ fromList: true, list: '/my-customers' }}
            data-testid={`my-customer-${row.customer.id}`}
          >
            {row.customer.name}
          </Link>
        ) : (
          `#${row.customerId}`
        ),
    },
    { key: 'phone', title: t('myCustomers.phone'), render: (_value, row) => row.customer?.phone || empty },
    { key: 'via', title: title('via', t('myCustomers.via')), render: cell('via'), ...sortable('via') },
    {
      key: 'startedAt',
      title: title('startedAt', t('myCustomers.startedAt')),
      render: cell('startedAt'),
      ...sortable('startedAt'),
    },
    {
      key: 'lastConsultAt',
      title: t('myCustomers.lastConsultAt'),
      render: (_value, row) => (row.lastFollowUpAt ? formatDateTime(row.lastFollowUpAt) : empty),
    },
    {
      key: 'countdown',
      title: t('myCustomers.countdown'),
      render: (_value, row) => <Countdown row={row} elapsed={Math.max(0, now - fetchedAt)} />,
    },
    {
      key: 'status',
      title: title('status', t('myCustomers.status')),
      ...sortable('status'),
      render: (_value, row) => (
        <Tag color={statusColors[row.status] ?? 'default'} data-testid="my-customer-status">
          {cell('status')(undefined, row)}
        </Tag>
      ),
    },
  ];
  if (canFollowUp || canPay) {
    columns.push({
      key: '$operations',
      title: t('resource.operations'),
      fixed: 'end',
      // A period still running, or the one that ended in enrolment: the customer is the caller's.
      render: (_value, row) => {
        const customer = row.customer;
        if (!customer || (row.status !== 'following' && row.status !== 'enrolled')) return null;
        return (
          <Space size={0} wrap={false}>
            {canFollowUp && row.status === 'following' && (
              <Button
                type="link"
                size="small"
                icon={<MessageOutlined />}
                onClick={() => setFollowingUp({ id: customer.id, name: customer.name })}
                data-testid={`quick-follow-up-${customer.id}`}
              >
                {t('myCustomers.followUp')}
              </Button>
            )}
            {canPay && (
              <Button
                type="link"
                size="small"
                icon={<PayCircleOutlined />}
                onClick={() => setPaying({ id: customer.id, name: customer.name, status: customer.status })}
                data-testid={`quick-pay-${customer.id}`}
              >
                {t('myCustomers.pay')}
              </Button>
            )}
          </Space>
        );
      },
    });
  }

  const widths = sized(columns, {
    customerId: 130,
    phone: 130,
    via: width('via'),
    startedAt: width('startedAt'),
    lastConsultAt: 150,
    countdown: 180,
    status: width('status'),
    $operations: operationsWidth,
  });

  const onChange: TableProps<MyCustomer>['onChange'] = (pagination, _filters, sorter, extra) => {
    if (extra.action === 'sort' && !Array.isArray(sorter)) {
      const key = typeof sorter.columnKey === 'string' ? sorter.columnKey : null;
      list.setSort(key && sorter.order ? (sorter.order === 'descend' ? `-${key}` : key) : null);
    } else if (extra.action === 'paginate') {
      list.setPage(pagination.current ?? 1, pagination.pageSize ?? list.state.pageSize);
    }
  };

  const filtered = list.state.q !== '' || Object.keys(list.state.filters).length > 0;
  return (
    <Flex vertical gap={16} data-testid="my-customers-page">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {pageTitle ?? fieldTitle(meta, language)}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) =>
          list.setFilter('status', tabs.find((entry) => entry.key === key)?.statuses ?? null)
        }
        items={tabs.map((entry) => ({ key: entry.key, label: t(`myCustomers.tabs.${entry.key}`) }))}
        style={{ marginBottom: -16 }}
      />
      <Flex wrap gap={8} align="center">
        <Input.Search
          aria-label={t('resource.search')}
          placeholder={t('myCustomers.searchPlaceholder')}
          allowClear
          value={q}
          onChange={(event) => setQ(event.target.value)}
          onSearch={(value) => list.setQ(value)}
          style={{ width: 280 }}
        />
        <FilterBar
          meta={barMeta}
          state={list.state}
          onSearch={list.setQ}
          onFilter={list.setFilter}
          // Clearing the filters keeps the tab the user is on.
          onReset={() => {
            list.setQ('');
            for (const key of Object.keys(list.state.filters))
              if (key !== 'status') list.setFilter(key, null);
          }}
        />
      </Flex>
      {page.isError && <Alert type="error" showIcon title={describeError(page.error, t)} role="alert" />}
      <div ref={table}>
        <Table<MyCustomer>
          rowKey="id"
          columns={widths}
          dataSource={page.data?.items ?? []}
          loading={page.isFetching}
          onChange={onChange}
          {...listTableLayout(tableWidth(widths))}
          pagination={listPagination(list.state, page.data, t)}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={filtered ? t('resource.emptyFiltered') : t('myCustomers.empty')}
              />
            ),
          }}
        />
      </div>
      <FollowUpModal customer={followingUp} onClose={() => setFollowingUp(null)} />
      <PaymentModal customer={paying} onClose={() => setPaying(null)} />
    </Flex>
  );
}

/** Time left before release, ticking down; red with a warning under a day. */
function Countdown({ row, elapsed }: { row: MyCustomer; elapsed: number }) {
  const { t } = useTranslation();
  if (row.daysLeft === null) return <Typography.Text type="secondary">—</Typography.Text>;
  const left = row.daysLeft * DAY_MS - elapsed;
  if (left <= 0) {
    return (
      <Tag color="red" data-testid="countdown">
        {t('myCustomers.overdue')}
      </Tag>
    );
  }
  const urgent = left < DAY_MS;
  return (
    <Typography.Text type={urgent ? 'danger' : undefined} data-testid="countdown">
      <Space size={4}>
        {urgent ? <WarningOutlined /> : <ClockCircleOutlined />}
        {t('myCustomers.left', { duration: formatDuration(left, t) })}
      </Space>
    </Typography.Text>
  );
}

/**
 * The API query: as `apiQuery`, but without a sort unless the user chose one, so that the server
 * orders by status group (following first, enrolled last) and then newest first (docs/spec.md §3).
 */
function myQuery(state: ListState, meta: ResourceMeta): URLSearchParams {
  const query = apiQuery(state, meta);
  if (!validSort(state.sort, meta)) query.delete('sort');
  return query;
}

function parseSort(sort: string | null): [string | null, SortOrder] {
  const first = sort?.split(',')[0] ?? '';
  if (!first) return [null, null];
  return first.startsWith('-') ? [first.slice(1), 'descend'] : [first, 'ascend'];
}
