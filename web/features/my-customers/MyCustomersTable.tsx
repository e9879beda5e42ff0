import { MessageOutlined, PayCircleOutlined } from '@ant-design/icons';
import { Button, Space, type TableColumnsType, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '../../app/time.ts';
import { useCurrentUser } from '../../app/useMe.ts';
import { ListTable } from '../../components/resource/ListTable.tsx';
import { sized } from '../../components/resource/listTable.ts';
import type { ResourceListPage } from '../../components/resource/useResourceListPage.ts';
import type { PayingCustomer } from '../payments/PaymentModal.tsx';
import { useNow } from '../pool/useNow.ts';
import type { MyCustomer } from './api.ts';
import { Countdown } from './Countdown.tsx';
import { statusColors } from './tabs.ts';

type MyCustomersTableProps = {
  view: ResourceListPage<MyCustomer>;
  onFollowUp: (customer: { id: number; name: string }) => void;
  onPay: (customer: PayingCustomer) => void;
};

/**
 * The caller's periods of ownership: each customer links to its page, each following row counts
 * down to its release, and the customer's own rows offer a quick follow-up and 登记缴费.
 */
export function MyCustomersTable({ view, onFollowUp, onPay }: MyCustomersTableProps) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const canFollowUp = me.permissions.includes('consult_record.create');
  const canPay = me.permissions.includes('payment_record.create');
  const now = useNow();
  const { title, cell, width } = view.fields;
  const { sortable } = view;
  const empty = <Typography.Text type="secondary">—</Typography.Text>;
  // The countdown starts from `daysLeft` as the server computed it when the page was fetched.
  const fetchedAt = view.page.dataUpdatedAt || now;

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
                onClick={() => onFollowUp({ id: customer.id, name: customer.name })}
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
                onClick={() => onPay({ id: customer.id, name: customer.name, status: customer.status })}
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
    $operations: view.table.operationsWidth,
  });
  return <ListTable view={view} columns={widths} emptyText={t('myCustomers.empty')} />;
}
