import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Flex, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useCurrentUser } from '../../app/useMe.ts';
import { useMenuTitle } from '../../app/useMenuTitle.ts';
import { PageLoading } from '../../components/PageLoading.tsx';
import { describeError } from '../../components/resource/errors.ts';
import { parseMonth, usePerformance } from './api.ts';
import { PerformanceReport } from './PerformanceReport.tsx';

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
        <PerformanceReport
          rows={query.data.items}
          totals={query.data.totals}
          loading={query.isFetching && query.isPlaceholderData}
        />
      )}
    </Flex>
  );
}
