import { useLocation } from 'react-router';
import { currentLanguage } from '../i18n/index.ts';
import { findMenuItem, localTitle } from './menu.ts';
import { useCurrentUser } from './useMe.ts';

/** The title the side menu gives the open page, so a page's heading, the menu and the tab agree. */
export function useMenuTitle(): string | null {
  const { pathname } = useLocation();
  const me = useCurrentUser();
  const entry = findMenuItem(me.menus, pathname);
  return entry ? localTitle(entry.item, currentLanguage()) : null;
}
