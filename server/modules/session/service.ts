import { and, asc, eq, gte, inArray, type SQL, sql } from 'drizzle-orm';
import { verifyPassword } from '../../auth/passwords.ts';
import { type Actor, createSession, endSession } from '../../auth/sessions.ts';
import type { Db } from '../../db/client.ts';
import { loginFailures, menus, permissions, roles, userRoles, users } from '../../db/schema/index.ts';
import { HttpError, tooMany } from '../../http/errors.ts';
import { throttleAddress } from './address.ts';

export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MINUTES = 15;
// Address locks take the two-key form, a space apart from the username locks' single keys.
const ADDRESS_LOCK_CLASS = 727_100;

export type SignInInput = {
  username: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  at: Date;
};

type Outcome =
  | { ok: true; userId: number }
  | { ok: false; reason: 'throttled_address' | 'throttled' | 'invalid' | 'disabled' };

/**
 * Checks the throttles and the password under a lock per address and one per username, so
 * simultaneous guesses cannot slip under either limit; the failure is recorded in the same
 * transaction. Guesses spread over many usernames meet the per-address limit, guesses at one
 * username from many addresses the per-username one. The password is verified whoever the
 * username names — nobody, someone disabled, someone active — so that all three take the same time,
 * and only the right password learns that an account is disabled.
 */
export async function signIn(
  db: Db,
  input: SignInInput,
  /** Failed sign-ins one address may make in the window (CRM_LOGIN_MAX_FAILURES_PER_ADDRESS). */
  maxPerAddress: number,
): Promise<{ token: string; csrfToken: string }> {
  const username = input.username.trim();
  const address = throttleAddress(input.ip);
  const windowStart = new Date(input.at.getTime() - FAILURE_WINDOW_MINUTES * 60_000);
  const failuresWhere = (condition: SQL | undefined) => and(condition, gte(loginFailures.at, windowStart));
  const outcome = await db.transaction(async (tx): Promise<Outcome> => {
    if (address) {
      await tx.execute(sql`select pg_advisory_xact_lock(${ADDRESS_LOCK_CLASS}::int, hashtext(${address}))`);
      const [fromAddress] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(loginFailures)
        .where(failuresWhere(eq(loginFailures.ip, address)));
      if ((fromAddress?.n ?? 0) >= maxPerAddress) return { ok: false, reason: 'throttled_address' };
    }
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`login:${username.toLowerCase()}`}))`);
    const [failures] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(loginFailures)
      .where(failuresWhere(eq(loginFailures.username, username)));
    if ((failures?.n ?? 0) >= MAX_FAILURES) return { ok: false, reason: 'throttled' };
    const [user] = await tx
      .select({ id: users.id, passwordHash: users.passwordHash, active: users.active })
      .from(users)
      .where(eq(users.username, username));
    const valid = await verifyPassword(user?.passwordHash ?? null, input.password);
    if (!valid || !user) {
      await tx.insert(loginFailures).values({ username, ip: address, at: input.at });
      return { ok: false, reason: 'invalid' };
    }
    if (!user.active) return { ok: false, reason: 'disabled' };
    await tx.delete(loginFailures).where(eq(loginFailures.username, username));
    return { ok: true, userId: user.id };
  });
  if (!outcome.ok) {
    if (outcome.reason === 'throttled_address') {
      throw tooMany(
        'too_many_attempts',
        `Too many failed sign-ins from this address; try again in ${FAILURE_WINDOW_MINUTES} minutes`,
        { minutes: FAILURE_WINDOW_MINUTES },
      );
    }
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
