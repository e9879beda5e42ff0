import { Flex, Spin } from 'antd';
import { useTranslation } from 'react-i18next';

/** What a page shows while its code or its data is on the way. */
export function PageLoading({ fullScreen = false }: { fullScreen?: boolean }) {
  const { t } = useTranslation();
  return (
    <Flex align="center" justify="center" style={{ minHeight: fullScreen ? '100vh' : 240 }}>
      <Spin description={t('app.loading')} />
    </Flex>
  );
}
