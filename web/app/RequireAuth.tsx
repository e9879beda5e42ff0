import { Button, Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { PageLoading } from '../components/PageLoading.tsx';
import { useMe } from './useMe.ts';

/** Renders its children only for a signed-in user; anyone else goes to sign in and comes back. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const location = useLocation();
  const me = useMe();

  if (me.data === undefined) {
    if (me.isError) {
      return (
        <Result
          status="warning"
          title={t('errors.offline')}
          subTitle={t('errors.offlineHint')}
          extra={
            <Button type="primary" loading={me.isFetching} onClick={() => void me.refetch()}>
              {t('errors.retry')}
            </Button>
          }
        />
      );
    }
    return <PageLoading fullScreen />;
  }
  if (me.data === null) {
    const here = location.pathname + location.search + location.hash;
    const to = here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`;
    return <Navigate to={to} replace />;
  }
  return children;
}
