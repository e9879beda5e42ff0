import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../db/client.ts';
import type { PermissionCode } from './catalogue.ts';

/** The active staff whose roles grant `code`: whom an event concerns (finance, the managers…). */
export function activeHolders(db: Executor, code: PermissionCode): Promise<{ id: number; name: string }[]> {
  return queryRows<{ id: number; name: string }>(
    db,
    sql`select distinct u.id, u.name from users u
        join user_roles ur on ur.user_id = u.id
        join role_permissions rp on rp.role_id = ur.role_id
        where u.active and rp.permission_code = ${code}
        order by u.name, u.id`,
  );
}

/** Whether `userId`'s roles grant `code`, for work done outside a request (an import's thread). */
export async function holds(db: Executor, userId: number, code: PermissionCode): Promise<boolean> {
  const [row] = await queryRows<{ holds: boolean }>(
    db,
    sql`select exists (
          select 1 from user_roles ur join role_permissions rp on rp.role_id = ur.role_id
          where ur.user_id = ${userId} and rp.permission_code = ${code}) as holds`,
  );
  return row?.holds ?? false;
}
