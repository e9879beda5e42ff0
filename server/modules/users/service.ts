import { eq, inArray } from 'drizzle-orm';
import { hashPassword, passwordProblem } from '../../auth/passwords.ts';
import { endUserSessions } from '../../auth/sessions.ts';
import type { Db } from '../../db/client.ts';
import { auditLog, roles, userRoles, users } from '../../db/schema/index.ts';
import { badRequest, conflict, notFound } from '../../http/errors.ts';

export type CreateUserInput = {
  username: string;
  name: string;
  password: string;
  roleCodes?: string[];
  email?: string | null;
  phone?: string | null;
  actorId?: number | null;
  at: Date;
};

const USERNAME = /^[A-Za-z0-9_.-]{2,64}$/;

export async function createUser(db: Db, input: CreateUserInput): Promise<{ id: number }> {
  const username = input.username.trim();
  if (!USERNAME.test(username)) {
    throw badRequest('validation', 'username: 2–64 letters, digits, dots, dashes or underscores', [
      { field: 'username', message: 'is invalid' },
    ]);
  }
  if (!input.name.trim())
    throw badRequest('validation', 'name: is required', [{ field: 'name', message: 'is required' }]);
  const problem = passwordProblem(input.password, username);
  if (problem) throw badRequest('validation', problem, [{ field: 'password', message: problem }]);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.username, username));
    if (taken) throw conflict('username_taken', `The username "${username}" is already taken`);
    const codes = [...new Set(input.roleCodes ?? [])];
    const roleRows = codes.length ? await tx.select().from(roles).where(inArray(roles.code, codes)) : [];
    const missing = codes.filter((code) => !roleRows.some((r) => r.code === code));
    if (missing.length)
      throw badRequest('validation', `Unknown role: ${missing.join(', ')}`, [
        { field: 'roles', message: 'unknown role' },
      ]);
    const [user] = await tx
      .insert(users)
      .values({
        username,
        name: input.name.trim(),
        passwordHash,
        email: input.email ?? null,
        phone: input.phone ?? null,
        createdAt: input.at,
        updatedAt: input.at,
      })
      .returning({ id: users.id });
    if (!user) throw new Error('insert returned nothing');
    if (roleRows.length) {
      await tx.insert(userRoles).values(roleRows.map((r) => ({ userId: user.id, roleId: r.id })));
    }
    await tx.insert(auditLog).values({
      actorId: input.actorId ?? null,
      action: 'create',
      entity: 'users',
      entityId: user.id,
      after: { username, name: input.name.trim(), roles: codes },
      at: input.at,
    });
    return user;
  });
}

/** Sets a new password and signs the user out everywhere, as after any credential change. */
export async function setPassword(
  db: Db,
  input: { username: string; password: string; actorId?: number | null; at: Date },
): Promise<void> {
  const problem = passwordProblem(input.password, input.username);
  if (problem) throw badRequest('validation', problem, [{ field: 'password', message: problem }]);
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ passwordHash, updatedAt: input.at })
      .where(eq(users.username, input.username))
      .returning({ id: users.id });
    if (!user) throw notFound(`No user "${input.username}"`);
    await endUserSessions(tx, user.id);
    await tx.insert(auditLog).values({
      actorId: input.actorId ?? null,
      action: 'password',
      entity: 'users',
      entityId: user.id,
      at: input.at,
    });
  });
}
