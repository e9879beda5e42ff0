import { Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { findMenuItem, localTitle } from '../../app/menu.ts';
import { useCurrentUser } from '../../app/useMe.ts';
import { BackHomeButton } from '../../components/BackHomeButton.tsx';
import { currentLanguage } from '../../i18n/index.ts';

/** Stands in for a menu page whose screen has not been built yet. */
export default function ComingSoonPage() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const me = useCurrentUser();
  const page = findMenuItem(me.menus, pathname);
  return (
    <Result
      status="info"
      title={page ? localTitle(page.item, currentLanguage()) : pathname}
      subTitle={t('errors.comingSoonHint')}
      extra={<BackHomeButton />}
    />
  );
}
