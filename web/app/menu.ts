import { matchPath } from 'react-router';
import type { MenuGroup, MenuItem } from '../api/auth.ts';
import type { Language } from '../i18n/index.ts';
import { detailPaths } from './detailPaths.ts';

/** Whether `pathname` is `path` or a page below it (`/customers/42` is under `/customers`). */
export function isUnder(pathname: string, path: string): boolean {
  return pathname === path || pathname.startsWith(path.endsWith('/') ? path : `${path}/`);
}

/**
 * The menu item that owns `pathname`: the longest matching path wins, so `/customers/import`
 * selects its own item rather than `/customers`. A detail page whose address is not under its menu
 * page's (`/teaching/classes/3` opens through 班级管理) belongs to that menu page.
 */
export function findMenuItem(
  menus: MenuGroup[],
  pathname: string,
): { group: MenuGroup; item: MenuItem } | null {
  const owner = hasMenuPath(menus, pathname)
    ? undefined
    : detailPaths.find((page) => matchPath(page.path, pathname))?.menuPath;
  if (owner) {
    for (const group of menus) {
      const item = group.items.find((entry) => entry.path === owner);
      if (item) return { group, item };
    }
  }
  let best: { group: MenuGroup; item: MenuItem } | null = null;
  for (const group of menus) {
    for (const item of group.items) {
      if (isUnder(pathname, item.path) && (best === null || item.path.length > best.item.path.length)) {
        best = { group, item };
      }
    }
  }
  return best;
}

/** Whether the user's menus include this exact page (what the server granted them). */
export function hasMenuPath(menus: MenuGroup[], path: string): boolean {
  return menus.some((group) => group.items.some((item) => item.path === path));
}

export function localTitle(entry: { title: string; titleEn: string }, language: Language): string {
  return language === 'en' ? entry.titleEn || entry.title : entry.title;
}
