import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { roles, users } from '../../db/schema/index.ts';
import { writeAudit } from '../../engine/audit.ts';
import { badRequest, notFound } from '../../http/errors.ts';
import { insertUser, resetPasswords } from './accounts.ts';

export type CreateUserInput = {
  username: string;
  name: string;
  password: string;
  roleCodes?: string[];
  email?: string | null;
  phone?: string | null;
  at: Date;
};

/** `crm user create`: the same rules as the users page, with roles named by code. */
export async function createUser(db: Db, input: CreateUserInput): Promise<{ id: number }> {
  return db.transaction(async (tx) => {
    const codes = [...new Set(input.roleCodes ?? [])];
    const found = codes.length ? await tx.select().from(roles).where(inArray(roles.code, codes)) : [];
    const missing = codes.filter((code) => !found.some((r) => r.code === code));
    if (missing.length) {
      throw badRequest('validation', `Unknown role: ${missing.join(', ')}`, [
        { field: 'roles', message: 'unknown role', code: 'unknown_reference' },
      ]);
    }
    const id = await insertUser(tx, input.at, {
      username: input.username,
      name: input.name,
      password: input.password,
      email: input.email ?? null,
      phone: input.phone ?? null,
      roleIds: found.map((r) => r.id),
    });
    await writeAudit(tx, {
      actorId: null,
      action: 'create',
      entity: 'users',
      entityId: id,
      after: { username: input.username, name: input.name, roles: codes },
      at: input.at,
    });
    return { id };
  });
}

/** `crm user password`: sets a new password and signs the user out everywhere. */
export async function setPassword(
  db: Db,
  input: { username: string; password: string; at: Date },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [user] = await tx
      .select({ id: users.id, username: users.username })
      .from(users)
      .where(eq(users.username, input.username));
    if (!user) throw notFound(`No user "${input.username}"`);
    await resetPasswords(tx, [user], input.password, input.at);
    await writeAudit(tx, {
      actorId: null,
      action: 'password',
      entity: 'users',
      entityId: user.id,
      at: input.at,
    });
  });
}
