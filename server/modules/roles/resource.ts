import { eq, inArray, sql } from 'drizzle-orm';
import { Type } from 'typebox';
import { assertAdministrationRemains, lockAdministration } from '../../auth/admin-guard.ts';
import { refuseRoleAssignment, refuseRoleChange } from '../../auth/delegation.ts';
import { assertMayChangeRole, assertMayRemoveRole, grantorOf } from '../../auth/grants.ts';
import type { Actor } from '../../auth/sessions.ts';
import type { Executor, Tx } from '../../db/client.ts';
import { permissions, rolePermissions, roles, userRoles } from '../../db/schema/index.ts';
import { createdAtField, idField } from '../../engine/fields.ts';
import { replaceLinks } from '../../engine/links.ts';
import { type Body, type Context, defineResource, type Item } from '../../engine/types.ts';
import { badRequest, conflict } from '../../http/errors.ts';

const CODE = /^[a-z][a-z0-9_]{1,49}$/;

/**
 * Each role with its codes, how many hold it, and what the caller may do with it (delegation.ts):
 * give it to someone (`assignable`), change it (`editable`), so pickers and the permission matrix
 * offer only what the server would accept.
 */
async function present(db: Executor, rows: Record<string, unknown>[], actor: Actor): Promise<Item[]> {
  const ids = rows.map((r) => r.id as number);
  const grantor = await grantorOf(db, actor.userId);
  const grants = ids.length
    ? await db
        .select({ roleId: rolePermissions.roleId, code: rolePermissions.permissionCode })
        .from(rolePermissions)
        .where(inArray(rolePermissions.roleId, ids))
    : [];
  const counts = ids.length
    ? await db
        .select({ roleId: userRoles.roleId, n: sql<number>`count(*)::int` })
        .from(userRoles)
        .where(inArray(userRoles.roleId, ids))
        .groupBy(userRoles.roleId)
    : [];
  return rows.map((row) => {
    const role = {
      code: row.code as string,
      codes: grants
        .filter((g) => g.roleId === row.id)
        .map((g) => g.code)
        .sort(),
    };
    return {
      id: row.id as number,
      code: row.code,
      title: row.title,
      description: row.description,
      permissionCodes: role.codes,
      userCount: counts.find((c) => c.roleId === row.id)?.n ?? 0,
      createdAt: row.createdAt,
      assignable: refuseRoleAssignment(grantor, [role], []) === null,
      editable: refuseRoleChange(grantor, role, role) === null,
    };
  });
}

function checkCode(code: unknown): string {
  const value = String(code).trim();
  if (!CODE.test(value)) {
    throw badRequest(
      'validation',
      'code: lower-case letters, digits and underscores, starting with a letter',
      [{ field: 'code', message: 'is invalid', code: 'role_code_invalid' }],
    );
  }
  return value;
}

function grant(tx: Tx, roleId: number, codes: string[]): Promise<void> {
  return replaceLinks(tx, {
    table: rolePermissions,
    owner: rolePermissions.roleId,
    ownerId: roleId,
    target: permissions.code,
    values: codes,
    row: (permissionCode) => ({ roleId, permissionCode }),
    refuse: (unknown) =>
      badRequest('validation', `permissionCodes: unknown ${unknown.join(', ')}`, [
        { field: 'permissionCodes', message: `unknown: ${unknown.join(', ')}`, code: 'unknown_reference' },
      ]),
  });
}

async function codeTaken(tx: Tx, code: string, except?: number): Promise<void> {
  const [row] = await tx.select({ id: roles.id }).from(roles).where(eq(roles.code, code));
  if (row && row.id !== except)
    throw conflict('code_taken', `A role with the code "${code}" already exists`, { code });
}

async function create({ tx, actor, at }: Context, body: Body): Promise<number> {
  const code = checkCode(body.code);
  const codes = (body.permissionCodes as string[] | undefined) ?? [];
  await assertMayChangeRole(tx, await grantorOf(tx, actor.userId), null, { code, codes });
  await codeTaken(tx, code);
  const [role] = await tx
    .insert(roles)
    .values({
      code,
      title: String(body.title).trim(),
      description: String(body.description ?? ''),
      createdAt: at,
      updatedAt: at,
    })
    .returning({ id: roles.id });
  if (!role) throw new Error('insert returned nothing');
  await grant(tx, role.id, codes);
  return role.id;
}

async function update({ tx, actor, at }: Context, id: number, body: Body): Promise<void> {
  const guard = await lockAdministration(tx);
  const values: Record<string, unknown> = { updatedAt: at };
  if ('code' in body) values.code = checkCode(body.code);
  const codes = Array.isArray(body.permissionCodes) ? (body.permissionCodes as string[]) : undefined;
  await assertMayChangeRole(tx, await grantorOf(tx, actor.userId), id, {
    code: values.code as string | undefined,
    codes,
  });
  if (values.code) await codeTaken(tx, values.code as string, id);
  if ('title' in body) values.title = String(body.title).trim();
  if ('description' in body) values.description = String(body.description ?? '');
  await tx.update(roles).set(values).where(eq(roles.id, id));
  if (codes) await grant(tx, id, codes);
  // A new code for the admin role is the admin role gone, as far as its holders are concerned.
  await assertAdministrationRemains(tx, guard);
}

async function remove({ tx, actor }: Context, id: number, before: Item): Promise<void> {
  await assertMayRemoveRole(tx, await grantorOf(tx, actor.userId), id);
  if ((before.userCount as number) > 0) {
    throw conflict('referenced', `The role is held by ${before.userCount} user(s); take it from them first`, {
      table: 'user_roles',
      count: before.userCount as number,
    });
  }
  await tx.delete(roles).where(eq(roles.id, id));
}

export const rolesResource = defineResource({
  name: 'roles',
  title: '角色',
  titleEn: 'Roles',
  table: roles,
  id: roles.id,
  labelField: 'title',
  defaultSort: 'id',
  searchFields: ['code', 'title'],
  permissions: { list: 'role.list', create: 'role.create', update: 'role.update', delete: 'role.delete' },
  fields: [
    idField(roles.id),
    {
      key: 'code',
      title: '代码',
      titleEn: 'Code',
      kind: 'text',
      column: roles.code,
      required: true,
      maxLength: 50,
      filter: 'in',
      // A slug for administrators and the API: the list shows the name, the code in its tooltip.
      list: false,
    },
    {
      key: 'title',
      title: '名称',
      titleEn: 'Title',
      kind: 'text',
      codeTip: 'code',
      column: roles.title,
      required: true,
      maxLength: 100,
    },
    {
      key: 'description',
      title: '说明',
      titleEn: 'Description',
      kind: 'longtext',
      column: roles.description,
      maxLength: 1000,
    },
    {
      key: 'permissionCodes',
      title: '权限',
      titleEn: 'Permissions',
      kind: 'ref',
      ref: 'permissions',
      refValue: 'code',
      refLabel: 'title',
      multiple: true,
      list: false,
    },
    { key: 'userCount', title: '用户数', titleEn: 'Users', kind: 'int', readOnly: true },
    createdAtField(roles.createdAt, { list: false }),
  ],
  extra: {
    assignable: Type.Boolean({ description: 'whether the caller may give this role to someone' }),
    editable: Type.Boolean({ description: 'whether the caller may change this role (its name and codes)' }),
  },
  present,
  create,
  update,
  remove,
});
