import { and, eq, inArray } from 'drizzle-orm';
import { Type } from 'typebox';
import type { Executor } from '../../db/client.ts';
import { permissionKind } from '../../db/schema/enums.ts';
import { menus, permissions } from '../../db/schema/index.ts';
import { optionsOf } from '../../engine/fields.ts';
import { type Body, type Context, defineResource, type Item } from '../../engine/types.ts';
import { updateColumns } from '../../engine/writes.ts';

/** The menu and the page of each permission, by name, served with it (no lookups, no codes on screen). */
async function present(db: Executor, rows: Record<string, unknown>[]): Promise<Item[]> {
  const menuIds = [
    ...new Set(rows.map((r) => r.menuId).filter((id): id is number => typeof id === 'number')),
  ];
  const parentCodes = [
    ...new Set(rows.map((r) => r.parentCode).filter((c): c is string => typeof c === 'string')),
  ];
  const [menuRows, parentRows] = await Promise.all([
    menuIds.length
      ? db
          .select({ id: menus.id, title: menus.title, titleEn: menus.titleEn })
          .from(menus)
          .where(inArray(menus.id, menuIds))
      : [],
    parentCodes.length
      ? db
          .select({ code: permissions.code, title: permissions.title, titleEn: permissions.titleEn })
          .from(permissions)
          .where(inArray(permissions.code, parentCodes))
      : [],
  ]);
  return rows.map((row) => ({
    ...(row as Item),
    menu: menuRows.find((m) => m.id === row.menuId) ?? null,
    parent: parentRows.find((p) => p.code === row.parentCode) ?? null,
  }));
}

const Titled = { title: Type.String(), titleEn: Type.Union([Type.String(), Type.Null()]) };

import { badRequest } from '../../http/errors.ts';

/** Codes, kinds and paths belong to the code's catalogue; titles, menus and parents to the administrator. */
async function update(ctx: Context, id: number, body: Body, before: Item): Promise<void> {
  const { tx } = ctx;
  const parentCode = body.parentCode;
  if (typeof parentCode === 'string') {
    const [parent] = await tx
      .select({ code: permissions.code })
      .from(permissions)
      .where(and(eq(permissions.code, parentCode), eq(permissions.kind, 'page')));
    if (!parent || parent.code === before.code) {
      throw badRequest('validation', 'parentCode: must be another page permission', [
        { field: 'parentCode', message: 'must be another page permission', code: 'not_a_page' },
      ]);
    }
  }
  await updateColumns(ctx, permissionsResource, id, body);
}

export const permissionsResource = defineResource({
  name: 'permissions',
  title: '权限',
  titleEn: 'Permissions',
  table: permissions,
  id: permissions.id,
  labelField: 'title',
  defaultSort: 'sort',
  searchFields: ['code', 'title', 'titleEn', 'path'],
  permissions: { list: 'permission.list', update: 'permission.update' },
  fields: [
    {
      key: 'id',
      title: 'ID',
      titleEn: 'ID',
      kind: 'int',
      column: permissions.id,
      readOnly: true,
      list: false,
    },
    {
      key: 'code',
      title: '代码',
      titleEn: 'Code',
      kind: 'text',
      column: permissions.code,
      readOnly: true,
      filter: 'in',
      // What routes and grants name; people read the title, administrators find the code in its tooltip.
      list: false,
    },
    {
      key: 'title',
      title: '名称',
      titleEn: 'Title',
      kind: 'text',
      codeTip: 'code',
      column: permissions.title,
      required: true,
      maxLength: 100,
    },
    {
      key: 'titleEn',
      title: '英文名称',
      titleEn: 'English title',
      kind: 'text',
      column: permissions.titleEn,
      maxLength: 100,
    },
    {
      key: 'kind',
      title: '类型',
      titleEn: 'Kind',
      kind: 'enum',
      options: optionsOf(permissionKind.labels),
      column: permissions.kind,
      readOnly: true,
      filter: 'in',
    },
    {
      key: 'path',
      title: '页面路径',
      titleEn: 'Path',
      kind: 'text',
      column: permissions.path,
      readOnly: true,
    },
    {
      key: 'menuId',
      title: '所属菜单',
      titleEn: 'Menu',
      kind: 'ref',
      ref: 'menus',
      refLabel: 'title',
      column: permissions.menuId,
      nullable: true,
      filter: 'in',
    },
    {
      key: 'parentCode',
      title: '所属页面',
      titleEn: 'Page',
      kind: 'ref',
      ref: 'permissions',
      refValue: 'code',
      refLabel: 'title',
      column: permissions.parentCode,
      nullable: true,
      filter: 'in',
    },
    {
      key: 'sort',
      title: '排序',
      titleEn: 'Order',
      kind: 'int',
      column: permissions.sort,
      min: 0,
      max: 100_000,
    },
  ],
  extra: {
    menu: Type.Union([Type.Object({ id: Type.Integer(), ...Titled }), Type.Null()]),
    parent: Type.Union([Type.Object({ code: Type.String(), ...Titled }), Type.Null()]),
  },
  present,
  update,
});
