import { ADMIN_ROLE } from './catalogue.ts';

/**
 * The rules of delegated administration: someone given `user.update` or `role.update` manages
 * staff and roles without becoming an administrator by it.
 *
 * - Nobody grants a permission they do not hold: the roles they give a user (themselves included)
 *   carry only codes they hold, and the codes they add to a role are codes they hold.
 * - Nobody edits a role they belong to unless they hold every code of it. Their codes are read
 *   before the change, so this is the rule above applied to their own role: it can gain only what
 *   they already hold, and never becomes a way to hold more.
 * - The administrator role — its codes, its name, who has it, whether it exists — and the accounts
 *   of the people who have it are changed only by an administrator.
 * - Nobody takes over an account that holds more than they do: resetting its password or enabling
 *   it would hand them (or whoever knows its password) the codes they lack.
 *
 * Pure functions here; grants.ts reads what they need inside the change's transaction.
 */

/** Whoever makes the change, as its transaction sees them. */
export type Grantor = { codes: ReadonlySet<string>; admin: boolean };

/** A role as the rules see it. */
export type RoleGrants = { code: string; codes: readonly string[] };

/** A staff account as the rules see it: what its roles grant, and whether one is the admin role. */
export type Account = { codes: readonly string[]; admin: boolean };

export type Refusal =
  | { code: 'grant_not_held'; codes: string[] }
  | { code: 'user_holds_more'; codes: string[] }
  | { code: 'admin_only' };

/** The codes among `codes` the grantor does not hold, each once, in order. */
export function notHeld(grantor: Grantor, codes: Iterable<string>): string[] {
  return [...new Set(codes)].filter((code) => !grantor.codes.has(code)).sort();
}

const isAdminRole = (role: { code: string } | null | undefined) => role?.code === ADMIN_ROLE;

/** Giving a user the roles `added` and taking `removed` from them (a new user: nothing removed). */
export function refuseRoleAssignment(
  grantor: Grantor,
  added: readonly RoleGrants[],
  removed: readonly RoleGrants[],
): Refusal | null {
  if (!grantor.admin && [...added, ...removed].some(isAdminRole)) return { code: 'admin_only' };
  const missing = notHeld(
    grantor,
    added.flatMap((role) => role.codes),
  );
  return missing.length ? { code: 'grant_not_held', codes: missing } : null;
}

/** Creating a role (`before` null) or changing one into `after`. */
export function refuseRoleChange(
  grantor: Grantor,
  before: RoleGrants | null,
  after: RoleGrants,
): Refusal | null {
  if (!grantor.admin && (isAdminRole(before) || isAdminRole(after))) return { code: 'admin_only' };
  const had = new Set(before?.codes ?? []);
  const missing = notHeld(
    grantor,
    after.codes.filter((code) => !had.has(code)),
  );
  return missing.length ? { code: 'grant_not_held', codes: missing } : null;
}

/** Deleting a role: the admin role only by an administrator (any other, held by nobody, freely). */
export function refuseRoleRemoval(grantor: Grantor, role: RoleGrants): Refusal | null {
  return !grantor.admin && isAdminRole(role) ? { code: 'admin_only' } : null;
}

/**
 * Changing staff accounts: any change to an administrator's only by an administrator; `takeover`
 * (a new password, or enabling a disabled account) only of accounts holding nothing the grantor lacks.
 */
export function refuseAccountChange(
  grantor: Grantor,
  accounts: readonly Account[],
  takeover: boolean,
): Refusal | null {
  if (!grantor.admin && accounts.some((account) => account.admin)) return { code: 'admin_only' };
  if (!takeover) return null;
  const missing = notHeld(
    grantor,
    accounts.flatMap((account) => account.codes),
  );
  return missing.length ? { code: 'user_holds_more', codes: missing } : null;
}
