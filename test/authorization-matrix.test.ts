import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuardedRoute } from '../server/auth/gate.ts';
import { setClock } from '../server/clock.ts';
import {
  auditLog,
  courses,
  departments,
  menus,
  notifications,
  roles,
  schools,
} from '../server/db/schema/index.ts';
import { type DemoRoleCode, demoRoleGrants, seedDemo } from '../server/db/seed/demo.ts';
import { buildTestApp, call, type Method, type Session, signIn, type TestApp } from './app.ts';
import { makeUser } from './factories.ts';

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

type Request = { url: string; payload?: object; session?: Session | null };
type Sample = (role: DemoRoleCode | null) => Promise<Request>;

const db = () => t.database.db;
const throwawayUser = async () => (await makeUser(db(), { username: unique('tmp_') })).id;
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
const throwawaySchool = async () =>
  (
    await db()
      .insert(schools)
      .values({ title: unique('校区') })
      .returning()
  )[0]!.id;
const throwawayCourse = async () =>
  (
    await db()
      .insert(courses)
      .values({ name: unique('课程') })
      .returning()
  )[0]!.id;
const auditEntry = async () =>
  (await db().insert(auditLog).values({ action: 'create', entity: 'x', at: new Date() }).returning())[0]!.id;
const notification = async () =>
  (
    await db()
      .insert(notifications)
      .values({ userId: 1, channel: 'email', event: 'grab_won', dedupeKey: unique('k') })
      .returning()
  )[0]!.id;
const adminId = async () =>
  (await call(t.app, sessions.get('admin')!, 'GET', '/api/users?username=admin')).json().items[0].id;

const samples: Record<string, Sample> = {
  'GET /api/health': async () => ({ url: '/api/health' }),
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

  'GET /api/audit-log': async () => ({ url: '/api/audit-log?entity=users' }),
  'GET /api/meta/audit-log': async () => ({ url: '/api/meta/audit-log' }),
  'GET /api/audit-log/:id': async () => ({ url: `/api/audit-log/${await auditEntry()}` }),
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

  it('answers every route × role exactly as the role’s codes allow', async () => {
    const roleList: (DemoRoleCode | null)[] = [null, ...(Object.keys(demoUsers) as DemoRoleCode[])];
    const mismatches: string[] = [];
    let cells = 0;
    for (const route of t.app.apiRoutes) {
      for (const role of roleList) {
        const request: Request = isDocs(route)
          ? { url: route.url.replace(/\*$/, 'index.html').replace(/:[a-z]+/gi, 'x') }
          : await samples[`${route.method} ${route.url}`]!(role);
        const session = request.session !== undefined ? request.session : role ? sessions.get(role)! : null;
        const response = await call(t.app, session, route.method as Method, request.url, request.payload);
        const want = expected(route, role);
        const got = response.statusCode;
        const ok = want === 'ok' ? got >= 200 && got < 400 : got === want;
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
