import { and, eq, inArray, sql } from 'drizzle-orm';
import { assertAdministrationRemains, lockAdministration } from '../../auth/admin-guard.ts';
import { assertMayAssignRoles, assertMayChangeAccounts, grantorOf } from '../../auth/grants.ts';
import { hashPassword, passwordProblem } from '../../auth/passwords.ts';
import { endUserSessions } from '../../auth/sessions.ts';
import type { Tx } from '../../db/client.ts';
import type { CodeOf, notifyChannel } from '../../db/schema/enums.ts';
import { roles, userRoles, users } from '../../db/schema/index.ts';
import { replaceLinks } from '../../engine/links.ts';
import type { Body, Context, Item } from '../../engine/types.ts';
import { conflict, invalidField } from '../../http/errors.ts';

const USERNAME = /^[A-Za-z0-9_.-]{2,64}$/;

/*
 * Staff accounts as the users page and the CLI change them: each under the administration lock,
 * with only what the actor may grant (auth/grants.ts), and never the last administrator away.
 */

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
export async function createAccount({ tx, actor, at }: Context, body: Body): Promise<number> {
  const roleIds = (body.roleIds as number[] | undefined) ?? [];
  if (roleIds.length) await assertMayAssignRoles(tx, await grantorOf(tx, actor.userId), null, roleIds);
  return insertUser(tx, at, body);
}

export async function updateAccount(
  { tx, actor, at }: Context,
  id: number,
  body: Body,
  before: Item,
): Promise<void> {
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

export async function removeAccount({ tx, actor }: Context, id: number): Promise<void> {
  if (id === actor.userId) throw conflict('cannot_delete_self', 'You cannot delete your own account');
  const guard = await lockAdministration(tx);
  await assertMayChangeAccounts(tx, await grantorOf(tx, actor.userId), [id], false);
  await tx.delete(users).where(eq(users.id, id));
  await assertAdministrationRemains(tx, guard);
}

export async function setActive({ tx, actor, at }: Context, ids: number[], active: boolean): Promise<number> {
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

/** The reset-password action: a password the actor chooses for accounts they may change. */
export async function resetPasswordsOf({ tx, actor, at }: Context, ids: number[], password: string) {
  await lockAdministration(tx);
  // A password the actor chooses makes the account theirs to use: no more than they hold.
  await assertMayChangeAccounts(tx, await grantorOf(tx, actor.userId), ids, true);
  const targets = await tx
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(inArray(users.id, ids));
  await resetPasswords(tx, targets, password, at);
  return targets.length;
}
