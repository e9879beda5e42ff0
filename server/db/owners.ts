import { and, eq, gt, type SQL, sql } from 'drizzle-orm';
import { intArraySql } from './client.ts';
import { customerOwners, customers } from './schema/index.ts';

/**
 * The ids of the customers owned now by any of `consultantIds`, as one array computed once per
 * statement (an InitPlan) from customer_owners' index. As an array, `column = any(…)` is an index
 * condition: PostgreSQL reads the matching rows by a bitmap of their pages, and beside another
 * arm under `or` it combines two indexes (BitmapOr) where a sub-select would be hashed and probed
 * from a scan of the whole table: a consultant's follow-ups list at a million customers took far
 * less time this way (docs/benchmarks.md, "Figures moved out of the code's comments").
 */
export const ownedCustomerIdsSql = (consultantIds: readonly number[]): SQL =>
  sql`array(select ${customerOwners.customerId} from ${customerOwners}
    where ${customerOwners.consultantId} = any(${intArraySql(consultantIds)}))`;

/**
 * The customers `consultantId` follows at `at`, for `where` on customer_owners: owned, unregistered
 * (only those have a deadline there) and not yet public. One range on customer_owners_consultant_idx.
 */
export const followingSql = (consultantId: number, at: Date): SQL =>
  and(eq(customerOwners.consultantId, consultantId), gt(customerOwners.releaseAt, at)) as SQL;

/**
 * Customers owned now by any of `consultantIds` (checked integers), for `where` on `customers`.
 * No index of customers names the owner (a release would write one entry into each of its
 * indexes: schema/sales.ts), so the owner's customers are read from customer_owners' index; the
 * equality on the row itself is what decides.
 */
export function ownedBySql(consultantIds: readonly number[]): SQL {
  return sql`(${customers.id} = any(${ownedCustomerIdsSql(consultantIds)})
    and ${customers.consultantId} = any(${intArraySql(consultantIds)}))`;
}
