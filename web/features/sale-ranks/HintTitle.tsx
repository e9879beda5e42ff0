import { QuestionCircleOutlined } from '@ant-design/icons';
import { Space, Tooltip, Typography } from 'antd';

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
