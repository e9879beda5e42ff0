import { type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { PermissionCode } from '../../auth/catalogue.ts';
import { type Executor, queryRows } from '../../db/client.ts';
import { consultantRef, type RefTo } from '../../engine/present.ts';
import { badRequest } from '../../http/errors.ts';

/**
 * Who may own customers: active staff whose roles let them grab customers from the pool — the
 * permission that makes someone a seller. A customer given to finance or a teacher would sit with
 * nobody to follow it up until it fell back into the pool, counted in nobody's performance
 * (issue 20, item 6). Every path that names an owner checks this: entry by a manager, 转交, an
 * import's consultant column, and the rotation, which passes such staff by.
 */
export const OWNER_PERMISSION = 'customer.grab' satisfies PermissionCode;

/** Whether the user `userId` names (a column or a value) may own customers now. */
export const mayOwnSql = (userId: SQL | AnyPgColumn | number): SQL =>
  sql`exists (select 1 from users owner_user
    join user_roles owner_role on owner_role.user_id = owner_user.id
    join role_permissions owner_grant on owner_grant.role_id = owner_role.role_id
    where owner_user.id = ${userId} and owner_user.active
      and owner_grant.permission_code = ${OWNER_PERMISSION})`;

/** Of the active staff, the ids of those who may own customers. */
export async function ownerIds(db: Executor): Promise<Set<number>> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`select u.id from users u where ${mayOwnSql(sql`u.id`)}`,
  );
  return new Set(rows.map((r) => r.id));
}

/**
 * Refuses to give customers to `userId` unless they may own them: an unknown or disabled user is a
 * 400 on the field, someone who may not sell a 400 `cannot_own_customers` naming them.
 */
export async function refuseUnlessMayOwn(
  db: Executor,
  userId: number,
  field = 'consultantId',
): Promise<void> {
  const [user] = await queryRows<{ name: string; active: boolean; may: boolean }>(
    db,
    sql`select u.name, u.active, ${mayOwnSql(sql`u.id`)} as may from users u where u.id = ${userId}`,
  );
  if (!user?.active) {
    throw badRequest('validation', `${field}: no active member of staff has this id`, [
      { field, message: 'unknown or disabled user', code: 'unknown_reference' },
    ]);
  }
  if (!user.may) {
    throw badRequest(
      'cannot_own_customers',
      `${field}: ${user.name} may not own customers; only staff who may grab customers from the pool can`,
      undefined,
      { name: user.name },
    );
  }
}

/** The consultant a form picks to own customers: the picker offers only those who may own them. */
export const ownerRef: RefTo = { ...consultantRef, refParams: { owners: 'true' } };
