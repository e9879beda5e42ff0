import { ilike, or, type SQL, sql } from 'drizzle-orm';
import { customerSearch, customers } from '../../db/schema/index.ts';
import { likePattern } from '../../engine/query.ts';

/**
 * "The customer's name, phone, QQ or WeChat contains `q`", answered from customer_search's indexes
 * (schema/sales.ts says why they are not on customers).
 *
 * A keyword of one or two characters has no trigram, so it is matched against the stored grams,
 * exactly, and PostgreSQL chooses between reading the matches first and walking the list in its
 * order: the grams' statistics (1,000 common elements) tell it well how many match.
 *
 * A longer keyword is matched by ILIKE, which the trigram indexes serve, and its matches are always
 * read first. PostgreSQL estimates how many rows contain `%1380%` from a sample of a hundred values,
 * so it is often tens of times off; and matches are not spread evenly in date order (old numbers
 * belong to old customers). Walking the list newest first and checking each row, as it chose for
 * `1380` and `1591` on 1,000,000 customers, visited 200,000 rows (0.5–2 s); reading the matches
 * first took 22–24 ms. The price is a common fragment such as `138` (one number in ten): about 0.3 s.
 */
export function customerKeywordSql(q: string): SQL {
  if ([...q].length <= 2) {
    return sql`${customers.id} in (select ${customerSearch.customerId} from ${customerSearch}
      where ${customerSearch.grams} @> array[lower(${q}::text)])`;
  }
  const pattern = likePattern(q);
  const contains = or(
    ...[customerSearch.name, customerSearch.phone, customerSearch.qq, customerSearch.wechat].map((column) =>
      ilike(column, pattern),
    ),
  );
  return sql`${customers.id} = any(array(select ${customerSearch.customerId} from ${customerSearch} where ${contains}))`;
}
