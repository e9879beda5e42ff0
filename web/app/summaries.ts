import type { zhCN } from '../i18n/zh-CN.ts';

/**
 * The one-line description of each menu page, shown on the home page. Apart from routes.tsx, which
 * imports the pages (the home page among them) and so cannot be imported by them.
 */
const pageSummaries: Record<string, keyof typeof zhCN.pages> = {
  '/customers': 'customers',
  '/pool': 'pool',
  '/my-customers': 'myCustomers',
  '/customers/import': 'customerImport',
  '/consult-records': 'consultRecords',
  '/payment-records': 'paymentRecords',
  '/distributions': 'distributions',
  '/sale-ranks': 'saleRanks',
  '/reports/performance': 'performance',
  '/classes': 'classes',
  '/students': 'students',
  '/course-records': 'courseRecords',
  '/study-records': 'studyRecords',
  '/schools': 'schools',
  '/courses': 'courses',
  '/system/users': 'users',
  '/system/roles': 'roles',
  '/system/menus': 'menus',
  '/system/permissions': 'permissions',
  '/system/departments': 'departments',
  '/system/notifications': 'notifications',
  '/system/audit-log': 'auditLog',
  '/settings/pool': 'poolSettings',
};

export const summaryOf = (path: string): keyof typeof zhCN.pages | undefined => pageSummaries[path];
