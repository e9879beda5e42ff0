/**
 * Pages below a menu page (a customer under /customers, a role's permissions under /system/roles),
 * by address: open to whoever may open that menu page, and only to them, and shown in the menu as
 * that page. Their screens are in routes.tsx; this list stays free of them so the menu can read it.
 */
export const detailPaths = [
  { path: '/customers/:id', menuPath: '/customers' },
  { path: '/system/roles/:id', menuPath: '/system/roles' },
  // A lesson's sheets are study records: open to whoever may open those.
  { path: '/teaching/lessons/:id/attendance', menuPath: '/study-records' },
  { path: '/teaching/lessons/:id/scores', menuPath: '/study-records' },
  { path: '/teaching/classes/:id', menuPath: '/classes' },
  { path: '/teaching/students/:id/scores', menuPath: '/students' },
] as const;

export type DetailPath = (typeof detailPaths)[number]['path'];
