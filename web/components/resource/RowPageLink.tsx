import { Space } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

/**
 * A list row's link to the record's own page, in the operations column. `fromList` lets that page's
 * Back return to this very list (same page, same filters).
 */
export function RowPageLink({
  to,
  icon,
  label,
  testId,
}: {
  to: string;
  icon: ReactNode;
  label: string;
  testId: string;
}) {
  return (
    <Link
      to={to}
      state={{ fromList: true }}
      style={{ padding: '0 7px', whiteSpace: 'nowrap' }}
      data-testid={testId}
    >
      <Space size={4}>
        {icon}
        {label}
      </Space>
    </Link>
  );
}
