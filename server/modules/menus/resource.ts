import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { menus } from '../../db/schema/index.ts';
import { idField } from '../../engine/fields.ts';
import { type Body, type Context, defineResource } from '../../engine/types.ts';
import { insertColumns } from '../../engine/writes.ts';

async function create(ctx: Context, body: Body): Promise<number> {
  // Groups an administrator adds have no counterpart in the code's catalogue.
  const key = `custom_${randomBytes(4).toString('hex')}`;
  return insertColumns(ctx, menusResource, body, { key });
}

export const menusResource = defineResource({
  name: 'menus',
  title: '菜单',
  titleEn: 'Menus',
  table: menus,
  id: menus.id,
  labelField: 'title',
  defaultSort: 'sort',
  searchFields: ['title', 'titleEn'],
  permissions: { list: 'menu.list', create: 'menu.update', update: 'menu.update', delete: 'menu.update' },
  fields: [
    idField(menus.id),
    // The catalogue's key: the list shows the name, administrators the key in its tooltip.
    {
      key: 'key',
      title: '标识',
      titleEn: 'Key',
      kind: 'text',
      column: menus.key,
      readOnly: true,
      list: false,
    },
    {
      key: 'title',
      title: '名称',
      titleEn: 'Title',
      kind: 'text',
      codeTip: 'key',
      column: menus.title,
      required: true,
      maxLength: 50,
    },
    {
      key: 'titleEn',
      title: '英文名称',
      titleEn: 'English title',
      kind: 'text',
      column: menus.titleEn,
      maxLength: 50,
    },
    {
      key: 'icon',
      title: '图标',
      titleEn: 'Icon',
      kind: 'text',
      format: 'icon',
      column: menus.icon,
      maxLength: 50,
    },
    { key: 'sort', title: '排序', titleEn: 'Order', kind: 'int', column: menus.sort, min: 0, max: 100_000 },
  ],
  create,
  actions: {
    reorder: {
      title: '调整顺序',
      titleEn: 'Reorder',
      permission: 'menu.update',
      bulk: false,
      // The ids in their new order; each gets a sort ten apart so one can later slip between two.
      async run({ tx, at }, ids) {
        for (const [index, id] of ids.entries()) {
          await tx
            .update(menus)
            .set({ sort: (index + 1) * 10, updatedAt: at })
            .where(eq(menus.id, id));
        }
        return ids.length;
      },
    },
  },
});
