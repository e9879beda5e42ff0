import { Table, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n/index.ts';
import { formatAmount, type PerformanceRow } from '../reports/api.ts';

/** This month's performance per consultant, compact, in the report's order (amount first). */
export default function TeamTable({ rows }: { rows: PerformanceRow[] }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const count = (key: 'received' | 'grabbed' | 'followedUp' | 'enrolled') => ({
    key,
    dataIndex: key,
    title: t(`reports.${key}`),
    align: 'right' as const,
  });
  const columns: TableColumnsType<PerformanceRow> = [
    { key: 'consultant', title: t('reports.consultant'), render: (_value, row) => row.consultant.name },
    count('received'),
    count('grabbed'),
    count('followedUp'),
    count('enrolled'),
    {
      key: 'amount',
      dataIndex: 'amount',
      title: t('reports.amount'),
      align: 'right',
      render: (value: string) => formatAmount(value, language),
    },
  ];
  return (
    <div data-testid="dashboard-team">
      <Table<PerformanceRow>
        rowKey={(row) => row.consultant.id}
        columns={columns}
        dataSource={rows}
        size="small"
        pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
      />
    </div>
  );
}
