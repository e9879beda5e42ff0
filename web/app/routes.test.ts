import { describe, expect, test } from 'vitest';
import { permissionCatalogue } from '../../server/auth/catalogue.ts';
import { findMenuItem } from './menu.ts';
import { detailPages, menuPages } from './routes.tsx';

/** The pages the server's permission catalogue can put in a menu, by path. */
const cataloguePaths = Object.values(permissionCatalogue).flatMap((entry) =>
  entry.kind === 'page' ? [entry.path] : [],
);

describe("the web's routes and the permission catalogue", () => {
  test('name the same pages: each catalogue page has its screen, and each menu screen its permission', () => {
    const routePaths = menuPages.map((page) => page.path);
    expect(new Set(cataloguePaths).size).toBe(cataloguePaths.length);
    expect(new Set(routePaths).size).toBe(routePaths.length);
    expect([...routePaths].sort()).toEqual([...cataloguePaths].sort());
  });

  test('open a page below a menu page only through a page of the catalogue it sits under', () => {
    for (const page of detailPages) {
      expect(cataloguePaths, page.path).toContain(page.menuPath);
      // Below its menu page's address; the teaching pages (issue 22) share `/teaching/`: a class's page
      // opens through the classes list, a lesson's sheets through study records, a student's scores
      // through the students list.
      const under = page.path.startsWith(`${page.menuPath}/`) || page.path.startsWith('/teaching/');
      expect(under, page.path).toBe(true);
    }
  });
});

describe('the menu item a page belongs to', () => {
  const item = (path: string) => ({ code: path, title: path, titleEn: path, icon: null, path });
  const menus = [
    {
      id: 1,
      title: '教学',
      titleEn: 'Teaching',
      icon: 'x',
      items: ['/classes', '/students', '/study-records'].map(item),
    },
    {
      id: 2,
      title: '客户',
      titleEn: 'Customers',
      icon: 'x',
      items: ['/customers', '/customers/import'].map(item),
    },
  ];
  const owner = (pathname: string) => findMenuItem(menus, pathname)?.item.path ?? null;

  test('is the longest menu path above it', () => {
    expect(owner('/customers/42')).toBe('/customers');
    expect(owner('/customers/import')).toBe('/customers/import');
  });

  test('is the menu page a teaching page opens through, whatever its address', () => {
    expect(owner('/teaching/classes/3')).toBe('/classes');
    expect(owner('/teaching/lessons/7/attendance')).toBe('/study-records');
    expect(owner('/teaching/lessons/7/scores')).toBe('/study-records');
    expect(owner('/teaching/students/5/scores')).toBe('/students');
    expect(owner('/teaching/unknown')).toBeNull();
  });
});
