import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';

/** A page's heading, with the page's buttons (or a note) at the other end of the line when it has any. */
export function PageHeader({ title, extra }: { title: ReactNode; extra?: ReactNode }) {
  const heading = (
    <Typography.Title level={4} style={{ margin: 0 }}>
      {title}
    </Typography.Title>
  );
  if (extra === undefined) return heading;
  return (
    <Flex justify="space-between" align="center" wrap gap={8}>
      {heading}
      {extra}
    </Flex>
  );
}
