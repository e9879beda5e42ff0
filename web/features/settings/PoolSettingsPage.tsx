import { LockOutlined } from '@ant-design/icons';
import { Alert, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../../app/useMe.ts';
import { useMenuTitle } from '../../app/useMenuTitle.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { PageLoading } from '../../components/PageLoading.tsx';
import { describeError } from '../../components/resource/errors.ts';
import { usePoolSettings } from './api.ts';
import { PoolSettingsForm } from './PoolSettingsForm.tsx';
import { TeachingSettingsCard } from './TeachingSettingsCard.tsx';

/**
 * The pool rules (公海规则): deadlines, grab limits, the previous owner's cooldown and reminders,
 * each explained. Read-only without `settings.pool_update`. Changing a deadline recomputes every
 * owned customer's release time on the server; the page says how many.
 */
export default function PoolSettingsPage() {
  const { t } = useTranslation();
  const pageTitle = useMenuTitle();
  const canEdit = useCurrentUser().permissions.includes('settings.pool_update');
  const settings = usePoolSettings();

  if (settings.isError) return <Alert type="error" showIcon title={describeError(settings.error, t)} />;
  if (!settings.data) return <PageLoading />;

  return (
    <Flex vertical gap={16} style={{ maxWidth: 760 }} data-testid="pool-settings">
      <PageHeader title={pageTitle ?? t('poolSettings.title')} />
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('poolSettings.intro')}
      </Typography.Paragraph>
      {!canEdit && <Alert type="info" showIcon title={t('poolSettings.readOnly')} icon={<LockOutlined />} />}
      <PoolSettingsForm current={settings.data} canEdit={canEdit} />
      <TeachingSettingsCard canEdit={canEdit} />
    </Flex>
  );
}
