import {
  EditOutlined,
  MessageOutlined,
  PayCircleOutlined,
  UserAddOutlined,
  UserDeleteOutlined,
} from '@ant-design/icons';
import { Alert, Empty, Flex, Skeleton, Tag, Timeline, type TimelineItemProps, Typography } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResourceMeta } from '../../api/resource.ts';
import { formatDateTime } from '../../app/time.ts';
import { describeError } from '../../components/resource/errors.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { type ClassName, className } from '../payments/api.ts';
import { type TimelineEvent, useCustomerTimeline } from './api.ts';
import { describeEvent } from './timeline.ts';

/** How each kind of event looks on the timeline. */
const looks: Record<TimelineEvent['kind'], { icon: ReactNode; color: string }> = {
  ownership_started: { icon: <UserAddOutlined />, color: 'blue' },
  ownership_ended: { icon: <UserDeleteOutlined />, color: 'gray' },
  follow_up: { icon: <MessageOutlined />, color: 'green' },
  payment: { icon: <PayCircleOutlined />, color: '#d48806' },
  change: { icon: <EditOutlined />, color: '#722ed1' },
};

/** The customer's story, newest first: owners, follow-ups, payments and edits. */
export function CustomerTimeline({ customerId, meta }: { customerId: number; meta: ResourceMeta }) {
  const { t } = useTranslation();
  const timeline = useCustomerTimeline(customerId);

  if (timeline.isError) return <Alert type="error" showIcon title={describeError(timeline.error, t)} />;
  if (!timeline.data) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (timeline.data.length === 0) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customers.timelineEmpty')} />;
  }

  const events = [...timeline.data].sort((a, b) => dayjs(b.at).valueOf() - dayjs(a.at).valueOf());
  const items: TimelineItemProps[] = events.map((event, index) => ({
    key: `${event.kind}-${event.at}-${index}`,
    color: looks[event.kind]?.color,
    icon: looks[event.kind]?.icon,
    content: <EventContent event={event} meta={meta} />,
  }));
  return (
    <div data-testid="customer-timeline">
      <Timeline items={items} />
    </div>
  );
}

function EventContent({ event, meta }: { event: TimelineEvent; meta: ResourceMeta }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const { summary, note } = describeEvent(event, { t, meta, language });
  const named = event.kind === 'payment' ? namedClass(event.detail.class) : null;
  return (
    <Flex vertical gap={2} data-testid={`timeline-${event.kind}`}>
      <Flex wrap gap={8} align="center">
        <Typography.Text strong>{summary}</Typography.Text>
        {named && <Tag data-testid="timeline-payment-class">{className(named, language)}</Tag>}
        {event.kind === 'payment' && (
          <Tag color={event.detail.confirmed ? 'green' : 'orange'}>
            {t(event.detail.confirmed ? 'customers.event.confirmed' : 'customers.event.unconfirmed')}
          </Tag>
        )}
      </Flex>
      {note && (
        <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{note}</Typography.Paragraph>
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {[event.user?.name ?? t('customers.someone'), formatDateTime(event.at)].join(' · ')}
      </Typography.Text>
    </Flex>
  );
}

/** The `{ id, name, nameEn }` a payment event carries for its class, if it does. */
function namedClass(value: unknown): ClassName | null {
  if (typeof value !== 'object' || value === null) return null;
  const { id, name, nameEn } = value as Record<string, unknown>;
  if (typeof id !== 'number' || typeof name !== 'string') return null;
  return { id, name, nameEn: typeof nameEn === 'string' ? nameEn : undefined };
}
