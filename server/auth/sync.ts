import { eq, notInArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { menus, permissions, rolePermissions, roles } from '../db/schema/index.ts';
import { ADMIN_ROLE, menuCatalogue, menuOf, permissionCatalogue, permissionCodes } from './catalogue.ts';

/**
 * Brings `menus` and `permissions` in line with the catalogue in code. What the code owns (a page's
 * kind and path) is always rewritten; what an administrator may edit (titles, icons, order, a
 * permission's menu and parent) is only set when the row is first created. Codes that vanished from
 * the code are deleted, which removes them from every role. New codes go to the admin role.
 */
export async function syncCatalogue(tx: Executor): Promise<{ added: string[]; removed: string[] }> {
  for (const menu of menuCatalogue) {
    await tx
      .insert(menus)
      .values({ key: menu.key, title: menu.title, titleEn: menu.titleEn, icon: menu.icon, sort: menu.sort })
      .onConflictDoNothing({ target: menus.key });
  }
  const menuRows = await tx.select({ id: menus.id, key: menus.key }).from(menus);
  const menuId = new Map(menuRows.map((m) => [m.key, m.id]));

  const existing = new Set(
    (await tx.select({ code: permissions.code }).from(permissions)).map((p) => p.code),
  );
  const added: string[] = [];
  // Pages first so an action's parent exists when it is inserted.
  const ordered = [...permissionCodes].sort(
    (a, b) =>
      Number(permissionCatalogue[a].kind === 'action') - Number(permissionCatalogue[b].kind === 'action'),
  );
  for (const code of ordered) {
    const entry = permissionCatalogue[code];
    const isPage = entry.kind === 'page';
    const parentCode = isPage ? null : entry.parent;
    const menu = menuOf(code);
    const values = {
      code,
      title: entry.title,
      titleEn: entry.titleEn,
      kind: entry.kind,
      path: isPage ? entry.path : null,
      icon: isPage ? (entry.icon ?? null) : null,
      menuId: menuId.get(menu) ?? null,
      parentCode,
      sort: permissionCodes.indexOf(code) * 10,
    };
    if (!existing.has(code)) added.push(code);
    await tx
      .insert(permissions)
      .values(values)
      .onConflictDoUpdate({
        target: permissions.code,
        set: { kind: values.kind, path: values.path, updatedAt: sql`now()` },
      });
  }
  const removedRows = await tx
    .delete(permissions)
    .where(notInArray(permissions.code, permissionCodes))
    .returning({ code: permissions.code });

  if (added.length > 0) {
    const [admin] = await tx.select({ id: roles.id }).from(roles).where(eq(roles.code, ADMIN_ROLE));
    if (admin) {
      await tx
        .insert(rolePermissions)
        .values(added.map((code) => ({ roleId: admin.id, permissionCode: code })))
        .onConflictDoNothing();
    }
  }
  return { added, removed: removedRows.map((r) => r.code) };
}
