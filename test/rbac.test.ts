import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionCodes } from '../server/auth/catalogue.ts';
import { businessDate } from '../server/clock.ts';
import { auditLog, roles, users } from '../server/db/schema/index.ts';
import { buildTestApp, call, type Method, type Session, signIn, type TestApp } from './app.ts';
import { makeClass, makeRole, makeUser, TEST_PASSWORD } from './factories.ts';

let t: TestApp;
let admin: Session;
let adminId: number;
let adminRoleId: number;

const api = (session: Session | null, method: Method, url: string, payload?: object) =>
  call(t.app, session, method, url, payload);

beforeAll(async () => {
  t = await buildTestApp();
  const role = await makeRole(t.database.db, [...permissionCodes], 'admin');
  adminRoleId = role.id;
  const user = await makeUser(t.database.db, { username: 'root', name: '管理员', roleCodes: ['admin'] });
  adminId = user.id;
  admin = await signIn(t.app, 'root', TEST_PASSWORD);
});
afterAll(async () => t?.close());

describe('users', () => {
  it('creates a user with roles and never answers with a password hash', async () => {
    const role = await makeRole(t.database.db, ['customer.list']);
    const created = await api(admin, 'POST', '/api/users', {
      username: 'sanjiang',
      name: '三江',
      password: 'a-good-password',
      roleIds: [role.id],
      notifyChannels: ['wechat', 'sms'],
    });
    expect(created.statusCode).toBe(201);
    const user = created.json();
    expect(user).toMatchObject({ username: 'sanjiang', name: '三江', roleIds: [role.id], active: true });
    expect(user.roles).toEqual([{ id: role.id, title: role.title, code: role.code }]);
    expect(created.body).not.toMatch(/argon2|passwordHash|password_hash/);
    const list = await api(admin, 'GET', '/api/users?q=sanj');
    expect(list.json()).toMatchObject({ total: 1, page: 1, pageSize: 20 });
    expect(list.body).not.toMatch(/argon2/);
    // The new user can sign in with the password given.
    await signIn(t.app, 'sanjiang', 'a-good-password');
  });

  it('refuses short passwords, the username as password, taken usernames and unknown roles', async () => {
    const short = await api(admin, 'POST', '/api/users', { username: 'u1', name: 'U', password: 'short' });
    expect(short.statusCode).toBe(400);
    const same = await api(admin, 'POST', '/api/users', {
      username: 'samesame',
      name: 'U',
      password: 'SameSame',
    });
    expect(same.json()).toMatchObject({ error: 'validation', details: [{ field: 'password' }] });
    const taken = await api(admin, 'POST', '/api/users', {
      username: 'ROOT',
      name: 'U',
      password: 'long-enough-1',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toBe('username_taken');
    const badRole = await api(admin, 'POST', '/api/users', {
      username: 'u2',
      name: 'U',
      password: 'long-enough-1',
      roleIds: [99999],
    });
    expect(badRole.statusCode).toBe(400);
    const unknownField = await api(admin, 'POST', '/api/users', {
      username: 'u3',
      name: 'U',
      password: 'long-enough-1',
      passwordHash: 'x',
    });
    expect(unknownField.statusCode).toBe(400);
    expect((await api(admin, 'GET', '/api/users?username=u1,u2,u3')).json().total).toBe(0);
  });

  it('does not let you disable or delete yourself', async () => {
    const patch = await api(admin, 'PATCH', `/api/users/${adminId}`, { active: false });
    expect(patch.statusCode).toBe(409);
    expect(patch.json().error).toBe('cannot_disable_self');
    const action = await api(admin, 'POST', '/api/users/actions/disable', { ids: [adminId] });
    expect(action.json().error).toBe('cannot_disable_self');
    const del = await api(admin, 'DELETE', `/api/users/${adminId}`);
    expect(del.json().error).toBe('cannot_delete_self');
  });

  it('keeps one active user who can administer roles (409 last_admin)', async () => {
    // A user manager who may edit users but not roles tries to disable the only role administrator:
    // an administrator's account is an administrator's to change (issue 20), so that is refused first.
    const userManager = await makeUser(t.database.db, { codes: ['user.list', 'user.update', 'user.delete'] });
    const session = await signIn(t.app, userManager.username, TEST_PASSWORD);
    const disable = await api(session, 'PATCH', `/api/users/${adminId}`, { active: false });
    expect(disable.statusCode).toBe(403);
    expect(disable.json().error).toBe('admin_only');
    expect((await api(session, 'PATCH', `/api/users/${adminId}`, { roleIds: [] })).json().error).toBe(
      'admin_only',
    );
    expect((await api(session, 'DELETE', `/api/users/${adminId}`)).json().error).toBe('admin_only');
    // The administrator cannot leave the admin role either, being the only one who administers roles.
    const leave = await api(admin, 'PATCH', `/api/users/${adminId}`, { roleIds: [] });
    expect(leave.statusCode).toBe(409);
    expect(leave.json().error).toBe('last_admin');
    // Taking role administration away from the admin role itself is refused too.
    const codes = permissionCodes.filter((c) => c !== 'role.update');
    const revoke = await api(admin, 'PATCH', `/api/roles/${adminRoleId}`, { permissionCodes: codes });
    expect(revoke.json().error).toBe('last_admin');
    // Nothing changed.
    const me = await api(admin, 'GET', '/api/auth/me');
    expect(me.json().permissions).toContain('role.update');
    expect(me.json().roles.map((r: { code: string }) => r.code)).toEqual(['admin']);
    // With a second administrator, the first may go (at an administrator's hand).
    const second = await makeUser(t.database.db, { roleCodes: ['admin'] });
    const ok = await api(admin, 'PATCH', `/api/users/${second.id}`, { active: false });
    expect(ok.statusCode).toBe(200);
  });

  it('resets passwords in bulk and signs those users out', async () => {
    const a = await makeUser(t.database.db, { codes: ['customer.list'] });
    const sessionA = await signIn(t.app, a.username, TEST_PASSWORD);
    const reset = await api(admin, 'POST', '/api/users/actions/reset-password', {
      ids: [a.id],
      password: 'brand-new-pass',
    });
    expect(reset.json()).toEqual({ ok: true, affected: 1 });
    expect((await api(sessionA, 'GET', '/api/auth/me')).statusCode).toBe(401);
    await signIn(t.app, a.username, 'brand-new-pass');
    const audit = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'users'), eq(auditLog.action, 'reset-password')));
    expect(audit.at(-1)?.after).toEqual({ ids: [a.id] });
  });

  it('answers 404 for an unknown id and a bulk action naming one', async () => {
    expect((await api(admin, 'GET', '/api/users/987654')).statusCode).toBe(404);
    expect(
      (await api(admin, 'POST', '/api/users/actions/enable', { ids: [adminId, 987654] })).statusCode,
    ).toBe(404);
  });
});

describe('roles and live permissions', () => {
  it('applies a change of grants on the very next request, without signing in again', async () => {
    const role = await makeRole(t.database.db, ['customer.list', 'user.list']);
    const user = await makeUser(t.database.db);
    await api(admin, 'PATCH', `/api/users/${user.id}`, { roleIds: [role.id] });
    const session = await signIn(t.app, user.username, TEST_PASSWORD);
    expect((await api(session, 'GET', '/api/users')).statusCode).toBe(200);
    const revoke = await api(admin, 'PATCH', `/api/roles/${role.id}`, { permissionCodes: ['customer.list'] });
    expect(revoke.json().permissionCodes).toEqual(['customer.list']);
    expect((await api(session, 'GET', '/api/users')).statusCode).toBe(403);
    const me = (await api(session, 'GET', '/api/auth/me')).json();
    expect(me.permissions).toEqual(['customer.list']);
    expect(me.menus.flatMap((m: { items: { path: string }[] }) => m.items.map((i) => i.path))).toEqual([
      '/customers',
    ]);
  });

  it('tells every signed-in answer the grants version, so a page knows to read its menus again', async () => {
    const role = await makeRole(t.database.db, ['customer.list', 'pool.list']);
    const user = await makeUser(t.database.db);
    await api(admin, 'PATCH', `/api/users/${user.id}`, { roleIds: [role.id] });
    const session = await signIn(t.app, user.username, TEST_PASSWORD);
    const me = await api(session, 'GET', '/api/auth/me');
    const before = me.json().authEpoch;
    expect(me.headers['x-auth-epoch']).toBe(before);
    expect(me.json().timezone).toBe(t.config.timezone);
    // Any grant anywhere moves it, and the next answer of any kind says so.
    await api(admin, 'PATCH', `/api/roles/${role.id}`, { permissionCodes: ['customer.list'] });
    const after = await api(session, 'GET', '/api/customers');
    expect(after.statusCode).toBe(200);
    expect(after.headers['x-auth-epoch']).not.toBe(before);
    expect((await api(session, 'GET', '/api/auth/me')).json().authEpoch).toBe(after.headers['x-auth-epoch']);
  });

  it('validates codes and refuses to delete a role someone holds', async () => {
    const bad = await api(admin, 'POST', '/api/roles', { code: 'Bad Code', title: 'x' });
    expect(bad.statusCode).toBe(400);
    const unknown = await api(admin, 'POST', '/api/roles', {
      code: 'auditor',
      title: '审计',
      permissionCodes: ['no.such'],
    });
    expect(unknown.json().details[0].field).toBe('permissionCodes');
    const created = await api(admin, 'POST', '/api/roles', {
      code: 'auditor',
      title: '审计',
      permissionCodes: ['audit_log.list'],
    });
    expect(created.statusCode).toBe(201);
    expect((await api(admin, 'POST', '/api/roles', { code: 'auditor', title: 'again' })).json().error).toBe(
      'code_taken',
    );
    const held = await api(admin, 'DELETE', `/api/roles/${adminRoleId}`);
    expect(held.statusCode).toBe(409);
    expect(held.json().error).toBe('referenced');
    expect((await api(admin, 'DELETE', `/api/roles/${created.json().id}`)).statusCode).toBe(200);
    expect(await t.database.db.select().from(roles).where(eq(roles.code, 'auditor'))).toHaveLength(0);
  });
});

describe('menus and permissions', () => {
  it('reorders menu groups, and me.menus follows', async () => {
    const menus = (await api(admin, 'GET', '/api/menus?sort=sort')).json().items as {
      id: number;
      title: string;
    }[];
    expect(menus.map((m) => m.title)).toEqual(['销售管理', '教学管理', '系统管理']);
    const reversed = [...menus].reverse().map((m) => m.id);
    expect((await api(admin, 'POST', '/api/menus/actions/reorder', { ids: reversed })).statusCode).toBe(200);
    const me = (await api(admin, 'GET', '/api/auth/me')).json();
    expect(me.menus.map((m: { title: string }) => m.title)).toEqual(['系统管理', '教学管理', '销售管理']);
    await api(admin, 'POST', '/api/menus/actions/reorder', { ids: menus.map((m) => m.id) });
  });

  it('lets an administrator retitle a permission but not change its code or kind', async () => {
    const [perm] = (await api(admin, 'GET', '/api/permissions?code=customer.grab')).json().items;
    const renamed = await api(admin, 'PATCH', `/api/permissions/${perm.id}`, { title: '抢客户' });
    expect(renamed.json()).toMatchObject({
      code: 'customer.grab',
      title: '抢客户',
      kind: 'action',
      parentCode: 'pool.list',
    });
    expect((await api(admin, 'PATCH', `/api/permissions/${perm.id}`, { code: 'x' })).statusCode).toBe(400);
    const badParent = await api(admin, 'PATCH', `/api/permissions/${perm.id}`, {
      parentCode: 'customer.grab',
    });
    expect(badParent.statusCode).toBe(400);
    expect((await api(admin, 'POST', '/api/permissions', { code: 'x.y', title: 'x' })).statusCode).toBe(404);
  });
});

describe('list parameters', () => {
  it('refuses unknown parameters, unsortable sorts and oversized pages', async () => {
    for (const url of [
      '/api/users?color=red',
      '/api/users?sort=password',
      '/api/users?sort=roleIds',
      '/api/users?pageSize=201',
      '/api/users?page=0',
      '/api/users?active=maybe',
      '/api/users?createdAt=yesterday..',
    ]) {
      const response = await api(admin, 'GET', url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error, url).toBe('validation');
    }
  });

  it('answers injection-shaped input with 400 or an empty result, never 500', async () => {
    const nasty = [
      "' OR 1=1 --",
      '__',
      '%',
      '\\',
      '😀'.repeat(20),
      'x'.repeat(10_000),
      '..',
      ',',
      '9999999999',
      '-9999999999',
    ];
    for (const value of nasty) {
      for (const param of ['q', 'username', 'departmentId', 'roleIds', 'sort', 'createdAt', 'page']) {
        const response = await api(admin, 'GET', `/api/users?${param}=${encodeURIComponent(value)}`);
        expect([200, 400], `${param}=${value.slice(0, 20)}`).toContain(response.statusCode);
        if (response.statusCode === 200 && param === 'q') expect(response.json().total).toBe(0);
      }
    }
  });

  it('refuses ids past the database integer in bodies and bulk actions with 400, not 500', async () => {
    const huge = 9_999_999_999;
    expect((await api(admin, 'POST', '/api/users/actions/enable', { ids: [huge] })).statusCode).toBe(400);
    expect((await api(admin, 'PATCH', `/api/users/${adminId}`, { departmentId: huge })).statusCode).toBe(400);
    expect((await api(admin, 'GET', `/api/users/${huge}`)).statusCode).toBe(400);
  });

  it('filters with OR within a field and AND across fields, and ranges by date', async () => {
    const role = await makeRole(t.database.db, []);
    const a = await makeUser(t.database.db, { name: '过滤甲' });
    const b = await makeUser(t.database.db, { name: '过滤乙' });
    await api(admin, 'PATCH', `/api/users/${a.id}`, { roleIds: [role.id] });
    await api(admin, 'PATCH', `/api/users/${b.id}`, { roleIds: [role.id], active: false });
    const both = (await api(admin, 'GET', `/api/users?roleIds=${role.id}&sort=-id`)).json();
    expect(both.items.map((u: { id: number }) => u.id)).toEqual([b.id, a.id]);
    const activeOnly = (await api(admin, 'GET', `/api/users?roleIds=${role.id}&active=true`)).json();
    expect(activeOnly.items.map((u: { id: number }) => u.id)).toEqual([a.id]);
    const names = (await api(admin, 'GET', `/api/users?username=${a.username},${b.username}`)).json();
    expect(names.total).toBe(2);
    const today = businessDate(new Date(), t.config.timezone);
    expect((await api(admin, 'GET', `/api/users?createdAt=${today}..${today}&q=过滤`)).json().total).toBe(2);
    expect((await api(admin, 'GET', '/api/users?createdAt=..2000-01-01')).json().total).toBe(0);
  });

  it("ranges by the school's days, whatever the database's time zone", async () => {
    const early = await makeUser(t.database.db, { name: '时区早' });
    const late = await makeUser(t.database.db, { name: '时区晚' });
    // 01:00 and 23:30 on 6 December in Shanghai are 5 December 17:00 and 6 December 15:30 in UTC.
    await t.database.db
      .update(users)
      .set({ createdAt: new Date('2026-12-05T17:00:00Z') })
      .where(eq(users.id, early.id));
    await t.database.db
      .update(users)
      .set({ createdAt: new Date('2026-12-06T15:30:00Z') })
      .where(eq(users.id, late.id));
    const named = async (range: string) =>
      (await api(admin, 'GET', `/api/users?createdAt=${range}&q=时区&sort=id`))
        .json()
        .items.map((u: { name: string }) => u.name);
    expect(t.config.timezone).toBe('Asia/Shanghai');
    expect(await named('2026-12-06..2026-12-06')).toEqual(['时区早', '时区晚']);
    expect(await named('2026-12-05..2026-12-05')).toEqual([]);
    expect(await named('2026-12-06..')).toEqual(['时区早', '时区晚']);
    expect(await named('..2026-12-05')).toEqual([]);
  });

  it('describes each resource with what the caller may do', async () => {
    const viewer = await makeUser(t.database.db, { codes: ['user.list'] });
    const session = await signIn(t.app, viewer.username, TEST_PASSWORD);
    const meta = (await api(session, 'GET', '/api/meta/users')).json();
    expect(meta.allowed).toEqual({
      list: true,
      create: false,
      update: false,
      delete: false,
      export: true, // exporting follows the list permission unless a resource names its own code
      actions: { disable: false, enable: false, 'reset-password': false },
    });
    expect(meta.fields.map((f: { key: string }) => f.key)).toContain('roleIds');
    expect(meta.fields.find((f: { key: string }) => f.key === 'password')).toMatchObject({
      createOnly: true,
      kind: 'password',
    });
    expect((await api(session, 'GET', '/api/meta/roles')).statusCode).toBe(403);
    // Customers name their own export code: listing them is not enough to take them away in bulk.
    const lister = await makeUser(t.database.db, { codes: ['customer.list'] });
    const listerSession = await signIn(t.app, lister.username, TEST_PASSWORD);
    expect((await api(listerSession, 'GET', '/api/meta/customers')).json().allowed.export).toBe(false);
  });
});

describe('deleting and the audit log', () => {
  it('refuses to delete what is still referenced, naming what refers to it, and changes nothing', async () => {
    const school = (await api(admin, 'POST', '/api/schools', { title: '北京校区' })).json();
    const course = (await api(admin, 'POST', '/api/courses', { name: 'Python全栈' })).json();
    await makeClass(t.database.db, {
      schoolId: school.id,
      courseId: course.id,
      semester: 9,
      startDate: '2026-01-01',
    });
    const refused = await api(admin, 'DELETE', `/api/schools/${school.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toEqual({
      error: 'referenced',
      message: 'Still in use by classes; remove those first',
      params: { table: 'classes' },
    });
    expect((await api(admin, 'GET', `/api/schools/${school.id}`)).statusCode).toBe(200);
  });

  it('records every write with its actor and the record before and after', async () => {
    const created = (await api(admin, 'POST', '/api/departments', { code: 700, title: '市场部' })).json();
    await api(admin, 'PATCH', `/api/departments/${created.id}`, { title: '市场中心' });
    await api(admin, 'DELETE', `/api/departments/${created.id}`);
    const log = (
      await api(admin, 'GET', `/api/audit-log?entity=departments&entityId=${created.id}&sort=id`)
    ).json();
    expect(log.items.map((e: { action: string }) => e.action)).toEqual(['create', 'update', 'delete']);
    expect(log.items[1]).toMatchObject({
      actorId: adminId,
      actor: { id: adminId, name: '管理员' },
      before: { title: '市场部' },
      after: { title: '市场中心' },
    });
  });
});
