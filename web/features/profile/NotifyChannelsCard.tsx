import { InfoCircleOutlined, SaveOutlined, WarningOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Flex,
  Space,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
  theme,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../components/resource/errors.ts';
import { useConfirmLeave } from '../../components/useConfirmLeave.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { type ChannelCode, channelOrder, type NotifySettings, useSaveNotifySettings } from './api.ts';
import {
  channelsOf,
  type Draft,
  draftOf,
  sameDraft,
  withEventChannel,
  withFollowsGeneral,
  withGeneral,
} from './draft.ts';

type Row = NotifySettings['events'][number];

/**
 * Where my notifications go: the general channels, and a table of every event × channel where an
 * event may be chosen apart ("同通用设置" by default). A channel the school has not configured is
 * greyed with a hint (a choice of it is kept, and applies once it is configured); a chosen channel
 * that cannot reach me (no mobile, no e-mail, WeChat not bound) says so. Saved together; leaving with
 * changes asks first.
 */
export function NotifyChannelsCard({ settings }: { settings: NotifySettings }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { token } = theme.useToken();
  const save = useSaveNotifySettings();
  const saved = draftOf(settings);
  const [draft, setDraft] = useState<Draft>(saved);
  const dirty = !sameDraft(draft, saved);
  useConfirmLeave(dirty);
  const english = currentLanguage() === 'en';

  const configured = (channel: ChannelCode) =>
    settings.configured.find((c) => c.channel === channel)?.configured ?? false;
  const channelName = (channel: ChannelCode) => t(`profile.channel.${channel}`);
  const unreachable = (channel: ChannelCode): string | null => {
    if (channel === 'sms' && !settings.contacts.phone) return t('profile.needsPhone');
    if (channel === 'email' && !settings.contacts.email) return t('profile.needsEmail');
    if (channel === 'wechat' && !settings.wechatBound) return t('profile.needsWechat');
    return null;
  };
  const chosenAnywhere = (channel: ChannelCode) =>
    draft.channels.includes(channel) ||
    settings.events.some((e) => channelsOf(draft, e.event).channels.includes(channel));

  /** A channel's name, greyed with the reason when the school has not configured it. */
  const channelLabel = (channel: ChannelCode) =>
    configured(channel) ? (
      <span>{channelName(channel)}</span>
    ) : (
      <Tooltip title={t('profile.notConfiguredHint', { channel: channelName(channel) })}>
        <Typography.Text type="secondary" data-testid={`not-configured-${channel}`}>
          {channelName(channel)} <InfoCircleOutlined />
        </Typography.Text>
      </Tooltip>
    );

  const columns: ColumnsType<Row> = [
    {
      key: 'event',
      title: t('profile.event'),
      render: (_, row) => (english ? row.titleEn : row.title),
    },
    ...channelOrder.map((channel) => ({
      key: channel,
      title: channelLabel(channel),
      width: english ? 104 : 84,
      align: 'center' as const,
      render: (_: unknown, row: Row) => {
        const { channels, general } = channelsOf(draft, row.event);
        return (
          <Checkbox
            checked={channels.includes(channel)}
            disabled={general}
            aria-label={`${english ? row.titleEn : row.title} · ${channelName(channel)}`}
            onChange={(e) => setDraft(withEventChannel(draft, row.event, channel, e.target.checked))}
          />
        );
      },
    })),
    {
      key: 'general',
      title: t('profile.sameAsGeneral'),
      width: english ? 116 : 108,
      align: 'center',
      render: (_, row) => (
        <Switch
          size="small"
          checked={channelsOf(draft, row.event).general}
          aria-label={`${english ? row.titleEn : row.title} · ${t('profile.sameAsGeneral')}`}
          onChange={(follows) => setDraft(withFollowsGeneral(draft, row.event, follows))}
          data-testid={`same-as-general-${row.event}`}
        />
      ),
    },
  ];

  const warnings = channelOrder
    .filter((channel) => configured(channel) && chosenAnywhere(channel))
    .map((channel) => unreachable(channel))
    .filter((warning): warning is string => warning !== null);

  const submit = async () => {
    try {
      const answer = await save.mutateAsync(draft);
      setDraft(draftOf(answer));
      message.success(t('profile.saved'));
    } catch (error) {
      message.error(describeError(error, t));
    }
  };

  return (
    <Card title={t('profile.channelsTitle')} data-testid="profile-channels">
      <Flex vertical gap={20}>
        {channelOrder.every((channel) => !configured(channel)) && (
          <Alert type="info" showIcon title={t('profile.noneConfigured')} data-testid="none-configured" />
        )}
        <Flex vertical gap={8}>
          <Typography.Text strong>{t('profile.general')}</Typography.Text>
          <Checkbox.Group
            value={draft.channels}
            onChange={(value) => setDraft(withGeneral(draft, value as ChannelCode[]))}
            data-testid="general-channels"
          >
            <Space size={[20, 8]} wrap>
              {channelOrder.map((channel) => (
                <Checkbox key={channel} value={channel}>
                  <Space size={6}>
                    {channelName(channel)}
                    {!configured(channel) && (
                      <Tooltip title={t('profile.notConfiguredHint', { channel: channelName(channel) })}>
                        <Tag bordered={false} style={{ color: token.colorTextTertiary, marginInlineEnd: 0 }}>
                          {t('profile.notConfigured')}
                        </Tag>
                      </Tooltip>
                    )}
                  </Space>
                </Checkbox>
              ))}
            </Space>
          </Checkbox.Group>
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            {draft.channels.length === 0 ? t('profile.noChannel') : t('profile.generalHint')}
          </Typography.Text>
        </Flex>

        <Flex vertical gap={8}>
          <Typography.Text strong>{t('profile.perEvent')}</Typography.Text>
          <Table<Row>
            rowKey="event"
            size="small"
            bordered
            pagination={false}
            columns={columns}
            dataSource={settings.events}
            data-testid="event-channels"
          />
        </Flex>

        {warnings.length > 0 && (
          <Flex vertical gap={4} data-testid="channel-warnings">
            {warnings.map((warning) => (
              <Typography.Text key={warning} type="warning">
                <WarningOutlined /> {warning}
              </Typography.Text>
            ))}
          </Flex>
        )}

        <Space wrap>
          <Button
            type="primary"
            icon={<SaveOutlined />}
            disabled={!dirty}
            loading={save.isPending}
            onClick={() => void submit()}
            data-testid="notify-settings-save"
          >
            {t('resource.save')}
          </Button>
          <Button disabled={!dirty || save.isPending} onClick={() => setDraft(saved)}>
            {t('profile.undo')}
          </Button>
        </Space>
      </Flex>
    </Card>
  );
}
