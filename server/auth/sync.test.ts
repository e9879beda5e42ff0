import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/db.ts';
import type { Database } from '../db/client.ts';
import { menus, permissions, rolePermissions, roles } from '../db/schema/index.ts';
import { permissionCatalogue, permissionCodes } from './catalogue.ts';
import { syncCatalogue } from './sync.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

describe('synchronising the permission catalogue', () => {
  it('writes every code with its titles, kind, menu group and parent page', async () => {
    const db = database.db;
    await syncCatalogue(db);
    const rows = await db.select().from(permissions);
    expect(rows.map((r) => r.code).sort()).toEqual([...permissionCodes].sort());
    const grab = rows.find((r) => r.code === 'customer.grab');
    const pool = rows.find((r) => r.code === 'pool.list');
    expect(grab).toMatchObject({
      kind: 'action',
      parentCode: 'pool.list',
      title: '抢单',
      titleEn: 'Grab customers',
      path: null,
    });
    expect(pool).toMatchObject({ kind: 'page', path: '/pool', menuId: grab?.menuId });
    const [sales] = await db.select().from(menus).where(eq(menus.key, 'sales'));
    expect(pool?.menuId).toBe(sales?.id);
    expect(Object.keys(permissionCatalogue)).toHaveLength(rows.length);
  });

  it('adds new codes (granting them to admin), removes vanished ones from every role, keeps what the administrator edited', async () => {
    const db = database.db;
    const [admin] = await db.insert(roles).values({ code: 'admin', title: '超级管理员' }).returning();
    const [other] = await db.insert(roles).values({ code: 'other', title: '其他' }).returning();
    // A code the code no longer declares, granted to a role; an administrator's retitling.
    await db.insert(permissions).values({ code: 'legacy.thing', title: '旧功能', kind: 'action' });
    await db.insert(rolePermissions).values({ roleId: other!.id, permissionCode: 'legacy.thing' });
    await db.update(permissions).set({ title: '抢客户' }).where(eq(permissions.code, 'customer.grab'));
    await db.delete(permissions).where(eq(permissions.code, 'admin.sweep'));

    const result = await syncCatalogue(db);
    expect(result).toEqual({ added: ['admin.sweep'], removed: ['legacy.thing'] });
    expect(await db.select().from(rolePermissions).where(eq(rolePermissions.roleId, other!.id))).toEqual([]);
    const adminGrants = await db.select().from(rolePermissions).where(eq(rolePermissions.roleId, admin!.id));
    expect(adminGrants.map((g) => g.permissionCode)).toEqual(['admin.sweep']);
    const [grab] = await db.select().from(permissions).where(eq(permissions.code, 'customer.grab'));
    expect(grab?.title).toBe('抢客户');
    // Running it again changes nothing.
    expect(await syncCatalogue(db)).toEqual({ added: [], removed: [] });
  });
});
