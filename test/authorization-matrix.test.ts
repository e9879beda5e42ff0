import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PermissionCode } from '../server/auth/catalogue.ts';
import type { GuardedRoute } from '../server/auth/gate.ts';
import { setClock } from '../server/clock.ts';
import {
  auditLog,
  departments,
  menus,
  notifications,
  rolePermissions,
  roles,
  saleRanks,
  studyRecords,
  userRoles,
  users,
} from '../server/db/schema/index.ts';
import { type DemoRoleCode, demoRoleGrants, seedDemo } from '../server/seed/demo.ts';
import { as, buildTestApp, call, type Method, type Session, signIn, type TestApp } from './app.ts';
import {
  makeClass,
  makeCourse,
  makeCustomer,
  makeLesson,
  makeRole,
  makeSchool,
  makeUser,
  TEST_PASSWORD,
} from './factories.ts';
import { importEnded, multipart } from './spreadsheets.ts';

/**
 * Every /api route × every demo role (and nobody signed in), expecting exactly what the role's codes
 * allow: 401 without a session, 403 without the code, 2xx with it. The routes come from the gate's
 * own table, so a new route without a sample here fails this test instead of escaping it.
 */
const PASSWORD = 'matrix-password';
const demoUsers: Record<DemoRoleCode, string> = {
  admin: 'admin',
  sales_manager: 'manager',
  consultant: 'sanjiang',
  teacher: 'teacher',
  tutor: 'tutor',
  finance: 'finance',
};

let t: TestApp;
const sessions = new Map<DemoRoleCode, Session>();
let serial = 0;
const unique = (prefix: string) => `${prefix}${++serial}`;

/** `allow404`: the role may call the route, but nothing of that kind is in its scope. */
type Request = {
  url: string;
  payload?: object;
  /** A multipart upload instead of JSON. */
  form?: { payload: Buffer; headers: Record<string, string> };
  session?: Session | null;
  allow404?: boolean;
  /** What a caller allowed gets here instead of a 2xx: a feature this app has not configured. */
  status?: number;
};
type Sample = (role: DemoRoleCode | null) => Promise<Request>;

const db = () => t.database.db;
const throwawayUser = async () => (await makeUser(db(), { username: unique('tmp_') })).id;
/** Someone who may be given customers (and so a weight): only those who may grab them. */
const throwawaySeller = async () =>
  (await makeUser(db(), { username: unique('tmp_'), codes: ['customer.grab'] })).id;
const throwawayRole = async () => {
  const [role] = await db()
    .insert(roles)
    .values({ code: unique('tmp_'), title: '临时' })
    .returning();
  return role!.id;
};
const throwawayMenu = async () => {
  const [menu] = await db()
    .insert(menus)
    .values({ key: unique('tmp_'), title: '临时' })
    .returning();
  return menu!.id;
};
const throwawayDepartment = async () => {
  const [department] = await db()
    .insert(departments)
    .values({ code: 50_000 + ++serial, title: '临时' })
    .returning();
  return department!.id;
};
const throwawaySchool = async () => (await makeSchool(db())).id;
const throwawayCourse = async () => (await makeCourse(db())).id;
const auditEntry = async () =>
  (await db().insert(auditLog).values({ action: 'create', entity: 'x', at: new Date() }).returning())[0]!.id;
const notification = async () =>
  (
    await db()
      .insert(notifications)
      .values({ userId: 1, channel: 'email', event: 'grab_won', dedupeKey: unique('k') })
      .returning()
  )[0]!.id;
/** A record of `resource` the role can see (so a 2xx is due), else one the admin can (a 404 is). */
async function visible(
  role: DemoRoleCode | null,
  resource: string,
): Promise<{ id: number; allow404: boolean }> {
  for (const who of [role, 'admin' as const]) {
    if (!who) continue;
    const list = await call(t.app, sessions.get(who)!, 'GET', `/api/${resource}?pageSize=1`);
    const id = list.statusCode === 200 ? list.json().items[0]?.id : undefined;
    if (id) return { id, allow404: who !== role };
  }
  throw new Error(`no ${resource} at all`);
}
const throwawayClass = async () =>
  (await makeClass(db(), { schoolId: 1, courseId: 1, startDate: '2026-01-01' })).id;
const throwawayLesson = async (role: DemoRoleCode | null) => {
  const { id: classId } = await visible(role, 'classes');
  return (await makeLesson(db(), { classId, date: '2026-01-02' })).id;
};
/** An unowned customer, in the pool as a new lead nobody took. */
const throwawayCustomer = async () => (await makeCustomer(db(), { name: '临时' })).id;
/** An unowned customer in the pool since long ago. */
const throwawayPublicCustomer = async () => (await makeCustomer(db(), { name: '公海', at: new Date(0) })).id;
const throwawayRank = async () =>
  (
    await db()
      .insert(saleRanks)
      .values({ consultantId: await throwawayUser(), weight: 1 })
      .returning()
  )[0]!.id;
const byId = (resource: string) => async (role: DemoRoleCode | null) => {
  const { id, allow404 } = await visible(role, resource);
  return { url: `/api/${resource}/${id}`, allow404 };
};
const patchVisible = (resource: string, payload: object) => async (role: DemoRoleCode | null) => {
  const { id, allow404 } = await visible(role, resource);
  return { url: `/api/${resource}/${id}`, payload, allow404 };
};
const actOnVisible = (resource: string, action: string) => async (role: DemoRoleCode | null) => {
  const { id, allow404 } = await visible(role, resource);
  return { url: `/api/${resource}/actions/${action}`, payload: { ids: [id] }, allow404 };
};
/**
 * A finished preview import of the admin's (a manager sees it too: customer.view_all), made once:
 * on PostgreSQL each import starts a thread, and a preview can be read and committed any number of times.
 */
let preview: Promise<number> | undefined;
const previewImport = () => {
  preview ??= makePreviewImport();
  return preview;
};
const makePreviewImport = async () => {
  const form = multipart(
    { mode: 'preview' },
    { name: 'm.csv', data: Buffer.from(`姓名,手机\n矩阵,136${String(++serial).padStart(8, '0')}\n`) },
  );
  const admin = sessions.get('admin')!;
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/customers/import',
    payload: form.payload,
    headers: { ...form.headers, ...as(admin) },
  });
  const id = response.json().importId as number;
  // A thread per import on PostgreSQL: on a loaded machine a preview took more than five seconds.
  await importEnded(t.app, admin, id, 1_200);
  return id;
};
const adminId = async () =>
  (await call(t.app, sessions.get('admin')!, 'GET', '/api/users?username=admin')).json().items[0].id;

const samples: Record<string, Sample> = {
  'GET /api/health': async () => ({ url: '/api/health' }),
  'GET /api/health/live': async () => ({ url: '/api/health/live' }),
  'GET /api/health/ready': async () => ({ url: '/api/health/ready' }),
  'GET /api/openapi.json': async () => ({ url: '/api/openapi.json' }),
  'POST /api/auth/login': async () => ({
    url: '/api/auth/login',
    payload: { username: 'admin', password: PASSWORD },
  }),
  'POST /api/auth/logout': async (role) => ({
    url: '/api/auth/logout',
    // A session of its own, so the others stay signed in.
    session: role ? await signIn(t.app, demoUsers[role], PASSWORD) : null,
  }),
  'GET /api/auth/me': async () => ({ url: '/api/auth/me' }),
  'GET /api/test/clock': async () => ({ url: '/api/test/clock' }),
  'PUT /api/test/clock': async () => ({ url: '/api/test/clock', payload: { now: new Date().toISOString() } }),
  'DELETE /api/test/clock': async () => ({ url: '/api/test/clock' }),

  'GET /api/users': async () => ({ url: '/api/users?q=a' }),
  'GET /api/meta/users': async () => ({ url: '/api/meta/users' }),
  'GET /api/users/:id': async () => ({ url: `/api/users/${await adminId()}` }),
  'POST /api/users': async () => ({
    url: '/api/users',
    payload: { username: unique('new_'), name: '新人', password: 'long-enough-1' },
  }),
  'PATCH /api/users/:id': async () => ({
    url: `/api/users/${await throwawayUser()}`,
    payload: { phone: '13800000000' },
  }),
  'DELETE /api/users/:id': async () => ({ url: `/api/users/${await throwawayUser()}` }),
  'POST /api/users/actions/disable': async () => ({
    url: '/api/users/actions/disable',
    payload: { ids: [await throwawayUser()] },
  }),
  'POST /api/users/actions/enable': async () => ({
    url: '/api/users/actions/enable',
    payload: { ids: [await throwawayUser()] },
  }),
  'POST /api/users/actions/reset-password': async () => ({
    url: '/api/users/actions/reset-password',
    payload: { ids: [await throwawayUser()], password: 'another-password' },
  }),

  'GET /api/options/users': async () => ({ url: '/api/options/users?q=三' }),
  'GET /api/options/courses': async () => ({ url: '/api/options/courses?q=Python' }),
  'GET /api/options/classes': async () => ({ url: '/api/options/classes?open=true&pageSize=5' }),
  'GET /api/roles': async () => ({ url: '/api/roles' }),
  'GET /api/meta/roles': async () => ({ url: '/api/meta/roles' }),
  'GET /api/roles/:id': async () => ({ url: `/api/roles/${await throwawayRole()}` }),
  'POST /api/roles': async () => ({ url: '/api/roles', payload: { code: unique('r'), title: '新角色' } }),
  'PATCH /api/roles/:id': async () => ({
    url: `/api/roles/${await throwawayRole()}`,
    payload: { title: '改名' },
  }),
  'DELETE /api/roles/:id': async () => ({ url: `/api/roles/${await throwawayRole()}` }),

  'GET /api/menus': async () => ({ url: '/api/menus' }),
  'GET /api/meta/menus': async () => ({ url: '/api/meta/menus' }),
  'GET /api/menus/:id': async () => ({ url: `/api/menus/${await throwawayMenu()}` }),
  'POST /api/menus': async () => ({ url: '/api/menus', payload: { title: '新菜单' } }),
  'PATCH /api/menus/:id': async () => ({
    url: `/api/menus/${await throwawayMenu()}`,
    payload: { icon: 'StarOutlined' },
  }),
  'DELETE /api/menus/:id': async () => ({ url: `/api/menus/${await throwawayMenu()}` }),
  'POST /api/menus/actions/reorder': async () => ({
    url: '/api/menus/actions/reorder',
    payload: { ids: [await throwawayMenu()] },
  }),

  'GET /api/permissions': async () => ({ url: '/api/permissions?kind=page' }),
  'GET /api/meta/permissions': async () => ({ url: '/api/meta/permissions' }),
  'GET /api/permissions/:id': async () => ({ url: '/api/permissions/1' }),
  'PATCH /api/permissions/:id': async () => ({ url: '/api/permissions/1', payload: { sort: 0 } }),

  'GET /api/departments': async () => ({ url: '/api/departments' }),
  'GET /api/meta/departments': async () => ({ url: '/api/meta/departments' }),
  'GET /api/departments/:id': async () => ({ url: `/api/departments/${await throwawayDepartment()}` }),
  'POST /api/departments': async () => ({
    url: '/api/departments',
    payload: { code: 60_000 + ++serial, title: '新部门' },
  }),
  'PATCH /api/departments/:id': async () => ({
    url: `/api/departments/${await throwawayDepartment()}`,
    payload: { title: '改名' },
  }),
  'DELETE /api/departments/:id': async () => ({ url: `/api/departments/${await throwawayDepartment()}` }),

  'GET /api/schools': async () => ({ url: '/api/schools?q=校' }),
  'GET /api/meta/schools': async () => ({ url: '/api/meta/schools' }),
  'GET /api/schools/:id': async () => ({ url: `/api/schools/${await throwawaySchool()}` }),
  'POST /api/schools': async () => ({ url: '/api/schools', payload: { title: unique('新校区') } }),
  'PATCH /api/schools/:id': async () => ({
    url: `/api/schools/${await throwawaySchool()}`,
    payload: { title: unique('改名') },
  }),
  'DELETE /api/schools/:id': async () => ({ url: `/api/schools/${await throwawaySchool()}` }),

  'GET /api/courses': async () => ({ url: '/api/courses?sort=name' }),
  'GET /api/meta/courses': async () => ({ url: '/api/meta/courses' }),
  'GET /api/courses/:id': async () => ({ url: `/api/courses/${await throwawayCourse()}` }),
  'POST /api/courses': async () => ({ url: '/api/courses', payload: { name: unique('新课程') } }),
  'PATCH /api/courses/:id': async () => ({
    url: `/api/courses/${await throwawayCourse()}`,
    payload: { name: unique('改名') },
  }),
  'DELETE /api/courses/:id': async () => ({ url: `/api/courses/${await throwawayCourse()}` }),

  'GET /api/notifications': async () => ({ url: '/api/notifications?status=pending,failed' }),
  'GET /api/meta/notifications': async () => ({ url: '/api/meta/notifications' }),
  'GET /api/notifications/:id': async () => ({ url: `/api/notifications/${await notification()}` }),
  'POST /api/notifications/actions/retry': async () => ({
    url: '/api/notifications/actions/retry',
    payload: { ids: [await notification()] },
  }),
  'GET /api/notify/channels': async () => ({ url: '/api/notify/channels' }),

  'GET /api/audit-log': async () => ({ url: '/api/audit-log?entity=users' }),
  'GET /api/meta/audit-log': async () => ({ url: '/api/meta/audit-log' }),
  'GET /api/audit-log/:id': async () => ({ url: `/api/audit-log/${await auditEntry()}` }),

  'GET /api/classes': async () => ({ url: '/api/classes?q=Python' }),
  'GET /api/meta/classes': async () => ({ url: '/api/meta/classes' }),
  'GET /api/classes/:id': byId('classes'),
  'GET /api/classes/:id/stats': async (role) => {
    const { id, allow404 } = await visible(role, 'classes');
    return { url: `/api/classes/${id}/stats`, allow404 };
  },
  'POST /api/classes': async () => ({
    url: '/api/classes',
    payload: { schoolId: 1, courseId: 2, semester: 2000 + ++serial, startDate: '2026-09-01', teacherIds: [] },
  }),
  'PATCH /api/classes/:id': patchVisible('classes', { memo: '调整' }),
  'DELETE /api/classes/:id': async () => ({ url: `/api/classes/${await throwawayClass()}` }),

  'GET /api/students': async () => ({ url: '/api/students' }),
  'GET /api/meta/students': async () => ({ url: '/api/meta/students' }),
  'GET /api/students/:id': byId('students'),
  'GET /api/students/:id/score-chart': async (role) => {
    // Without classId: the student's latest class the caller sees.
    const { id, allow404 } = await visible(role, 'students');
    return { url: `/api/students/${id}/score-chart`, allow404 };
  },
  'PATCH /api/students/:id': patchVisible('students', { memo: '表现良好' }),

  'GET /api/course-records': async () => ({ url: '/api/course-records?sort=-date' }),
  'GET /api/meta/course-records': async () => ({ url: '/api/meta/course-records' }),
  'GET /api/course-records/:id': byId('course-records'),
  'POST /api/course-records': async (role) => {
    const { id: classId, allow404 } = await visible(role, 'classes');
    // A class outside the caller's scope is a 400 on the body, like a missing one.
    return {
      url: '/api/course-records',
      payload: { classId, dayNum: 3000 + ++serial, date: '2026-09-02', title: '复习' },
      allow404,
    };
  },
  'PATCH /api/course-records/:id': patchVisible('course-records', { memo: '调整' }),
  'DELETE /api/course-records/:id': async (role) => ({
    url: `/api/course-records/${await throwawayLesson(role)}`,
  }),
  'POST /api/course-records/actions/init-study-records': actOnVisible('course-records', 'init-study-records'),
  'PUT /api/course-records/:id/scores': async (role) => {
    const { id, allow404 } = await visible(role, 'study-records');
    const [record] = await db().select().from(studyRecords).where(eq(studyRecords.id, id));
    return {
      url: `/api/course-records/${record!.courseRecordId}/scores`,
      payload: { scores: [{ studyRecordId: id, score: 90, homeworkNote: '' }] },
      allow404,
    };
  },

  'GET /api/study-records': async () => ({ url: '/api/study-records?attendance=late,noshow' }),
  'GET /api/meta/study-records': async () => ({ url: '/api/meta/study-records' }),
  'GET /api/study-records/:id': byId('study-records'),
  'PATCH /api/study-records/:id': patchVisible('study-records', { score: 90 }),
  'POST /api/study-records/actions/mark-checked': actOnVisible('study-records', 'mark-checked'),
  'POST /api/study-records/actions/mark-vacate': actOnVisible('study-records', 'mark-vacate'),
  'POST /api/study-records/actions/mark-late': actOnVisible('study-records', 'mark-late'),
  'POST /api/study-records/actions/mark-noshow': actOnVisible('study-records', 'mark-noshow'),
  'POST /api/study-records/actions/mark-leave-early': actOnVisible('study-records', 'mark-leave-early'),

  'GET /api/customers': async () => ({ url: '/api/customers?q=1&source=baidu,seo&status=unregistered' }),
  'GET /api/meta/customers': async () => ({ url: '/api/meta/customers' }),
  'GET /api/customers/:id/timeline': async (role) => {
    const { id, allow404 } = await visible(role, 'customers');
    return { url: `/api/customers/${id}/timeline`, allow404 };
  },
  'GET /api/customers/:id/student': async (role) => {
    const { id, allow404 } = await visible(role, 'customers');
    return { url: `/api/customers/${id}/student`, allow404 };
  },
  'GET /api/customers/:id': byId('customers'),
  'POST /api/customers': async () => ({
    url: '/api/customers',
    payload: { name: '新客户', phone: `135${String(++serial).padStart(8, '0')}` },
  }),
  'GET /api/customers/import-template': async () => ({ url: '/api/customers/import-template' }),
  'POST /api/customers/import': async () => ({
    url: '/api/customers/import',
    form: multipart(
      { mode: 'preview', assign: 'rotation' },
      { name: 'a.csv', data: Buffer.from(`姓名,手机\n导入,134${String(++serial).padStart(8, '0')}\n`) },
    ),
  }),
  'GET /api/imports': async () => ({ url: '/api/imports' }),
  'GET /api/imports/:id': async () => ({ url: `/api/imports/${await previewImport()}`, allow404: true }),
  'GET /api/imports/:id/errors.xlsx': async () => ({
    url: `/api/imports/${await previewImport()}/errors.xlsx`,
    allow404: true,
  }),
  'POST /api/imports/:id/commit': async () => ({
    url: `/api/imports/${await previewImport()}/commit`,
    payload: {},
    allow404: true,
  }),
  'PATCH /api/customers/:id': patchVisible('customers', { note: '有意向' }),
  'DELETE /api/customers/:id': async () => ({ url: `/api/customers/${await throwawayCustomer()}` }),
  'POST /api/customers/actions/reassign': async () => ({
    url: '/api/customers/actions/reassign',
    payload: { ids: [await throwawayCustomer()], consultantId: await adminId(), reason: '调整分工' },
  }),
  'POST /api/customers/:id/consult-records': async (role) => {
    const { id, allow404 } = await visible(role, 'customers');
    return {
      url: `/api/customers/${id}/consult-records`,
      payload: { note: '电话沟通', channel: 'phone' },
      allow404,
    };
  },
  'POST /api/payments': async () => ({
    url: '/api/payments',
    payload: { customerId: await throwawayCustomer(), classId: 1, payType: 'deposit', paidFee: '500' },
    // A consultant may only take payments of their own customers; the throwaway is nobody's.
    allow404: true,
  }),

  'GET /api/pool': async () => ({ url: '/api/pool?source=baidu,seo' }),
  'GET /api/meta/pool': async () => ({ url: '/api/meta/pool' }),
  'GET /api/pool/:id': async () => ({ url: `/api/pool/${await throwawayPublicCustomer()}` }),
  'POST /api/pool/:customerId/grab': async () => ({
    url: `/api/pool/${await throwawayPublicCustomer()}/grab`,
  }),
  'GET /api/my-customers': async () => ({ url: '/api/my-customers?status=following' }),
  'GET /api/meta/my-customers': async () => ({ url: '/api/meta/my-customers' }),
  'GET /api/my-customers/:id': byId('my-customers'),
  'GET /api/settings/teaching': async () => ({ url: '/api/settings/teaching' }),
  'PUT /api/settings/teaching': async () => ({
    url: '/api/settings/teaching',
    payload: { absenceStreakLessons: 2 },
  }),
  'POST /api/admin/sweep': async () => ({ url: '/api/admin/sweep' }),
  'GET /api/settings/pool': async () => ({ url: '/api/settings/pool' }),
  'PUT /api/settings/pool': async () => ({
    url: '/api/settings/pool',
    payload: {
      followUpDays: 3,
      dealDays: 15,
      previousOwnerCooldownDays: null,
      dailyGrabLimit: 0,
      maxOwned: 0,
      remindDaysBefore: 1,
    },
  }),

  'GET /api/reports/performance': async () => ({ url: '/api/reports/performance?month=2026-11' }),
  'GET /api/dashboard': async () => ({ url: '/api/dashboard' }),
  'GET /api/me/notifications': async () => ({ url: '/api/me/notifications?unread=true&pageSize=5' }),
  'POST /api/me/notifications/read': async () => ({
    url: '/api/me/notifications/read',
    payload: { all: true },
  }),

  'GET /api/me/notify-settings': async () => ({ url: '/api/me/notify-settings' }),
  'PUT /api/me/notify-settings': async () => ({
    url: '/api/me/notify-settings',
    payload: { channels: ['email'], perEvent: { grab_won: ['sms'] } },
  }),
  // This app has no WeChat settings: a caller allowed is told so (409), anyone else 401.
  'GET /api/me/wechat/qrcode': async () => ({ url: '/api/me/wechat/qrcode', status: 409 }),
  'DELETE /api/me/wechat': async () => ({ url: '/api/me/wechat' }),
  'GET /api/wechat/oauth/callback': async () => ({
    url: '/api/wechat/oauth/callback?code=c&state=s',
    status: 409,
  }),

  'GET /api/consult-records': async () => ({ url: '/api/consult-records?channel=phone' }),
  'GET /api/meta/consult-records': async () => ({ url: '/api/meta/consult-records' }),
  'GET /api/consult-records/:id': byId('consult-records'),

  'GET /api/payment-records': async () => ({ url: '/api/payment-records?payType=tuition' }),
  'GET /api/meta/payment-records': async () => ({ url: '/api/meta/payment-records' }),
  'GET /api/payment-records/:id': byId('payment-records'),
  'POST /api/payment-records/actions/confirm': actOnVisible('payment-records', 'confirm'),

  'GET /api/distributions': async () => ({ url: '/api/distributions?status=following' }),
  'GET /api/meta/distributions': async () => ({ url: '/api/meta/distributions' }),
  'GET /api/distributions/:id': byId('distributions'),

  'GET /api/sale-ranks': async () => ({ url: '/api/sale-ranks?active=true' }),
  'GET /api/meta/sale-ranks': async () => ({ url: '/api/meta/sale-ranks' }),
  'GET /api/sale-ranks/:id': byId('sale-ranks'),
  'POST /api/sale-ranks': async () => ({
    url: '/api/sale-ranks',
    payload: { consultantId: await throwawaySeller(), weight: 2, dailyQuota: 10 },
  }),
  'PATCH /api/sale-ranks/:id': async () => ({
    url: `/api/sale-ranks/${await throwawayRank()}`,
    payload: { weight: 3 },
  }),
  'DELETE /api/sale-ranks/:id': async () => ({ url: `/api/sale-ranks/${await throwawayRank()}` }),

  // Every list exports as .xlsx; each resource is named so a new one needs its line here.
  ...Object.fromEntries(
    [
      'users',
      'roles',
      'menus',
      'permissions',
      'departments',
      'schools',
      'courses',
      'classes',
      'students',
      'course-records',
      'study-records',
      'customers',
      'consult-records',
      'payment-records',
      'distributions',
      'pool',
      'my-customers',
      'sale-ranks',
      'notifications',
      'audit-log',
    ].map((name) => [`GET /api/${name}/export`, async () => ({ url: `/api/${name}/export` })]),
  ),
};

/** The API docs (Swagger UI's own routes) are public by design; one sample serves them all. */
const isDocs = (route: GuardedRoute) => route.url.startsWith('/api/docs');

function expected(route: GuardedRoute, role: DemoRoleCode | null): 'ok' | 401 | 403 {
  const { access } = route;
  if ('public' in access) return 'ok';
  if (role === null) return 401;
  if ('signedIn' in access) return 'ok';
  return (demoRoleGrants[role] as readonly string[]).includes(access.permission) ? 'ok' : 403;
}

beforeAll(async () => {
  t = await buildTestApp({ testClock: true });
  await seedDemo(t.database.db, { password: PASSWORD, at: new Date() });
  for (const role of Object.keys(demoUsers) as DemoRoleCode[]) {
    sessions.set(role, await signIn(t.app, demoUsers[role], PASSWORD));
  }
});
afterAll(async () => {
  setClock(null);
  await t?.close();
});

describe('the authorization matrix', () => {
  it('has a sample for every guarded route, and no sample for a route that is gone', () => {
    const keys = t.app.apiRoutes.filter((r) => !isDocs(r)).map((r) => `${r.method} ${r.url}`);
    expect(
      keys.filter((k) => !(k in samples)),
      'routes without a matrix entry',
    ).toEqual([]);
    expect(
      Object.keys(samples).filter((k) => !keys.includes(k)),
      'samples without a route',
    ).toEqual([]);
  });

  // About 600 requests: 8 s alone, over 30 s on a loaded machine.
  it('answers every route × role exactly as the role’s codes allow', { timeout: 240_000 }, async () => {
    const roleList: (DemoRoleCode | null)[] = [null, ...(Object.keys(demoUsers) as DemoRoleCode[])];
    const mismatches: string[] = [];
    let cells = 0;
    for (const route of t.app.apiRoutes) {
      for (const role of roleList) {
        const request: Request = isDocs(route)
          ? { url: route.url.replace(/\*$/, 'index.html').replace(/:[a-z]+/gi, 'x') }
          : await samples[`${route.method} ${route.url}`]!(role);
        const session = request.session !== undefined ? request.session : role ? sessions.get(role)! : null;
        const response = request.form
          ? await t.app.inject({
              method: route.method as Method,
              url: request.url,
              payload: request.form.payload,
              headers: { ...request.form.headers, ...(session ? as(session) : {}) },
            })
          : await call(t.app, session, route.method as Method, request.url, request.payload);
        const want = expected(route, role);
        const got = response.statusCode;
        const scopedOut = request.allow404 === true && (got === 404 || got === 400);
        const ok =
          want === 'ok' ? (got >= 200 && got < 400) || scopedOut || got === request.status : got === want;
        if (!ok)
          mismatches.push(
            `${route.method} ${route.url} as ${role ?? 'anonymous'}: want ${want}, got ${got} ${response.body.slice(0, 120)}`,
          );
        cells++;
      }
    }
    expect(mismatches).toEqual([]);
    console.log(
      `authorization matrix: ${t.app.apiRoutes.length} routes × ${roleList.length} roles = ${cells} cells`,
    );
  });
});

/**
 * Delegated administration (issue 20, item 4): someone given user.update or role.update manages
 * staff and roles, but never grants what they do not hold, and never touches the admin role or an
 * administrator's account. Each refusal is 403 with its code and changes nothing.
 */
describe('delegated administration', () => {
  const delegateCodes: PermissionCode[] = [
    'user.list',
    'user.create',
    'user.update',
    'user.delete',
    'role.list',
    'role.create',
    'role.update',
    'role.delete',
    'customer.list',
  ];
  let delegate: Session;
  let ids: Record<'delegate' | 'delegateRole' | 'adminRole' | 'managerRole' | 'lister' | 'admin', number>;
  let manager: number;
  let disabledManager: number;
  let richRole: number;

  const roleId = async (code: string) =>
    (await db().select({ id: roles.id }).from(roles).where(eq(roles.code, code)))[0]!.id;
  /** Who holds what, who is active and their passwords: what none of the refusals may change. */
  const everything = async () =>
    JSON.stringify([
      await db().select().from(roles).orderBy(asc(roles.id)),
      await db().select().from(rolePermissions).orderBy(asc(rolePermissions.id)),
      await db().select().from(userRoles).orderBy(asc(userRoles.id)),
      await db()
        .select({ id: users.id, name: users.name, active: users.active, hash: users.passwordHash })
        .from(users)
        .orderBy(asc(users.id)),
    ]);

  beforeAll(async () => {
    const delegateRole = await makeRole(db(), delegateCodes);
    const user = await makeUser(db(), { roleCodes: [delegateRole.code] });
    delegate = await signIn(t.app, user.username, TEST_PASSWORD);
    ids = {
      delegate: user.id,
      delegateRole: delegateRole.id,
      adminRole: await roleId('admin'),
      managerRole: await roleId('sales_manager'),
      lister: (await makeRole(db(), ['customer.list'])).id,
      admin: await adminId(),
    };
    manager = (await makeUser(db(), { roleCodes: ['sales_manager'] })).id;
    disabledManager = (await makeUser(db(), { roleCodes: ['sales_manager'], active: false })).id;
    richRole = (await makeRole(db(), ['customer.list', 'customer.view_all', 'customer.assign'])).id;
  });

  type Case = [
    what: string,
    method: Method,
    url: () => string,
    payload: () => object | undefined,
    code: string,
  ];
  const newUser = (roleIds: () => number[]) => () => ({
    username: unique('deleg_'),
    name: '新人',
    password: 'long-enough-1',
    roleIds: roleIds(),
  });
  const refusals: Case[] = [
    [
      'puts themselves in the admin role',
      'PATCH',
      () => `/api/users/${ids.delegate}`,
      () => ({ roleIds: [ids.delegateRole, ids.adminRole] }),
      'admin_only',
    ],
    [
      'gives themselves a role with codes they lack',
      'PATCH',
      () => `/api/users/${ids.delegate}`,
      () => ({ roleIds: [ids.delegateRole, ids.managerRole] }),
      'grant_not_held',
    ],
    [
      'creates a user in a role with codes they lack',
      'POST',
      () => '/api/users',
      newUser(() => [ids.managerRole]),
      'grant_not_held',
    ],
    [
      'creates a user in the admin role',
      'POST',
      () => '/api/users',
      newUser(() => [ids.adminRole]),
      'admin_only',
    ],
    [
      'takes the admin role from the administrator',
      'PATCH',
      () => `/api/users/${ids.admin}`,
      () => ({ roleIds: [] }),
      'admin_only',
    ],
    [
      "edits the administrator's account",
      'PATCH',
      () => `/api/users/${ids.admin}`,
      () => ({ email: 'me@evil.example' }),
      'admin_only',
    ],
    [
      'disables the administrator',
      'POST',
      () => '/api/users/actions/disable',
      () => ({ ids: [ids.admin] }),
      'admin_only',
    ],
    ['deletes the administrator', 'DELETE', () => `/api/users/${ids.admin}`, () => undefined, 'admin_only'],
    [
      "resets the administrator's password",
      'POST',
      () => '/api/users/actions/reset-password',
      () => ({ ids: [ids.admin], password: 'i-am-admin-now' }),
      'admin_only',
    ],
    [
      "resets a manager's password (and could sign in as them)",
      'POST',
      () => '/api/users/actions/reset-password',
      () => ({ ids: [manager], password: 'i-am-manager-now' }),
      'user_holds_more',
    ],
    [
      'enables a disabled manager',
      'POST',
      () => '/api/users/actions/enable',
      () => ({ ids: [disabledManager] }),
      'user_holds_more',
    ],
    [
      'enables a disabled manager by editing them',
      'PATCH',
      () => `/api/users/${disabledManager}`,
      () => ({ active: true }),
      'user_holds_more',
    ],
    [
      'grants their own role a code they lack',
      'PATCH',
      () => `/api/roles/${ids.delegateRole}`,
      () => ({ permissionCodes: [...delegateCodes, 'customer.view_all'] }),
      'grant_not_held',
    ],
    [
      'grants another role a code they lack',
      'PATCH',
      () => `/api/roles/${ids.lister}`,
      () => ({ permissionCodes: ['customer.list', 'settings.pool'] }),
      'grant_not_held',
    ],
    [
      'creates a role with codes they lack',
      'POST',
      () => '/api/roles',
      () => ({ code: unique('r'), title: '新角色', permissionCodes: ['settings.pool'] }),
      'grant_not_held',
    ],
    [
      'strips the admin role of its codes',
      'PATCH',
      () => `/api/roles/${ids.adminRole}`,
      () => ({ permissionCodes: ['customer.list'] }),
      'admin_only',
    ],
    [
      'renames the admin role',
      'PATCH',
      () => `/api/roles/${ids.adminRole}`,
      () => ({ title: '前管理员' }),
      'admin_only',
    ],
    [
      "takes the admin role's code for another role",
      'PATCH',
      () => `/api/roles/${ids.lister}`,
      () => ({ code: 'admin' }),
      'admin_only',
    ],
    ['deletes the admin role', 'DELETE', () => `/api/roles/${ids.adminRole}`, () => undefined, 'admin_only'],
  ];

  it.each(refusals)(
    'refuses a delegate who %s (403, nothing changed)',
    async (_what, method, url, payload, code) => {
      const before = await everything();
      const response = await call(t.app, delegate, method, url(), payload());
      expect(response.statusCode, response.body).toBe(403);
      expect(response.json()).toMatchObject({ error: code, message: expect.any(String) });
      expect(await everything()).toBe(before);
    },
  );

  it('lets a delegate give and take what they hold, and manage accounts that hold no more', async () => {
    const ok = async (method: Method, url: string, payload?: object) => {
      const response = await call(t.app, delegate, method, url, payload);
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
      return response;
    };
    await ok('PATCH', `/api/users/${ids.delegate}`, { roleIds: [ids.delegateRole, ids.lister] });
    await ok('POST', '/api/users', newUser(() => [ids.lister])());
    await ok('PATCH', `/api/roles/${ids.lister}`, { permissionCodes: ['customer.list', 'user.list'] });
    await ok('POST', '/api/roles', { code: unique('r'), title: '助理', permissionCodes: ['customer.list'] });
    // Taking codes away is not granting them: a role keeps or loses codes its editor lacks.
    await ok('PATCH', `/api/roles/${richRole}`, { permissionCodes: ['customer.list', 'customer.view_all'] });
    const helper = await makeUser(db(), { codes: ['customer.list'] });
    await ok('POST', '/api/users/actions/reset-password', { ids: [helper.id], password: 'a-fresh-password' });
    // Disabling someone who holds more takes nothing for the delegate.
    await ok('POST', '/api/users/actions/disable', { ids: [manager] });
  });

  it('lets an administrator do what the delegate may not', async () => {
    const admin = sessions.get('admin')!;
    const ok = async (method: Method, url: string, payload?: object) => {
      const response = await call(t.app, admin, method, url, payload);
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
    };
    await ok('PATCH', `/api/users/${ids.delegate}`, { roleIds: [ids.delegateRole, ids.adminRole] });
    await ok('PATCH', `/api/users/${ids.delegate}`, { roleIds: [ids.delegateRole] });
    await ok('POST', '/api/users/actions/enable', { ids: [disabledManager] });
    await ok('POST', '/api/users/actions/reset-password', {
      ids: [disabledManager],
      password: 'new-manager-pass',
    });
    await ok('PATCH', `/api/roles/${ids.lister}`, { permissionCodes: ['customer.list', 'settings.pool'] });
    await ok('PATCH', `/api/roles/${ids.adminRole}`, { title: '超级管理员' });
  });
});
