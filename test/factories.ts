import { eq, inArray } from 'drizzle-orm';
import type { PermissionCode } from '../server/auth/catalogue.ts';
import { hashPassword } from '../server/auth/passwords.ts';
import type { Executor } from '../server/db/client.ts';
import { rolePermissions, roles, userRoles, users } from '../server/db/schema/index.ts';

let counter = 0;
const unique = (prefix: string) => `${prefix}${process.pid}_${++counter}`;

export const TEST_PASSWORD = 'correct-horse-battery';

/** The id of the user signing in as `username` (the demo's people, say). */
export async function userIdOf(db: Executor, username: string): Promise<number> {
  return (await db.select({ id: users.id }).from(users).where(eq(users.username, username)))[0]!.id;
}
let passwordHash: Promise<string> | undefined;

/** A role granting exactly these codes. */
export async function makeRole(db: Executor, codes: PermissionCode[], code = unique('role_')) {
  const [role] = await db.insert(roles).values({ code, title: code }).returning();
  if (!role) throw new Error('role insert returned nothing');
  if (codes.length) {
    await db
      .insert(rolePermissions)
      .values(codes.map((permissionCode) => ({ roleId: role.id, permissionCode })));
  }
  return role;
}

/** A staff member who can sign in with TEST_PASSWORD, holding the given codes through a role of their own. */
export async function makeUser(
  db: Executor,
  options: {
    username?: string;
    name?: string;
    codes?: PermissionCode[];
    roleCodes?: string[];
    active?: boolean;
  } = {},
) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const username = options.username ?? unique('user_');
  const [user] = await db
    .insert(users)
    .values({
      username,
      name: options.name ?? `Test ${username}`,
      passwordHash: await passwordHash,
      active: options.active ?? true,
    })
    .returning();
  if (!user) throw new Error('user insert returned nothing');
  const roleIds: number[] = [];
  if (options.codes) roleIds.push((await makeRole(db, options.codes)).id);
  if (options.roleCodes?.length) {
    const found = await db.select({ id: roles.id }).from(roles).where(inArray(roles.code, options.roleCodes));
    roleIds.push(...found.map((r) => r.id));
  }
  if (roleIds.length)
    await db.insert(userRoles).values(roleIds.map((roleId) => ({ userId: user.id, roleId })));
  return user;
}

export async function setActive(db: Executor, userId: number, active: boolean) {
  await db.update(users).set({ active }).where(eq(users.id, userId));
}
