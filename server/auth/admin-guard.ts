import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../db/client.ts';
import { conflict } from '../http/errors.ts';
import { ADMIN_ROLE } from './catalogue.ts';

/** Holding this code is what "may administer roles" means; someone active must always hold it. */
export const ROLE_ADMINISTRATION = 'role.update';
const GUARD_LOCK_KEY = 727_100_003;

/** How things stood when the change took the lock, for `assertAdministrationRemains` to compare. */
export type AdministrationBefore = { administrators: number };

/** Active people in the admin role who can administer roles: those who can change the admin role. */
async function activeAdministrators(tx: Tx): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    tx,
    sql`select count(*)::int as n from users u
        where u.active
          and exists (select 1 from user_roles ur join roles r on r.id = ur.role_id
                      where ur.user_id = u.id and r.code = ${ADMIN_ROLE})
          and exists (select 1 from user_roles ur join role_permissions rp on rp.role_id = ur.role_id
                      where ur.user_id = u.id and rp.permission_code = ${ROLE_ADMINISTRATION})`,
  );
  return row?.n ?? 0;
}

/**
 * Serialises every change that could take role administration away from the last person holding
 * it (disabling or deleting users, changing their roles, changing or deleting roles). Without the
 * lock, two administrators disabling each other at once would each still see the other. Also what
 * the delegation checks (grants.ts) read under, so the grantor's own roles cannot change meanwhile.
 */
export async function lockAdministration(tx: Tx): Promise<AdministrationBefore> {
  await tx.execute(sql`select pg_advisory_xact_lock(${GUARD_LOCK_KEY})`);
  return { administrators: await activeAdministrators(tx) };
}

/**
 * After the change, inside its transaction: refuses it when nobody active can administer roles,
 * or when it left no active administrator able to (out of the admin role, disabled, or the admin
 * role without role.update). Only an administrator may change the admin role (delegation.ts), so
 * without one it could never be changed again.
 */
export async function assertAdministrationRemains(tx: Tx, before: AdministrationBefore): Promise<void> {
  const [row] = await queryRows<{ n: number }>(
    tx,
    sql`select count(*)::int as n from users u
        where u.active and exists (
          select 1 from user_roles ur join role_permissions rp on rp.role_id = ur.role_id
          where ur.user_id = u.id and rp.permission_code = ${ROLE_ADMINISTRATION})`,
  );
  if ((row?.n ?? 0) === 0) {
    throw conflict(
      'last_admin',
      'This would leave nobody active who can administer roles; give the role administration to someone else first',
    );
  }
  // A school whose admin role nobody had (or that has none) is not held to having one.
  if (before.administrators > 0 && (await activeAdministrators(tx)) === 0) {
    throw conflict(
      'last_administrator',
      'This would leave no active administrator who can administer roles; give the admin role to someone else first',
    );
  }
}
