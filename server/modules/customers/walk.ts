import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import { now } from '../../clock.ts';
import { type Executor, queryRows } from '../../db/client.ts';
import { customerGrams, customerGramsPending, customerSearch, customers } from '../../db/schema/index.ts';
import type { KeywordWalk, WalkRequest } from '../../engine/types.ts';
import { seesEveryContact } from './present.ts';
import { fieldsContain } from './search.ts';

/**
 * Past this many matches a keyword's page 1 is read along its postings (customer_grams, newest
 * first), checking each customer until the page is full; up to it, the matches are read first and
 * sorted (search.ts), which for a handful costs less than walking a common piece to find them.
 */
export const WALK_FROM = 200;

/** Every character is ASCII or has no case: JavaScript lower-cases it as PostgreSQL's lower() does. */
const lowersAlike = (q: string) => [...q].every((c) => c <= '\x7f' || c.toLowerCase() === c.toUpperCase());

/** The postings hold no 1- or 2-character piece of a contact made only of digits (migration 0023). */
const postedWhole = (keyword: string) => [...keyword].length <= 3 && !/^[0-9]{1,2}$/.test(keyword);

/**
 * The keyword search of the customers list, for a reader of every contact in its default order
 * (newest first), along customer_grams. A keyword of up to three characters is one piece: its
 * postings are exactly its matches, so page 1 is their first rows and the count a count of their
 * index, status and source filters included. A longer one is walked along its rarest trigram (the
 * planner's statistics say which), each customer checked by the ILIKE search.ts would use; a
 * first look at its trigram index (at most WALK_FROM + 1 matches) says whether it is common enough.
 * Undefined where the walk does not apply (another reader, a 1- or 2-digit keyword, a character
 * whose lower case JavaScript and PostgreSQL might disagree on).
 */
export async function customerKeywordWalk(request: WalkRequest): Promise<KeywordWalk | undefined> {
  const { db, q, actor, query } = request;
  if (!seesEveryContact(actor) || !lowersAlike(q)) return undefined;
  const keyword = q.toLowerCase();
  const postingsOf = (gram: string) => ({ gram, postings: postingsFor(db, gram, q) });
  const walk = (
    { gram, postings }: { gram: string; postings: Postings },
    check: SQL | undefined,
  ): KeywordWalk => {
    const values = (raw: unknown) =>
      String(raw)
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
    return {
      table: postings,
      on: eq(customers.id, postings.customerId),
      // The piece is named outside the union: so PostgreSQL sees each branch in the walk's order and
      // merges them (named inside, it sorted a common piece's whole range: 37 ms for "132", not 0.2).
      where: and(
        eq(postings.gram, gram),
        query.status ? inArray(postings.status, values(query.status)) : undefined,
        query.source ? inArray(postings.source, values(query.source)) : undefined,
      )!,
      order: [desc(postings.createdAt), asc(postings.customerId)],
      check,
      absorbs: ['status', 'source'],
    };
  };
  if (postedWhole(keyword)) return walk(postingsOf(keyword), undefined);
  if ([...keyword].length <= 3) return undefined;
  const plainMatches = sql`select 1 from ${customerSearch} where ${fieldsContain(customerSearch, q)}`;
  const [probe] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from (${plainMatches} limit ${WALK_FROM + 1}) m`,
  );
  if ((probe?.n ?? 0) <= WALK_FROM) return undefined;
  const piece = postingsOf(await rarestTrigram(db, keyword));
  return { ...walk(piece, fieldsContain(customers, q)), plainMatches };
}

/**
 * The customers holding `gram`, newest first: its postings, and beside them the customers still
 * waiting for theirs (customer_grams_pending: just added or edited, or a whole import until it
 * ends), checked by ILIKE on `q`, which holds the gram. Page 1 is a merge of the two in order.
 */
function postingsFor(db: Executor, gram: string, q: string) {
  const posted = db
    .select({
      gram: customerGrams.gram,
      createdAt: customerGrams.createdAt,
      customerId: customerGrams.customerId,
      status: customerGrams.status,
      source: customerGrams.source,
    })
    .from(customerGrams);
  // Each waiting customer looked up by its id, in a subquery LIMIT keeps apart: joined plainly,
  // PostgreSQL may read every customer by ILIKE first when it misjudges how many wait (PGlite never
  // analyses the table: 250 ms for 张伟 at 100,000 customers, and nobody waiting).
  const customer = db
    .select({
      createdAt: customers.createdAt,
      id: customers.id,
      status: customers.status,
      source: customers.source,
    })
    .from(customers)
    .where(and(eq(customers.id, customerGramsPending.customerId), fieldsContain(customers, q)))
    .limit(1)
    .as('waiting');
  const waiting = db
    .select({
      gram: sql<string>`${gram}::text`.as('gram'),
      createdAt: customer.createdAt,
      customerId: customer.id,
      status: customer.status,
      source: customer.source,
    })
    .from(customerGramsPending)
    .crossJoinLateral(customer);
  return unionAll(posted, waiting).as('postings');
}

type Postings = ReturnType<typeof postingsFor>;

type Frequencies = { at: number; byGram: Map<string, number> };
const frequencies = new WeakMap<object, Frequencies>();
const FREQUENCIES_FOR_MS = 10 * 60_000;

/**
 * The keyword's 3-character piece with the fewest postings, by the planner's most common values
 * (1,000 of them, migration 0023): a piece not among them is rarer than all of them. Read from
 * pg_stats every ten minutes; a stale figure only makes a walk a little longer.
 */
async function rarestTrigram(db: Executor, keyword: string): Promise<string> {
  const chars = [...keyword];
  const trigrams = chars.slice(0, -2).map((_, i) => chars.slice(i, i + 3).join(''));
  const byGram = await gramFrequencies(db);
  let best = trigrams[0]!;
  for (const gram of trigrams) if ((byGram.get(gram) ?? 0) < (byGram.get(best) ?? 0)) best = gram;
  return best;
}

async function gramFrequencies(db: Executor): Promise<Map<string, number>> {
  const at = now().getTime();
  const known = frequencies.get(db);
  if (known && at - known.at < FREQUENCIES_FOR_MS) return known.byGram;
  const rows = await queryRows<{ grams: string[] | null; freqs: number[] | null }>(
    db,
    sql`select most_common_vals::text::text[] as grams, most_common_freqs as freqs
        from pg_stats where schemaname = current_schema() and tablename = 'customer_grams' and attname = 'gram'`,
  );
  const [row] = rows;
  const byGram = new Map((row?.grams ?? []).map((gram, i) => [gram, row?.freqs?.[i] ?? 0]));
  frequencies.set(db, { at, byGram });
  return byGram;
}
