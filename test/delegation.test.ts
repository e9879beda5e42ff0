import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionCodes } from '../server/auth/catalogue.ts';
import { buildTestApp, call, type Method, type Session, signIn, type TestApp } from './app.ts';
import { makeRole, makeUser, TEST_PASSWORD } from './factories.ts';

/**
 * Delegated administration beyond the authorization matrix's cases: the administrator the admin
 * role needs is never lost, and what the roles list tells each caller they may do with a role.
 */
let t: TestApp;
let admin: Session;
let adminId: number;
let adminRoleId: number;

const api = (session: Session, method: Method, url: string, payload?: object) =>
  call(t.app, session, method, url, payload);

beforeAll(async () => {
  t = await buildTestApp();
  adminRoleId = (await makeRole(t.database.db, [...permissionCodes], 'admin')).id;
  adminId = (await makeUser(t.database.db, { username: 'root', roleCodes: ['admin'] })).id;
  admin = await signIn(t.app, 'root', TEST_PASSWORD);
  // Someone outside the admin role who may administer roles, so `last_admin` alone would not stop
  // the changes below.
  await makeUser(t.database.db, { codes: ['role.list', 'role.update'] });
});
afterAll(async () => t?.close());

describe('the last administrator', () => {
  it('may not leave the admin role, rename it away, or strip it of role administration (409)', async () => {
    const attempts: [string, string, object][] = [
      ['leaves it', `/api/users/${adminId}`, { roleIds: [] }],
      ['renames its code', `/api/roles/${adminRoleId}`, { code: 'retired_admin' }],
      [
        'takes role.update from it',
        `/api/roles/${adminRoleId}`,
        { permissionCodes: permissionCodes.filter((code) => code !== 'role.update') },
      ],
    ];
    for (const [what, url, payload] of attempts) {
      const response = await api(admin, 'PATCH', url, payload);
      expect(response.statusCode, what).toBe(409);
      expect(response.json().error, what).toBe('last_administrator');
    }
    const me = (await api(admin, 'GET', '/api/auth/me')).json();
    expect(me.roles.map((r: { code: string }) => r.code)).toEqual(['admin']);
    expect(me.permissions).toContain('role.update');
  });

  it('may go once another administrator remains', async () => {
    const second = await makeUser(t.database.db, { roleCodes: ['admin'] });
    const secondSession = await signIn(t.app, second.username, TEST_PASSWORD);
    expect((await api(secondSession, 'PATCH', `/api/users/${adminId}`, { roleIds: [] })).statusCode).toBe(
      200,
    );
    // …and the last one left is held as the first was.
    const alone = await api(secondSession, 'PATCH', `/api/users/${second.id}`, { roleIds: [] });
    expect(alone.json().error).toBe('last_administrator');
    expect(
      (await api(secondSession, 'PATCH', `/api/users/${adminId}`, { roleIds: [adminRoleId] })).statusCode,
    ).toBe(200);
  });
});

describe('what the roles list tells its caller', () => {
  it('says which roles they may give and which they may change', async () => {
    const keeperRole = await makeRole(t.database.db, ['role.list', 'role.update', 'customer.list']);
    const keeper = await makeUser(t.database.db, { roleCodes: [keeperRole.code] });
    const session = await signIn(t.app, keeper.username, TEST_PASSWORD);
    const lister = await makeRole(t.database.db, ['customer.list']);
    const manager = await makeRole(t.database.db, ['customer.list', 'customer.view_all']);
    const seen = async (who: Session) => {
      const items = (await api(who, 'GET', '/api/roles?pageSize=200')).json().items as {
        id: number;
        assignable: boolean;
        editable: boolean;
      }[];
      const of = (id: number) => items.find((role) => role.id === id);
      return [adminRoleId, keeperRole.id, lister.id, manager.id].map((id) => {
        const role = of(id)!;
        return [role.assignable, role.editable];
      });
    };
    expect(await seen(session)).toEqual([
      [false, false], // the admin role: an administrator's alone
      [true, true], // their own: every code theirs
      [true, true],
      [false, true], // codes they lack: not theirs to give, but they may take them away
    ]);
    expect(await seen(admin)).toEqual([
      [true, true],
      [true, true],
      [true, true],
      [true, true],
    ]);
    // One role read alone says the same.
    const one = (await api(session, 'GET', `/api/roles/${adminRoleId}`)).json();
    expect(one).toMatchObject({ assignable: false, editable: false });
  });
});
