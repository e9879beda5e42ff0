import { and, asc, eq, gte, inArray, sql } from 'drizzle-orm';
import { verifyPassword } from '../../auth/passwords.ts';
import { type Actor, createSession, endSession } from '../../auth/sessions.ts';
import type { Db } from '../../db/client.ts';
import { loginFailures, menus, permissions, roles, userRoles, users } from '../../db/schema/index.ts';
import { HttpError, tooMany } from '../../http/errors.ts';

export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MINUTES = 15;

export type SignInInput = {
  username: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  at: Date;
};

type Outcome = { ok: true; userId: number } | { ok: false; reason: 'throttled' | 'invalid' | 'disabled' };

/**
 * Checks the throttle and the password under a per-username lock, so five simultaneous guesses
 * cannot all slip under the limit; the failure is recorded in the same transaction.
 */
export async function signIn(db: Db, input: SignInInput): Promise<{ token: string; csrfToken: string }> {
  const username = input.username.trim();
  const windowStart = new Date(input.at.getTime() - FAILURE_WINDOW_MINUTES * 60_000);
  const outcome = await db.transaction(async (tx): Promise<Outcome> => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`login:${username.toLowerCase()}`}))`);
    const [failures] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(loginFailures)
      .where(and(eq(loginFailures.username, username), gte(loginFailures.at, windowStart)));
    if ((failures?.n ?? 0) >= MAX_FAILURES) return { ok: false, reason: 'throttled' };
    const [user] = await tx
      .select({ id: users.id, passwordHash: users.passwordHash, active: users.active })
      .from(users)
      .where(eq(users.username, username));
    const valid = await verifyPassword(user?.passwordHash ?? null, input.password);
    if (!valid || !user) {
      await tx.insert(loginFailures).values({ username, ip: input.ip, at: input.at });
      return { ok: false, reason: 'invalid' };
    }
    if (!user.active) return { ok: false, reason: 'disabled' };
    await tx.delete(loginFailures).where(eq(loginFailures.username, username));
    return { ok: true, userId: user.id };
  });
  if (!outcome.ok) {
    if (outcome.reason === 'throttled') {
      throw tooMany(
        'too_many_attempts',
        `Too many failed sign-ins for this username; try again in ${FAILURE_WINDOW_MINUTES} minutes`,
        { minutes: FAILURE_WINDOW_MINUTES },
      );
    }
    if (outcome.reason === 'disabled')
      throw new HttpError(403, 'account_disabled', 'This account is disabled');
    throw new HttpError(401, 'invalid_credentials', 'Wrong username or password');
  }
  return createSession(db, {
    userId: outcome.userId,
    ip: input.ip,
    userAgent: input.userAgent,
    at: input.at,
  });
}

export async function signOut(db: Db, actor: Actor): Promise<void> {
  await endSession(db, actor.sessionId);
}

export type MenuItem = { code: string; title: string; titleEn: string; icon: string | null; path: string };
export type MenuGroup = { id: number; title: string; titleEn: string; icon: string; items: MenuItem[] };

/** Who the actor is, what they may do, and the side menu built from the pages they hold. */
export async function describeActor(db: Db, actor: Actor) {
  const roleRows = await db
    .select({ id: roles.id, code: roles.code, title: roles.title })
    .from(userRoles)
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(eq(userRoles.userId, actor.userId))
    .orderBy(asc(roles.id));
  const codes = [...actor.permissions].sort();
  const pages =
    codes.length === 0
      ? []
      : await db
          .select({
            menuId: menus.id,
            menuTitle: menus.title,
            menuTitleEn: menus.titleEn,
            menuIcon: menus.icon,
            code: permissions.code,
            title: permissions.title,
            titleEn: permissions.titleEn,
            icon: permissions.icon,
            path: permissions.path,
          })
          .from(permissions)
          .innerJoin(menus, eq(menus.id, permissions.menuId))
          .where(and(eq(permissions.kind, 'page'), inArray(permissions.code, codes)))
          .orderBy(asc(menus.sort), asc(menus.id), asc(permissions.sort), asc(permissions.id));
  const groups: MenuGroup[] = [];
  for (const page of pages) {
    let group = groups.at(-1);
    if (group?.id !== page.menuId) {
      group = {
        id: page.menuId,
        title: page.menuTitle,
        titleEn: page.menuTitleEn,
        icon: page.menuIcon,
        items: [],
      };
      groups.push(group);
    }
    group.items.push({
      code: page.code,
      title: page.title,
      titleEn: page.titleEn,
      icon: page.icon,
      path: page.path ?? '/',
    });
  }
  return {
    id: actor.userId,
    username: actor.username,
    name: actor.name,
    roles: roleRows,
    permissions: codes,
    menus: groups,
  };
}
