import { type ComponentType, lazy } from 'react';
import { type DetailPath, detailPaths } from './detailPaths.ts';

/**
 * Every page the server's permission catalogue can put in a menu, and the component that draws it,
 * lazily imported so that each page's code (antd's Table above all) loads only when someone opens
 * it. Every page of the catalogue has its screen; a code added to the catalogue needs one here.
 */
export type MenuPage = {
  path: string;
  Page: ComponentType;
};

const UsersPage = lazy(() => import('../features/system/UsersPage.tsx'));
const RolesPage = lazy(() => import('../features/system/RolesPage.tsx'));
const RolePermissionsPage = lazy(() => import('../features/system/RolePermissionsPage.tsx'));
const MenusPage = lazy(() => import('../features/system/MenusPage.tsx'));
const PermissionsPage = lazy(() => import('../features/system/PermissionsPage.tsx'));
const AuditLogPage = lazy(() => import('../features/system/AuditLogPage.tsx'));
const DepartmentsPage = lazy(() => import('../features/system/DepartmentsPage.tsx'));
const NotificationsPage = lazy(() => import('../features/system/NotificationsPage.tsx'));
const PerformancePage = lazy(() => import('../features/reports/PerformancePage.tsx'));
const CustomersPage = lazy(() => import('../features/customers/CustomersPage.tsx'));
const CustomerDetailPage = lazy(() => import('../features/customers/CustomerDetailPage.tsx'));
const PoolPage = lazy(() => import('../features/pool/PoolPage.tsx'));
const MyCustomersPage = lazy(() => import('../features/my-customers/MyCustomersPage.tsx'));
const PoolSettingsPage = lazy(() => import('../features/settings/PoolSettingsPage.tsx'));
const ImportPage = lazy(() => import('../features/imports/ImportPage.tsx'));
const SaleRanksPage = lazy(() => import('../features/sale-ranks/SaleRanksPage.tsx'));
const LessonsPage = lazy(() => import('../features/teaching/LessonsPage.tsx'));
const AttendanceSheetPage = lazy(() => import('../features/teaching/AttendanceSheetPage.tsx'));
const ScoreSheetPage = lazy(() => import('../features/teaching/ScoreSheetPage.tsx'));
const ClassesPage = lazy(() => import('../features/teaching/ClassesPage.tsx'));
const ClassPage = lazy(() => import('../features/teaching/ClassPage.tsx'));
const StudentScoresPage = lazy(() => import('../features/teaching/StudentScoresPage.tsx'));
const LazyResourceList = lazy(() =>
  import('../components/resource/ResourceList.tsx').then((m) => ({ default: m.ResourceList })),
);

/** A model's list and form, drawn entirely from the server's metadata. */
function listOf(resource: string): ComponentType {
  const Page = () => <LazyResourceList resource={resource} />;
  Page.displayName = `ResourcePage(${resource})`;
  return Page;
}

export const menuPages: MenuPage[] = [
  { path: '/customers', Page: CustomersPage },
  { path: '/pool', Page: PoolPage },
  { path: '/my-customers', Page: MyCustomersPage },
  { path: '/customers/import', Page: ImportPage },
  { path: '/consult-records', Page: listOf('consult-records') },
  { path: '/payment-records', Page: listOf('payment-records') },
  { path: '/distributions', Page: listOf('distributions') },
  { path: '/sale-ranks', Page: SaleRanksPage },
  { path: '/reports/performance', Page: PerformancePage },
  { path: '/classes', Page: ClassesPage },
  { path: '/students', Page: listOf('students') },
  { path: '/course-records', Page: LessonsPage },
  { path: '/study-records', Page: listOf('study-records') },
  { path: '/schools', Page: listOf('schools') },
  { path: '/courses', Page: listOf('courses') },
  { path: '/system/users', Page: UsersPage },
  { path: '/system/roles', Page: RolesPage },
  { path: '/system/menus', Page: MenusPage },
  { path: '/system/permissions', Page: PermissionsPage },
  { path: '/system/departments', Page: DepartmentsPage },
  { path: '/system/notifications', Page: NotificationsPage },
  { path: '/system/audit-log', Page: AuditLogPage },
  { path: '/settings/pool', Page: PoolSettingsPage },
];

/** A page below a menu page (detailPaths.ts), with its screen. */
export type DetailPage = { path: string; menuPath: string; Page: ComponentType };

const detailScreens: Record<DetailPath, ComponentType> = {
  '/customers/:id': CustomerDetailPage,
  '/system/roles/:id': RolePermissionsPage,
  '/teaching/lessons/:id/attendance': AttendanceSheetPage,
  '/teaching/lessons/:id/scores': ScoreSheetPage,
  '/teaching/classes/:id': ClassPage,
  '/teaching/students/:id/scores': StudentScoresPage,
};

export const detailPages: DetailPage[] = detailPaths.map((page) => ({
  ...page,
  Page: detailScreens[page.path],
}));

export const LoginPage = lazy(() => import('../features/auth/LoginPage.tsx'));
export const HomePage = lazy(() => import('../features/home/HomePage.tsx'));
/** 我的资料, from the user menu: everyone's own, so in no menu and behind no page code. */
export const ProfilePage = lazy(() => import('../features/profile/ProfilePage.tsx'));
export const NotFoundPage = lazy(() => import('../features/errors/NotFoundPage.tsx'));

export function findMenuPage(path: string): MenuPage | undefined {
  return menuPages.find((page) => page.path === path);
}
