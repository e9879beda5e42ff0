import { Card, Empty, Spin, Table, type TableColumnsType, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n/index.ts';
import { type Figures, formatAmount, type PerformanceRow } from './api.ts';
import { PerformanceChart } from './PerformanceChart.tsx';

/** The chart stays readable with this many consultants; the table lists everyone. */
const CHART_LIMIT = 20;

type PerformanceReportProps = { rows: PerformanceRow[]; totals: Figures; loading: boolean };

/** The month as a chart of the first consultants and a table of everyone, sortable, with totals. */
export function PerformanceReport({ rows, totals, loading }: PerformanceReportProps) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const active = rows.some((r) => r.received || r.grabbed || r.followedUp || r.enrolled || Number(r.amount));
  const count = (key: 'received' | 'grabbed' | 'followedUp' | 'enrolled') => ({
    key,
    dataIndex: key,
    title: t(`reports.${key}`),
    align: 'right' as const,
    sorter: (a: PerformanceRow, b: PerformanceRow) => a[key] - b[key],
  });
  const columns: TableColumnsType<PerformanceRow> = [
    {
      key: 'consultant',
      title: t('reports.consultant'),
      render: (_value, row) => row.consultant.name,
      sorter: (a, b) => a.consultant.name.localeCompare(b.consultant.name, language),
    },
    count('received'),
    count('grabbed'),
    count('followedUp'),
    count('enrolled'),
    {
      key: 'amount',
      dataIndex: 'amount',
      title: t('reports.amount'),
      align: 'right',
      sorter: (a, b) => Number(a.amount) - Number(b.amount),
      render: (value: string) => formatAmount(value, language),
    },
  ];

  return (
    <>
      <Card size="small">
        <Spin spinning={loading}>
          {active ? (
            <>
              <PerformanceChart rows={rows.slice(0, CHART_LIMIT)} />
              {rows.length > CHART_LIMIT && (
                <Typography.Text type="secondary">
                  {t('reports.chartTop', { count: CHART_LIMIT })}
                </Typography.Text>
              )}
            </>
          ) : (
            <Empty description={t('reports.empty')} />
          )}
        </Spin>
      </Card>
      <div data-testid="performance-table">
        <Table<PerformanceRow>
          rowKey={(row) => row.consultant.id}
          columns={columns}
          dataSource={rows}
          loading={loading}
          size="middle"
          pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
          locale={{ emptyText: <Empty description={t('reports.empty')} /> }}
          summary={() =>
            rows.length > 1 ? (
              <Table.Summary fixed>
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0}>
                    <Typography.Text strong>{t('reports.total')}</Typography.Text>
                  </Table.Summary.Cell>
                  {(['received', 'grabbed', 'followedUp', 'enrolled'] as const).map((key, i) => (
                    <Table.Summary.Cell key={key} index={i + 1} align="right">
                      <Typography.Text strong>{totals[key]}</Typography.Text>
                    </Table.Summary.Cell>
                  ))}
                  <Table.Summary.Cell index={5} align="right">
                    <Typography.Text strong>{formatAmount(totals.amount, language)}</Typography.Text>
                  </Table.Summary.Cell>
                </Table.Summary.Row>
              </Table.Summary>
            ) : null
          }
        />
      </div>
    </>
  );
}
