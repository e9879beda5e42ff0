import { Alert, Col, Flex, Row, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader.tsx';
import { PageLoading } from '../../components/PageLoading.tsx';
import { describeError } from '../../components/resource/errors.ts';
import { AccountCard } from './AccountCard.tsx';
import { useNotifySettings } from './api.ts';
import { NotifyChannelsCard } from './NotifyChannelsCard.tsx';
import { WechatCard } from './WechatCard.tsx';

/**
 * 我的资料 (/profile, from the user menu; open to everyone signed in): my account and contacts,
 * my WeChat binding, and where my notifications go (docs/spec.md §6).
 */
export default function ProfilePage() {
  const { t } = useTranslation();
  const [watching, setWatching] = useState(false);
  const settings = useNotifySettings({ watchBinding: watching });

  if (settings.isError) return <Alert type="error" showIcon title={describeError(settings.error, t)} />;
  if (!settings.data) return <PageLoading />;

  return (
    <Flex vertical gap={16} style={{ maxWidth: 1080 }} data-testid="profile">
      <PageHeader title={t('profile.title')} />
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('profile.intro')}
      </Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <AccountCard settings={settings.data} />
        </Col>
        <Col xs={24} lg={12}>
          <WechatCard settings={settings.data} onWatch={setWatching} />
        </Col>
      </Row>
      <NotifyChannelsCard settings={settings.data} />
    </Flex>
  );
}
