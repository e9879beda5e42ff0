import { sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../db/client.ts';
import { conflict } from '../http/errors.ts';

/** Holding this code is what "may administer roles" means; someone active must always hold it. */
export const ROLE_ADMINISTRATION = 'role.update';
const GUARD_LOCK_KEY = 727_100_003;

/**
 * Serialises every change that could take role administration away from the last person holding
 * it (disabling or deleting users, changing their roles, changing or deleting roles). Without the
 * lock, two administrators disabling each other at once would each still see the other.
 */
export async function lockAdministration(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${GUARD_LOCK_KEY})`);
}

/** After the change, inside its transaction: refuses it when nobody active can administer roles. */
export async function assertAdministrationRemains(tx: Tx): Promise<void> {
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
}
