import { type ComponentType, lazy } from 'react';
import type { zhCN } from '../i18n/zh-CN.ts';

/**
 * Every page the server's permission catalogue can put in a menu, and the component that draws it.
 * Pages not built yet show ComingSoon; a later issue swaps in its page, lazily imported so that
 * each page's code (antd's Table above all) loads only when someone opens it.
 */
export type MenuPage = {
  path: string;
  /** The one-line description shown on the home page. */
  summary: keyof typeof zhCN.pages;
  Page: ComponentType;
};

const ComingSoon = lazy(() => import('../features/errors/ComingSoonPage.tsx'));
const UsersPage = lazy(() => import('../features/system/UsersPage.tsx'));
const RolesPage = lazy(() => import('../features/system/RolesPage.tsx'));
const RolePermissionsPage = lazy(() => import('../features/system/RolePermissionsPage.tsx'));
const MenusPage = lazy(() => import('../features/system/MenusPage.tsx'));
const PermissionsPage = lazy(() => import('../features/system/PermissionsPage.tsx'));
const DepartmentsPage = lazy(() => import('../features/system/DepartmentsPage.tsx'));

export const menuPages: MenuPage[] = [
  { path: '/customers', summary: 'customers', Page: ComingSoon },
  { path: '/pool', summary: 'pool', Page: ComingSoon },
  { path: '/my-customers', summary: 'myCustomers', Page: ComingSoon },
  { path: '/customers/import', summary: 'customerImport', Page: ComingSoon },
  { path: '/consult-records', summary: 'consultRecords', Page: ComingSoon },
  { path: '/payment-records', summary: 'paymentRecords', Page: ComingSoon },
  { path: '/distributions', summary: 'distributions', Page: ComingSoon },
  { path: '/sale-ranks', summary: 'saleRanks', Page: ComingSoon },
  { path: '/reports/performance', summary: 'performance', Page: ComingSoon },
  { path: '/classes', summary: 'classes', Page: ComingSoon },
  { path: '/students', summary: 'students', Page: ComingSoon },
  { path: '/course-records', summary: 'courseRecords', Page: ComingSoon },
  { path: '/study-records', summary: 'studyRecords', Page: ComingSoon },
  { path: '/schools', summary: 'schools', Page: ComingSoon },
  { path: '/courses', summary: 'courses', Page: ComingSoon },
  { path: '/system/users', summary: 'users', Page: UsersPage },
  { path: '/system/roles', summary: 'roles', Page: RolesPage },
  { path: '/system/menus', summary: 'menus', Page: MenusPage },
  { path: '/system/permissions', summary: 'permissions', Page: PermissionsPage },
  { path: '/system/departments', summary: 'departments', Page: DepartmentsPage },
  { path: '/system/notifications', summary: 'notifications', Page: ComingSoon },
  { path: '/system/audit-log', summary: 'auditLog', Page: ComingSoon },
  { path: '/settings/pool', summary: 'poolSettings', Page: ComingSoon },
];

/**
 * Pages below a menu page (a role's permissions under /system/roles): open to whoever may open
 * that menu page, and only to them.
 */
export type DetailPage = { path: string; menuPath: string; Page: ComponentType };

export const detailPages: DetailPage[] = [
  { path: '/system/roles/:id', menuPath: '/system/roles', Page: RolePermissionsPage },
];

export const LoginPage = lazy(() => import('../features/auth/LoginPage.tsx'));
export const HomePage = lazy(() => import('../features/home/HomePage.tsx'));
export const NotFoundPage = lazy(() => import('../features/errors/NotFoundPage.tsx'));

export function findMenuPage(path: string): MenuPage | undefined {
  return menuPages.find((page) => page.path === path);
}
