import { useQueryClient } from '@tanstack/react-query';
import { Flex, Layout, Typography, theme } from 'antd';
import { Suspense, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { Logo } from '../components/Logo.tsx';
import { PageLoading } from '../components/PageLoading.tsx';
import { InboxBell } from '../features/inbox/InboxBell.tsx';
import { currentLanguage } from '../i18n/index.ts';
import { findMenuItem, localTitle } from './menu.ts';
import { SideMenu } from './SideMenu.tsx';
import { UserMenu } from './UserMenu.tsx';
import { meQueryKey, useCurrentUser } from './useMe.ts';

const siderWidth = 224;

/** The frame around every signed-in page: side menu, header, and the page itself. */
export function AppShell() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const [collapsed, setCollapsed] = useState(false);
  useDocumentTitle();
  useMeOnNavigation();

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        theme="light"
        width={siderWidth}
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        breakpoint="lg"
        style={{
          borderInlineEnd: `1px solid ${token.colorBorderSecondary}`,
          position: 'sticky',
          top: 0,
          height: '100vh',
          overflow: 'auto',
        }}
      >
        <Link to="/" style={{ display: 'block' }}>
          <Flex align="center" justify="center" gap={10} style={{ height: 64 }}>
            <Logo />
            {!collapsed && (
              <Typography.Text strong style={{ fontSize: 17, whiteSpace: 'nowrap' }}>
                {t('app.name')}
              </Typography.Text>
            )}
          </Flex>
        </Link>
        <SideMenu />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: token.colorBgContainer,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            paddingInline: 24,
            position: 'sticky',
            top: 0,
            zIndex: 10,
          }}
        >
          <Flex align="center" justify="flex-end" gap={16} style={{ height: '100%' }}>
            <LanguageSwitch />
            <InboxBell />
            <UserMenu />
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

/**
 * Reads `me` again at each navigation: a grant taken away while no request was made (the page sat
 * open) must not leave its page in the menu until a reload. Cheap: one small call per page opened.
 */
function useMeOnNavigation() {
  const { pathname } = useLocation();
  const queryClient = useQueryClient();
  const shown = useRef(pathname);
  useEffect(() => {
    if (shown.current === pathname) return;
    shown.current = pathname;
    void queryClient.invalidateQueries({ queryKey: meQueryKey, exact: true });
  }, [pathname, queryClient]);
}

/** Names the browser tab after the open page, so several open tabs stay tellable apart. */
function useDocumentTitle() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const me = useCurrentUser();
  const page = findMenuItem(me.menus, pathname);
  const title = page
    ? localTitle(page.item, currentLanguage())
    : pathname === '/'
      ? t('shell.home')
      : pathname === '/profile'
        ? t('profile.title')
        : null;
  const name = t('app.name');
  useEffect(() => {
    document.title = title ? `${title} · ${name}` : name;
  }, [title, name]);
}
