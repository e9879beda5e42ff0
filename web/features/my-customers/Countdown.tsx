import { ClockCircleOutlined, WarningOutlined } from '@ant-design/icons';
import { Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { DAY_MS, formatDuration } from '../pool/durations.ts';
import type { MyCustomer } from './api.ts';

/** Time left before release, ticking down; red with a warning under a day. */
export function Countdown({ row, elapsed }: { row: MyCustomer; elapsed: number }) {
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
