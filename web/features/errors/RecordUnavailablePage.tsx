import { Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { BackHomeButton } from '../../components/BackHomeButton.tsx';

/**
 * A record's page whose record the server will not show: gone, or outside what the user may see —
 * the server answers both alike (404 "not found or no access"), so the page says both, in the
 * forbidden page's manner. An address the app does not know keeps NotFoundPage.
 */
export default function RecordUnavailablePage() {
  const { t } = useTranslation();
  return (
    <Result
      status="403"
      title={t('errors.recordUnavailable')}
      subTitle={t('errors.recordUnavailableHint')}
      extra={<BackHomeButton />}
      data-testid="record-unavailable"
    />
  );
}
