import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Empty,
  Flex,
  Space,
  Spin,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useCurrentUser } from '../../app/useMe.ts';
import { useMenuTitle } from '../../app/useMenuTitle.ts';
import { PageLoading } from '../../components/PageLoading.tsx';
import { describeError } from '../../components/resource/errors.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { type Figures, formatAmount, type PerformanceRow, parseMonth, usePerformance } from './api.ts';
import { PerformanceChart } from './PerformanceChart.tsx';

/** The chart stays readable with this many consultants; the table lists everyone. */
const CHART_LIMIT = 20;

/**
 * Month-end performance (业绩报表): one month per consultant, chosen in the URL (`?month=YYYY-MM`,
 * the school's current month without it), as a chart and a sortable table with totals.
 */
export default function PerformancePage() {
  const { t } = useTranslation();
  const title = useMenuTitle();
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const requested = parseMonth(params.get('month'));
  const query = usePerformance(requested);
  const month = requested ?? query.data?.month ?? null;
  const seesEveryone = me.permissions.includes('report.performance_all');

  const go = (next: string) =>
    setParams(
      (current) => {
        const copy = new URLSearchParams(current);
        copy.set('month', next);
        return copy;
      },
      { replace: false },
    );
  const shift = (months: number) => month && go(dayjs(`${month}-01`).add(months, 'month').format('YYYY-MM'));

  return (
    <Flex vertical gap={16} style={{ maxWidth: 1200 }}>
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {title ?? t('reports.title')}
        </Typography.Title>
        <Space.Compact>
          <Button
            icon={<LeftOutlined />}
            aria-label={t('reports.previousMonth')}
            disabled={!month}
            onClick={() => shift(-1)}
            data-testid="performance-previous"
          />
          <DatePicker
            picker="month"
            allowClear={false}
            value={month ? dayjs(`${month}-01`) : null}
            onChange={(value) => value && go(value.format('YYYY-MM'))}
            aria-label={t('reports.month')}
          />
          <Button
            icon={<RightOutlined />}
            aria-label={t('reports.nextMonth')}
            disabled={!month}
            onClick={() => shift(1)}
            data-testid="performance-next"
          />
        </Space.Compact>
      </Flex>
      <Typography.Text type="secondary">
        {t('reports.hint')}
        {!seesEveryone && ` ${t('reports.ownOnly')}`}
      </Typography.Text>
      {query.error ? (
        <Alert
          type="error"
          showIcon
          title={describeError(query.error, t)}
          action={
            <Button size="small" onClick={() => void query.refetch()}>
              {t('errors.retry')}
            </Button>
          }
        />
      ) : !query.data ? (
        <PageLoading />
      ) : (
        <Report
          rows={query.data.items}
          totals={query.data.totals}
          loading={query.isFetching && query.isPlaceholderData}
        />
      )}
    </Flex>
  );
}

function Report({ rows, totals, loading }: { rows: PerformanceRow[]; totals: Figures; loading: boolean }) {
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
