import { useQuery } from '@tanstack/react-query';
import { Alert, Badge, Card, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ChannelStatus } from '../../../server/modules/notify/channels/index.ts';
import { api } from '../../api/client.ts';
import { ResourceList } from '../../components/resource/ResourceList.tsx';

/**
 * 消息通知, the delivery log (docs/spec.md §6): every notification with its status, attempts and
 * last error, filtered by status, channel and event — the generic list, whose 重发 action puts
 * failed, given-up and unknown ones back in the queue — under a card saying which channels this
 * server can send through (`GET /api/notify/channels`: names of missing settings, never a value).
 */
export default function NotificationsPage() {
  return <ResourceList resource="notifications" banner={<ChannelsCard />} />;
}

function ChannelsCard() {
  const { t } = useTranslation();
  const channels = useQuery({
    queryKey: ['notify', 'channels'],
    queryFn: () => api.get<ChannelStatus[]>('/notify/channels'),
    staleTime: 60_000,
  });
  if (channels.error) {
    return (
      <Alert
        type="warning"
        showIcon
        message={t('delivery.channelsFailed', { message: channels.error.message })}
      />
    );
  }
  return (
    <Card size="small" title={t('delivery.channels')} loading={!channels.data} data-testid="notify-channels">
      <Flex vertical gap={8}>
        <Flex wrap gap={24}>
          {channels.data?.map((status) => (
            <Flex
              key={status.channel}
              gap={8}
              align="baseline"
              data-testid={`notify-channel-${status.channel}`}
            >
              <Badge
                status={status.configured ? 'success' : 'default'}
                text={`${t(`delivery.channel.${status.channel}`)} · ${
                  status.configured ? t('delivery.configured') : t('delivery.notConfigured')
                }`}
              />
              {status.reason && (
                <Typography.Text type="secondary" code>
                  {status.reason}
                </Typography.Text>
              )}
            </Flex>
          ))}
        </Flex>
        <Typography.Text type="secondary">{t('delivery.channelsHint')}</Typography.Text>
      </Flex>
    </Card>
  );
}
