import { describe, expect, test } from 'vitest';
import {
  groupPermissions,
  groupState,
  keepGrantable,
  type Permission,
  toggleGroup,
  togglePermission,
} from './permissionGroups.ts';

let nextId = 1;
const permission = (code: string, menuId: number | null, parentCode: string | null = null): Permission => ({
  id: nextId++,
  code,
  title: code,
  titleEn: code,
  kind: parentCode ? 'action' : 'page',
  menuId,
  parentCode,
  sort: nextId * 10,
});

const menus = [
  { id: 2, title: '教学管理', titleEn: 'Teaching', sort: 20 },
  { id: 1, title: '销售管理', titleEn: 'Sales', sort: 10 },
];
const catalogue = [
  permission('customer.list', 1),
  permission('customer.create', 1, 'customer.list'),
  permission('class.list', 2),
  permission('class.create', 2, 'class.list'),
  permission('pool.list', 1),
  permission('customer.grab', 1, 'pool.list'),
  permission('orphan.action', null, 'gone.page'),
  permission('lost.page', 99),
];

describe('the role matrix', () => {
  test('groups follow the menus’ order, each page followed by its actions, and the rest under Other', () => {
    const groups = groupPermissions(catalogue, menus);
    expect(groups.map((group) => group.menu?.title ?? 'other')).toEqual(['教学管理', '销售管理', 'other']);
    expect(groups[1]?.rows.map((row) => [row.permission.code, row.depth])).toEqual([
      ['customer.list', 0],
      ['customer.create', 1],
      ['pool.list', 0],
      ['customer.grab', 1],
    ]);
    expect(groups[2]?.rows.map((row) => row.permission.code)).toEqual(['orphan.action', 'lost.page']);
  });

  test('ticking an action ticks its page; unticking a page unticks its actions', () => {
    const ticked = togglePermission(new Set(), 'customer.create', true, catalogue);
    expect([...ticked].sort()).toEqual(['customer.create', 'customer.list']);
    const unticked = togglePermission(ticked, 'customer.list', false, catalogue);
    expect([...unticked]).toEqual([]);
    // A parent that is not in the catalogue is never added.
    expect([...togglePermission(new Set(), 'orphan.action', true, catalogue)]).toEqual(['orphan.action']);
  });

  test('select-all ticks and unticks a whole group, and reports partial groups', () => {
    const [teaching] = groupPermissions(catalogue, menus);
    if (!teaching) throw new Error('no group');
    expect(groupState(new Set(['class.list']), teaching)).toBe('some');
    const all = toggleGroup(new Set(['customer.list']), teaching, true);
    expect(groupState(all, teaching)).toBe('all');
    expect(all.has('customer.list')).toBe(true);
    expect(groupState(toggleGroup(all, teaching, false), teaching)).toBe('none');
  });
});

describe('an editor who holds only some permissions', () => {
  const held = new Set(['customer.list', 'customer.create']);
  const grantable = (code: string) => held.has(code);

  test('ticks nothing they cannot grant, by a tick, a page pulled in by its action, or select-all', () => {
    const none = new Set<string>();
    expect(
      keepGrantable(togglePermission(none, 'customer.create', true, catalogue), none, grantable),
    ).toEqual(new Set(['customer.create', 'customer.list']));
    // pool.list comes with its action, and neither is theirs to give.
    expect(keepGrantable(togglePermission(none, 'customer.grab', true, catalogue), none, grantable)).toEqual(
      new Set(),
    );
    const [sales] = groupPermissions(catalogue, menus).filter((group) => group.menu?.id === 1);
    expect(keepGrantable(toggleGroup(none, sales!, true), none, grantable)).toEqual(held);
  });

  test('keeps and may untick what the role already has', () => {
    const before = new Set(['pool.list', 'customer.grab']);
    expect(keepGrantable(new Set([...before, 'customer.list']), before, grantable)).toEqual(
      new Set(['pool.list', 'customer.grab', 'customer.list']),
    );
    expect(keepGrantable(togglePermission(before, 'pool.list', false, catalogue), before, grantable)).toEqual(
      new Set(),
    );
  });
});
