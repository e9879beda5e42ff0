import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { Type } from 'typebox';
import { assertAdministrationRemains, lockAdministration } from '../../auth/admin-guard.ts';
import { assertMayAssignRoles, assertMayChangeAccounts, grantorOf } from '../../auth/grants.ts';
import { hashPassword, passwordProblem } from '../../auth/passwords.ts';
import { endUserSessions } from '../../auth/sessions.ts';
import type { Executor, Tx } from '../../db/client.ts';
import { type CodeOf, notifyChannel } from '../../db/schema/enums.ts';
import { departments, roles, userRoles, users } from '../../db/schema/index.ts';
import { createdAtField, idField, optionsOf } from '../../engine/fields.ts';
import { replaceLinks } from '../../engine/links.ts';
import { type Body, type Context, defineResource, type FieldDef, type Item } from '../../engine/types.ts';
import { conflict, invalidField } from '../../http/errors.ts';

const USERNAME = /^[A-Za-z0-9_.-]{2,64}$/;

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

function checkPassword(password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw invalidField('password', problem.code, problem.message, problem.params);
}

/**
 * Gives these users a new password (checked against each of their usernames) and signs them out
 * everywhere, as after any credential change. Shared by the reset action and `crm user password`.
 */
export async function resetPasswords(
  tx: Tx,
  targets: { id: number; username: string }[],
  password: string,
  at: Date,
): Promise<void> {
  for (const target of targets) checkPassword(password, target.username);
  const passwordHash = await hashPassword(password);
  for (const target of targets) {
    await tx.update(users).set({ passwordHash, updatedAt: at }).where(eq(users.id, target.id));
    await endUserSessions(tx, target.id);
  }
}

function setRoles(tx: Tx, userId: number, roleIds: number[]): Promise<void> {
  return replaceLinks(tx, {
    table: userRoles,
    owner: userRoles.userId,
    ownerId: userId,
    target: roles.id,
    values: roleIds,
    row: (roleId) => ({ userId, roleId }),
    refuse: () => invalidField('roleIds', 'unknown_reference', 'unknown role'),
  });
}

async function usernameTaken(tx: Tx, username: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username})`);
  return row !== undefined;
}

/** Creates a staff member; shared by the users resource and `crm user create`. */
export async function insertUser(tx: Tx, at: Date, body: Body): Promise<number> {
  const username = String(body.username).trim();
  if (!USERNAME.test(username)) {
    throw invalidField('username', 'username_invalid', '2–64 letters, digits, dots, dashes or underscores');
  }
  const name = String(body.name ?? '').trim();
  if (!name) throw invalidField('name', 'required', 'is required');
  checkPassword(String(body.password), username);
  if (await usernameTaken(tx, username))
    throw conflict('username_taken', `The username "${username}" is already taken`, { username });
  const [user] = await tx
    .insert(users)
    .values({
      username,
      name,
      passwordHash: await hashPassword(String(body.password)),
      email: (body.email as string | null | undefined) ?? null,
      phone: (body.phone as string | null | undefined) ?? null,
      departmentId: (body.departmentId as number | null | undefined) ?? null,
      dingtalkUserId: (body.dingtalkUserId as string | null | undefined) ?? null,
      notifyChannels: (body.notifyChannels as CodeOf<typeof notifyChannel>[] | undefined) ?? [],
      active: (body.active as boolean | undefined) ?? true,
      createdAt: at,
      updatedAt: at,
    })
    .returning({ id: users.id });
  if (!user) throw new Error('insert returned nothing');
  await setRoles(tx, user.id, (body.roleIds as number[] | undefined) ?? []);
  return user.id;
}

/** A new staff member from the users page: with only roles the creator could give. */
async function create({ tx, actor, at }: Context, body: Body): Promise<number> {
  const roleIds = (body.roleIds as number[] | undefined) ?? [];
  if (roleIds.length) await assertMayAssignRoles(tx, await grantorOf(tx, actor.userId), null, roleIds);
  return insertUser(tx, at, body);
}

async function update({ tx, actor, at }: Context, id: number, body: Body, before: Item): Promise<void> {
  if (body.active === false && id === actor.userId) {
    throw conflict('cannot_disable_self', 'You cannot disable your own account');
  }
  const guard = await lockAdministration(tx);
  const grantor = await grantorOf(tx, actor.userId);
  // Enabling a disabled account hands its permissions back to whoever can sign in as it.
  await assertMayChangeAccounts(tx, grantor, [id], body.active === true && before.active === false);
  const { roleIds, ...fields } = body;
  if (Array.isArray(roleIds)) await assertMayAssignRoles(tx, grantor, id, roleIds as number[]);
  const values: Record<string, unknown> = {};
  for (const key of [
    'name',
    'email',
    'phone',
    'departmentId',
    'notifyChannels',
    'active',
    'dingtalkUserId',
  ]) {
    if (key in fields) values[key] = key === 'name' ? String(fields[key]).trim() : fields[key];
  }
  if (values.name === '') throw invalidField('name', 'required', 'is required');
  await tx
    .update(users)
    .set({ ...values, updatedAt: at })
    .where(eq(users.id, id));
  if (Array.isArray(roleIds)) await setRoles(tx, id, roleIds as number[]);
  if ('active' in body || 'roleIds' in body) await assertAdministrationRemains(tx, guard);
  if (body.active === false) await endUserSessions(tx, id);
}

async function remove({ tx, actor }: Context, id: number): Promise<void> {
  if (id === actor.userId) throw conflict('cannot_delete_self', 'You cannot delete your own account');
  const guard = await lockAdministration(tx);
  await assertMayChangeAccounts(tx, await grantorOf(tx, actor.userId), [id], false);
  await tx.delete(users).where(eq(users.id, id));
  await assertAdministrationRemains(tx, guard);
}

async function setActive({ tx, actor, at }: Context, ids: number[], active: boolean): Promise<number> {
  if (!active && ids.includes(actor.userId))
    throw conflict('cannot_disable_self', 'You cannot disable your own account');
  const guard = await lockAdministration(tx);
  const grantor = await grantorOf(tx, actor.userId);
  await assertMayChangeAccounts(tx, grantor, ids, false);
  if (active) {
    const disabled = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(inArray(users.id, ids), eq(users.active, false)));
    await assertMayChangeAccounts(
      tx,
      grantor,
      disabled.map((u) => u.id),
      true,
    );
  }
  const changed = await tx
    .update(users)
    .set({ active, updatedAt: at })
    .where(inArray(users.id, ids))
    .returning({ id: users.id });
  await assertAdministrationRemains(tx, guard);
  if (!active) for (const id of ids) await endUserSessions(tx, id);
  return changed.length;
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
  create,
  update,
  remove,
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
      async run({ tx, actor, at }, ids, params) {
        await lockAdministration(tx);
        // A password the actor chooses makes the account theirs to use: no more than they hold.
        await assertMayChangeAccounts(tx, await grantorOf(tx, actor.userId), ids, true);
        const targets = await tx
          .select({ id: users.id, username: users.username })
          .from(users)
          .where(inArray(users.id, ids));
        await resetPasswords(tx, targets, String(params.password), at);
        return targets.length;
      },
    },
  },
});
