import { and, eq, ilike, like, or, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../auth/sessions.ts';
import { ownedCustomerIdsSql } from '../../db/owners.ts';
import { customerSearch, customers } from '../../db/schema/index.ts';
import { likePattern } from '../../engine/query.ts';
import { normalisePhone, normaliseQq, normaliseWechat } from './contacts.ts';
import { seesEveryContact } from './present.ts';

/**
 * "The customer's name, phone, QQ or WeChat contains `q`", answered from customer_search's indexes
 * (schema/sales.ts says why they are not on customers) — for contacts the actor reads in full.
 *
 * A contact the actor sees masked (138****0001: another consultant's customer, the pool's) is
 * matched only whole, never by a piece: were `138`, `1380`, `13800`… to find it, a consultant
 * would spell out the hidden digits one request at a time (issue 20, item 3). Names stay
 * searchable by any piece. Who sees what is present.ts's `seesContacts`: everything with
 * `customer.view_all`, else their own customers' contacts.
 *
 * A keyword of one or two characters has no trigram, so it is matched against the stored grams,
 * exactly, and PostgreSQL chooses between reading the matches first and walking the list in its
 * order: the grams' statistics (1,000 common elements) tell it well how many match.
 *
 * A longer keyword is matched by ILIKE, which the trigram indexes serve, and its matches are always
 * read first. PostgreSQL estimates how many rows contain `%1380%` from a sample of a hundred values,
 * so it is often tens of times off; and matches are not spread evenly in date order (old numbers
 * belong to old customers). Walking the list newest first and checking each row, as it chose for
 * `1380` and `1591` at a million customers, visited a large part of the table, where reading the
 * matches first visits only them. The price is a common fragment such as `138` (one number in ten),
 * whose matches are many (docs/benchmarks.md, "Figures moved out of the code's comments").
 */
export function customerKeywordSql(q: string, actor: Actor, list: 'customers' | 'pool' = 'customers'): SQL {
  const short = [...q].length <= 2;
  // The pool never lists the caller's own customers (poolScope: not to their last owner, unless
  // a cooldown passed that the nightly sweep never lets pass), so it does not read them to check.
  const own = list === 'customers' ? actor.userId : null;
  const matches = sql`select ${customerSearch.customerId} from ${customerSearch}
    where ${seesEveryContact(actor) ? anyFieldContains(q, short) : maskedContains(q, short, own)}`;
  return short ? sql`${customers.id} in (${matches})` : sql`${customers.id} = any(array(${matches}))`;
}

/** Any of the four fields contains `q`: what a reader of every contact searches. */
function anyFieldContains(q: string, short: boolean): SQL {
  if (short) return sql`${customerSearch.grams} @> array[lower(${q}::text)]`;
  return fieldsContain(customerSearch, q);
}

/**
 * The name, phone, QQ or WeChat id of `table` contains `q`, by ILIKE: on customer_search its
 * trigram indexes serve it; on customers it checks rows already found (walk.ts).
 */
export const fieldsContain = (table: typeof customers | typeof customerSearch, q: string): SQL =>
  fieldsMatch(table, likePattern(q));

/**
 * fieldsContain for an ILIKE pattern already made (walk.ts: a placeholder). `caseless`: the keyword
 * has no character with a case (digits, Chinese), so LIKE finds what ILIKE finds, for a fifth of
 * its cost per row (ILIKE lower-cases every field it reads).
 */
export const fieldsMatch = (
  table: typeof customers | typeof customerSearch,
  pattern: string | SQL,
  caseless = false,
): SQL =>
  or(
    ...[table.name, table.phone, table.qq, table.wechat].map((column) =>
      caseless ? like(column, pattern) : ilike(column, pattern),
    ),
  )!;

const contactColumns = [customerSearch.phone, customerSearch.qq, customerSearch.wechat];

/**
 * What a reader of masked contacts searches: the name contains `q` (the names' own grams, migration
 * 0018, or trigrams), or a contact is `q` whole, or — among the reader's own customers — a contact
 * contains it. One condition on customer_search whose arms are each an index condition (grams or
 * trigrams; its primary key for the short lists of ids, each computed once), so PostgreSQL may
 * combine them (BitmapOr) or check them row by row while walking a list. Written as a union of three
 * sub-selects, it was misjudged for a consultant's own list as one row, and the whole union ran again
 * for each of their customers. The pool, which needs no own arm, answers such keywords from the
 * indexes at once; only a common single character such as 王 costs it what it costs a manager
 * (docs/benchmarks.md, "Figures moved out of the code's comments").
 */
function maskedContains(q: string, short: boolean, ownerId: number | null): SQL {
  const name = short
    ? sql`${customerSearch.nameGrams} @> array[lower(${q}::text)]`
    : ilike(customerSearch.name, likePattern(q));
  const own =
    ownerId === null
      ? undefined
      : and(
          sql`${customerSearch.customerId} = any(${ownedCustomerIdsSql([ownerId])})`,
          or(...contactColumns.map((column) => ilike(column, likePattern(q)))),
        );
  const whole = sql`${customerSearch.customerId} = any(array(${wholeContact(q)}))`;
  return or(name, own, whole)!;
}

/**
 * Customers one of whose contacts is `q` whole, each normalised as it is stored (contacts.ts), so
 * `138 0013 8000` finds 13800138000: one probe of each unique index.
 */
function wholeContact(q: string): SQL {
  const probes = [
    [customers.phoneNorm, normalisePhone(q)],
    [customers.qqNorm, normaliseQq(q)],
    [customers.wechatNorm, normaliseWechat(q)],
  ] as const;
  const arms = probes.filter(([, value]) => value !== null).map(([column, value]) => eq(column, value!));
  return sql`select ${customers.id} from ${customers} where ${or(...arms) ?? sql`false`}`;
}

/**
 * For a list whose rows name a customer (my customers: periods of ownership, some of customers now
 * someone else's): the customer's name or phone contains `q`, a phone the actor sees masked only
 * whole. A condition on `customers`, for a sub-select on the row's customer.
 */
export function nameOrPhoneSql(q: string, actor: Actor): SQL {
  const pattern = likePattern(q);
  const phone = normalisePhone(q);
  const readable = seesEveryContact(actor) ? undefined : eq(customers.consultantId, actor.userId);
  return or(
    ilike(customers.name, pattern),
    and(readable, ilike(customers.phone, pattern)),
    phone === null ? undefined : eq(customers.phoneNorm, phone),
  )!;
}
