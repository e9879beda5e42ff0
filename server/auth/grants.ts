import { eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { rolePermissions, roles, userRoles } from '../db/schema/index.ts';
import { forbidden } from '../http/errors.ts';
import { ADMIN_ROLE, isPermissionCode } from './catalogue.ts';
import {
  type Account,
  type Grantor,
  type Refusal,
  type RoleGrants,
  refuseAccountChange,
  refuseRoleAssignment,
  refuseRoleChange,
  refuseRoleRemoval,
} from './delegation.ts';

/**
 * What the delegation rules (delegation.ts) need, read inside the change's transaction — after
 * `lockAdministration`, so a concurrent change to the grantor's own roles cannot slip between the
 * read and the write — and their refusals as answers.
 */

/** Each of these users' codes, and whether one of their roles is the admin role. */
async function accountsOf(db: Executor, userIds: readonly number[]): Promise<Map<number, Account>> {
  const accounts = new Map<number, { codes: string[]; admin: boolean }>(
    userIds.map((id) => [id, { codes: [], admin: false }]),
  );
  if (userIds.length === 0) return accounts;
  const rows = await db
    .select({ userId: userRoles.userId, role: roles.code, code: rolePermissions.permissionCode })
    .from(userRoles)
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .leftJoin(rolePermissions, eq(rolePermissions.roleId, roles.id))
    .where(inArray(userRoles.userId, [...userIds]));
  for (const row of rows) {
    const account = accounts.get(row.userId);
    if (!account) continue;
    if (row.role === ADMIN_ROLE) account.admin = true;
    if (row.code !== null) account.codes.push(row.code);
  }
  return accounts;
}

/** The one making a change: what their roles grant right now, and whether they are an administrator. */
export async function grantorOf(db: Executor, userId: number): Promise<Grantor> {
  const account = (await accountsOf(db, [userId])).get(userId) ?? { codes: [], admin: false };
  return { codes: new Set(account.codes), admin: account.admin };
}

/** These roles with their codes, by id; ids that name no role are left out. */
async function rolesOf(db: Executor, ids: readonly number[]): Promise<Map<number, RoleGrants>> {
  const found = new Map<number, { code: string; codes: string[] }>();
  if (ids.length === 0) return found;
  const rows = await db
    .select({ id: roles.id, role: roles.code, code: rolePermissions.permissionCode })
    .from(roles)
    .leftJoin(rolePermissions, eq(rolePermissions.roleId, roles.id))
    .where(inArray(roles.id, [...ids]));
  for (const row of rows) {
    const role = found.get(row.id) ?? { code: row.role, codes: [] };
    if (row.code !== null) role.codes.push(row.code);
    found.set(row.id, role);
  }
  return found;
}

function refuse(refusal: Refusal | null): void {
  if (!refusal) return;
  if (refusal.code === 'admin_only') {
    throw forbidden(
      'admin_only',
      'Only an administrator can change the administrator role, or the account of someone who has it',
    );
  }
  const codes = refusal.codes.join(', ');
  if (refusal.code === 'grant_not_held') {
    throw forbidden('grant_not_held', `You cannot grant permissions you do not hold: ${codes}`, { codes });
  }
  throw forbidden(
    'user_holds_more',
    `This account holds permissions you do not (${codes}): only someone who holds them may give it a new password or enable it`,
    { codes },
  );
}

/** Before giving user `userId` (null: one being created) exactly the roles `roleIds`. */
export async function assertMayAssignRoles(
  db: Executor,
  grantor: Grantor,
  userId: number | null,
  roleIds: readonly number[],
): Promise<void> {
  const current =
    userId === null
      ? []
      : (
          await db.select({ roleId: userRoles.roleId }).from(userRoles).where(eq(userRoles.userId, userId))
        ).map((r) => r.roleId);
  const wanted = new Set(roleIds);
  const added = [...wanted].filter((id) => !current.includes(id));
  const removed = current.filter((id) => !wanted.has(id));
  const byId = await rolesOf(db, [...added, ...removed]);
  // Ids that name no role are the write's to refuse (400 on the field), after this.
  const known = (ids: number[]) => ids.flatMap((id) => byId.get(id) ?? []);
  refuse(refuseRoleAssignment(grantor, known(added), known(removed)));
}

/** Before changing these staff accounts; `takeover`: a new password, or enabling them. */
export async function assertMayChangeAccounts(
  db: Executor,
  grantor: Grantor,
  userIds: readonly number[],
  takeover: boolean,
): Promise<void> {
  refuse(refuseAccountChange(grantor, [...(await accountsOf(db, userIds)).values()], takeover));
}

/** Before creating a role (`roleId` null) or changing one; `after` names only what changes. */
export async function assertMayChangeRole(
  db: Executor,
  grantor: Grantor,
  roleId: number | null,
  after: { code?: string; codes?: readonly string[] },
): Promise<void> {
  const before = roleId === null ? null : ((await rolesOf(db, [roleId])).get(roleId) ?? null);
  // Codes the catalogue does not know are the write's to refuse (400 on the field), after this.
  const codes = (after.codes ?? before?.codes ?? []).filter(isPermissionCode);
  refuse(refuseRoleChange(grantor, before, { code: after.code ?? before?.code ?? '', codes }));
}

/** Before deleting a role. */
export async function assertMayRemoveRole(db: Executor, grantor: Grantor, roleId: number): Promise<void> {
  const role = (await rolesOf(db, [roleId])).get(roleId);
  if (role) refuse(refuseRoleRemoval(grantor, role));
}
