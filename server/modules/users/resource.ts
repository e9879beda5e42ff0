import { asc, eq, inArray, sql } from 'drizzle-orm';
import { Type } from 'typebox';
import type { Executor } from '../../db/client.ts';
import { notifyChannel } from '../../db/schema/enums.ts';
import { departments, roles, userRoles, users } from '../../db/schema/index.ts';
import { createdAtField, idField, optionsOf } from '../../engine/fields.ts';
import { defineResource, type FieldDef, type Item } from '../../engine/types.ts';
import { createAccount, removeAccount, resetPasswordsOf, setActive, updateAccount } from './accounts.ts';

async function present(db: Executor, rows: Record<string, unknown>[]): Promise<Item[]> {
  const ids = rows.map((r) => r.id as number);
  const roleRows = ids.length
    ? await db
        .select({ userId: userRoles.userId, id: roles.id, title: roles.title, code: roles.code })
        .from(userRoles)
        .innerJoin(roles, eq(roles.id, userRoles.roleId))
        .where(inArray(userRoles.userId, ids))
        .orderBy(asc(roles.id))
    : [];
  const departmentIds = [...new Set(rows.map((r) => r.departmentId).filter((d): d is number => d != null))];
  const departmentRows = departmentIds.length
    ? await db
        .select({ id: departments.id, title: departments.title })
        .from(departments)
        .where(inArray(departments.id, departmentIds))
    : [];
  return rows.map((row) => {
    const mine = roleRows.filter((r) => r.userId === row.id);
    return {
      id: row.id as number,
      username: row.username,
      name: row.name,
      email: row.email,
      phone: row.phone,
      departmentId: row.departmentId,
      department: departmentRows.find((d) => d.id === row.departmentId) ?? null,
      roleIds: mine.map((r) => r.id),
      roles: mine.map(({ id, title, code }) => ({ id, title, code })),
      notifyChannels: row.notifyChannels,
      active: row.active,
      wechatOpenid: row.wechatOpenid,
      dingtalkUserId: row.dingtalkUserId,
      createdAt: row.createdAt,
    };
  });
}

const text = <const K extends keyof typeof users.$inferSelect>(
  key: K,
  title: string,
  titleEn: string,
  extra: Partial<Omit<FieldDef, 'key'>> = {},
) =>
  ({
    key,
    title,
    titleEn,
    kind: 'text',
    column: users[key],
    nullable: true,
    maxLength: 200,
    ...extra,
  }) as const;

export const usersResource = defineResource({
  name: 'users',
  title: '用户',
  titleEn: 'Users',
  table: users,
  id: users.id,
  labelField: 'name',
  defaultSort: 'id',
  searchFields: ['username', 'name', 'phone', 'email'],
  permissions: { list: 'user.list', create: 'user.create', update: 'user.update', delete: 'user.delete' },
  fields: [
    idField(users.id),
    text('username', '用户名', 'Username', {
      required: true,
      createOnly: true,
      nullable: false,
      maxLength: 64,
      filter: 'in',
    }),
    text('name', '姓名', 'Name', { required: true, nullable: false, maxLength: 100 }),
    {
      key: 'password',
      title: '密码',
      titleEn: 'Password',
      kind: 'password',
      required: true,
      createOnly: true,
      list: false,
      maxLength: 256,
    },
    text('email', '邮箱', 'E-mail', { maxLength: 200 }),
    text('phone', '手机', 'Phone', { maxLength: 50 }),
    {
      key: 'departmentId',
      display: 'department',
      title: '部门',
      titleEn: 'Department',
      kind: 'ref',
      ref: 'departments',
      refLabel: 'title',
      column: users.departmentId,
      nullable: true,
      filter: 'in',
    },
    {
      key: 'roleIds',
      display: 'roles',
      title: '角色',
      titleEn: 'Roles',
      kind: 'ref',
      ref: 'roles',
      refLabel: 'title',
      multiple: true,
      filter: 'in',
      filterSql: (ids) =>
        sql`exists (select 1 from ${userRoles} ur where ur.user_id = ${users.id} and ur.role_id in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )}))`,
    },
    {
      key: 'notifyChannels',
      title: '通知渠道',
      titleEn: 'Notify by',
      kind: 'enum',
      multiple: true,
      options: optionsOf(notifyChannel.labels),
      column: users.notifyChannels,
      list: false,
      sortable: false,
    },
    { key: 'active', title: '启用', titleEn: 'Active', kind: 'bool', column: users.active, filter: 'bool' },
    text('wechatOpenid', '微信 OpenID', 'WeChat OpenID', { readOnly: true, list: false }),
    text('dingtalkUserId', '钉钉用户 ID', 'DingTalk user ID', { list: false, maxLength: 100 }),
    createdAtField(users.createdAt, { filter: 'range' }),
  ],
  extra: {
    department: Type.Union([Type.Object({ id: Type.Integer(), title: Type.String() }), Type.Null()]),
    roles: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String(), code: Type.String() })),
  },
  present,
  create: createAccount,
  update: updateAccount,
  remove: removeAccount,
  actions: {
    disable: {
      title: '停用',
      titleEn: 'Disable',
      permission: 'user.update',
      destructive: true,
      run: (ctx, ids) => setActive(ctx, ids, false),
    },
    enable: {
      title: '启用',
      titleEn: 'Enable',
      permission: 'user.update',
      run: (ctx, ids) => setActive(ctx, ids, true),
    },
    'reset-password': {
      title: '重置密码',
      titleEn: 'Reset password',
      permission: 'user.update',
      params: [
        {
          key: 'password',
          title: '新密码',
          titleEn: 'New password',
          kind: 'password',
          required: true,
          maxLength: 256,
        },
      ],
      run: (ctx, ids, params) => resetPasswordsOf(ctx, ids, String(params.password)),
    },
  },
});
