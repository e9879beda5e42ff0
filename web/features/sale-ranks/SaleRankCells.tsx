import { QuestionCircleOutlined } from '@ant-design/icons';
import { Flex, Progress, Space, Tooltip, Typography } from 'antd';
import type { SaleRank } from './api.ts';

/** The sales weights table's own cells and titles. */

/** A column title with a question mark that explains it on hover. */
export function HintTitle({ title, hint }: { title: string; hint: string }) {
  return (
    <Tooltip title={hint}>
      <Space size={4}>
        {title}
        <Typography.Text type="secondary">
          <QuestionCircleOutlined />
        </Typography.Text>
      </Space>
    </Tooltip>
  );
}

/** Today's new customers against the quota, as a count and a bar that turns red at the quota. */
export function AssignedToday({ rank }: { rank: SaleRank }) {
  return (
    <Flex vertical gap={0} style={{ minWidth: 120 }} data-testid={`sale-rank-today-${rank.id}`}>
      <span>
        {rank.assignedToday} / {rank.dailyQuota}
      </span>
      <Progress
        size="small"
        showInfo={false}
        percent={rank.dailyQuota > 0 ? Math.min(100, (rank.assignedToday / rank.dailyQuota) * 100) : 100}
        status={rank.assignedToday >= rank.dailyQuota ? 'exception' : 'normal'}
      />
    </Flex>
  );
}

/** 0.3333 → "33.3%". */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
