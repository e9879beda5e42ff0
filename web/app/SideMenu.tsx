import { HomeOutlined } from '@ant-design/icons';
import { Menu, type MenuProps } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { currentLanguage } from '../i18n/index.ts';
import { MenuIcon } from './icons.tsx';
import { findMenuItem, localTitle } from './menu.ts';
import { useCurrentUser } from './useMe.ts';

const groupKey = (id: number) => `group-${id}`;

/** The side menu, exactly as the server's permissions describe it: groups of pages, in order. */
export function SideMenu() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const me = useCurrentUser();
  const language = currentLanguage();

  const current = findMenuItem(me.menus, pathname);
  const selectedKey = pathname === '/' ? '/' : (current?.item.path ?? '');
  const currentGroup = current ? groupKey(current.group.id) : null;

  const [openKeys, setOpenKeys] = useState<string[]>(currentGroup ? [currentGroup] : []);
  // Following a link into another group opens that group; groups the user opened stay open.
  useEffect(() => {
    if (currentGroup) setOpenKeys((keys) => (keys.includes(currentGroup) ? keys : [...keys, currentGroup]));
  }, [currentGroup]);

  const items: MenuProps['items'] = [
    { key: '/', icon: <HomeOutlined />, label: <Link to="/">{t('shell.home')}</Link> },
    ...me.menus.map((group) => ({
      key: groupKey(group.id),
      icon: <MenuIcon name={group.icon} />,
      label: localTitle(group, language),
      children: group.items.map((item) => ({
        key: item.path,
        icon: item.icon ? <MenuIcon name={item.icon} /> : undefined,
        label: <Link to={item.path}>{localTitle(item, language)}</Link>,
      })),
    })),
  ];

  return (
    <Menu
      mode="inline"
      items={items}
      selectedKeys={[selectedKey]}
      openKeys={openKeys}
      onOpenChange={setOpenKeys}
      style={{ borderInlineEnd: 'none' }}
    />
  );
}
