/**
 * The role matrix's model: permissions grouped by menu, each page followed by its actions, and the
 * rules for ticking them. Pure functions, so the page stays a thin view.
 */
export type Permission = {
  id: number;
  code: string;
  title: string;
  titleEn: string;
  kind: string;
  menuId: number | null;
  parentCode: string | null;
  sort: number;
  /** The menu's names, served with the permission (so someone without menu.list still sees them). */
  menu?: { id: number; title: string; titleEn: string } | null;
};

export type MenuGroupRow = { id: number; title: string; titleEn: string; sort: number };

export type PermissionRow = { permission: Permission; depth: number };

/** `menu` is null for the "Other" group: permissions in no menu, or in one that no longer exists. */
export type PermissionGroup = { key: string; menu: MenuGroupRow | null; rows: PermissionRow[] };

/**
 * The menus the permissions name, in id order: the groups for someone who may not list the menus
 * themselves (a delegated role editor), who would otherwise see every permission under "Other".
 */
export function menusOfPermissions(permissions: Permission[]): MenuGroupRow[] {
  const menus = new Map<number, MenuGroupRow>();
  for (const { menu } of permissions) {
    if (menu && !menus.has(menu.id)) menus.set(menu.id, { ...menu, sort: menu.id });
  }
  return [...menus.values()].sort((a, b) => a.id - b.id);
}

/** Groups in the menus' order (then "Other"); in a group, each permission followed by its children. */
export function groupPermissions(permissions: Permission[], menus: MenuGroupRow[]): PermissionGroup[] {
  const menuIds = new Set(menus.map((menu) => menu.id));
  const byGroup = new Map<number | null, Permission[]>();
  for (const permission of permissions) {
    const key = permission.menuId !== null && menuIds.has(permission.menuId) ? permission.menuId : null;
    byGroup.set(key, [...(byGroup.get(key) ?? []), permission]);
  }
  const groups: PermissionGroup[] = menus
    .filter((menu) => byGroup.has(menu.id))
    .map((menu) => ({ key: `menu-${menu.id}`, menu, rows: nest(byGroup.get(menu.id) ?? []) }));
  const other = byGroup.get(null);
  if (other) groups.push({ key: 'other', menu: null, rows: nest(other) });
  return groups;
}

/** Orders a group's permissions as a tree: roots in order, each followed by its descendants. */
function nest(permissions: Permission[]): PermissionRow[] {
  const sorted = [...permissions].sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code));
  const codes = new Set(sorted.map((permission) => permission.code));
  const rows: PermissionRow[] = [];
  const visit = (permission: Permission, depth: number, seen: Set<string>) => {
    if (seen.has(permission.code)) return; // a cycle in parentCode: show each permission once
    seen.add(permission.code);
    rows.push({ permission, depth });
    for (const child of sorted.filter((candidate) => candidate.parentCode === permission.code)) {
      visit(child, depth + 1, seen);
    }
  };
  const seen = new Set<string>();
  for (const root of sorted.filter((p) => p.parentCode === null || !codes.has(p.parentCode))) {
    visit(root, 0, seen);
  }
  // Anything left belongs to a cycle; list it rather than lose it.
  for (const permission of sorted) visit(permission, 0, seen);
  return rows;
}

/**
 * Ticks or unticks one permission. An action is useless without its page, so ticking an action
 * ticks the page above it, and unticking a page unticks the actions below it.
 */
export function togglePermission(
  granted: ReadonlySet<string>,
  code: string,
  checked: boolean,
  permissions: Permission[],
): Set<string> {
  const next = new Set(granted);
  const byCode = new Map(permissions.map((permission) => [permission.code, permission]));
  if (checked) {
    const seen = new Set<string>();
    next.add(code);
    for (let current = byCode.get(code); current && !seen.has(current.code); ) {
      seen.add(current.code);
      next.add(current.code);
      current = current.parentCode ? byCode.get(current.parentCode) : undefined;
    }
  } else {
    const drop = (target: string) => {
      if (!next.delete(target)) return;
      for (const child of permissions) if (child.parentCode === target) drop(child.code);
    };
    next.add(code);
    drop(code);
  }
  return next;
}

/** Ticks or unticks every permission of a group (select-all). */
export function toggleGroup(
  granted: ReadonlySet<string>,
  group: PermissionGroup,
  checked: boolean,
): Set<string> {
  const next = new Set(granted);
  for (const { permission } of group.rows) {
    if (checked) next.add(permission.code);
    else next.delete(permission.code);
  }
  return next;
}

export function groupState(granted: ReadonlySet<string>, group: PermissionGroup): 'all' | 'some' | 'none' {
  const count = group.rows.filter(({ permission }) => granted.has(permission.code)).length;
  if (count === 0) return 'none';
  return count === group.rows.length ? 'all' : 'some';
}

/**
 * What a change of ticks may really make, for an editor who can grant only what they hold (the
 * server refuses the rest): codes they cannot grant are never newly ticked — not by ticking an
 * action (which ticks its page) nor by select-all — while those the role already has stay, and
 * may be unticked.
 */
export function keepGrantable(
  next: ReadonlySet<string>,
  before: ReadonlySet<string>,
  grantable: (code: string) => boolean,
): Set<string> {
  return new Set([...next].filter((code) => before.has(code) || grantable(code)));
}
