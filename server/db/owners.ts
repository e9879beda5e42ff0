import { type SQL, sql } from 'drizzle-orm';
import { customerOwners, customers } from './schema/index.ts';

/**
 * Customers owned now by any of `consultantIds` (checked integers), for `where` on `customers`.
 * No index of customers names the owner (a release would write one entry into each of its
 * indexes: schema/sales.ts), so the owner's customers are read from customer_owners' index; the
 * equality on the row itself is what decides.
 */
export function ownedBySql(consultantIds: readonly number[]): SQL {
  const ids = `{${consultantIds.filter((id) => Number.isInteger(id)).join(',')}}`;
  return sql`(${customers.id} in (select ${customerOwners.customerId} from ${customerOwners}
      where ${customerOwners.consultantId} = any(${ids}::int[]))
    and ${customers.consultantId} = any(${ids}::int[]))`;
}
