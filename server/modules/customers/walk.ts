import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
import { now } from '../../clock.ts';
import { type Executor, queryRows } from '../../db/client.ts';
import {
  customerGramCountChanges,
  customerGramCounts,
  customerGrams,
  customerGramsPending,
  customerSearch,
  customers,
} from '../../db/schema/index.ts';
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

/** The longest pieces posted (migration 0025). */
const LONGEST_PIECE = 4;

/** The postings hold no 1- or 2-character piece of a contact made only of digits (migration 0023). */
const postedWhole = (keyword: string) =>
  [...keyword].length <= LONGEST_PIECE && !/^[0-9]{1,2}$/.test(keyword);

/** A filter's values as the list's query gives them ("a,b"); undefined when it is not set. */
function filterValues(raw: unknown): string[] | undefined {
  if (raw === undefined || raw === '') return undefined;
  return String(raw)
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

/**
 * The keyword search of the customers list, for a reader of every contact in its default order
 * (newest first), along customer_grams. A keyword of up to four characters is one piece: its
 * postings are exactly its matches, so page 1 is their first rows and the count the sum of its
 * counts (customer_gram_counts), status and source filters included. A longer one is walked along
 * its rarest 4-character piece (the planner's statistics say which), each customer checked by the
 * ILIKE search.ts would use; a first look at the trigram index of customer_search (at most
 * WALK_FROM + 1 matches) says whether it is common enough.
 * Undefined where the walk does not apply (another reader, a 1- or 2-digit keyword, a character
 * whose lower case JavaScript and PostgreSQL might disagree on).
 */
export async function customerKeywordWalk(request: WalkRequest): Promise<KeywordWalk | undefined> {
  const { db, q, actor, query } = request;
  if (!seesEveryContact(actor) || !lowersAlike(q)) return undefined;
  const keyword = q.toLowerCase();
  const statuses = filterValues(query.status);
  const sources = filterValues(query.source);
  const walk = (gram: string, check: SQL | undefined): KeywordWalk => {
    const postings = postingsFor(db, gram, q);
    return {
      table: postings,
      on: eq(customers.id, postings.customerId),
      // The piece is named outside the union: so PostgreSQL sees each branch in the walk's order and
      // merges them (named inside, it sorted a common piece's whole range: 37 ms for "132", not 0.2).
      where: and(
        eq(postings.gram, gram),
        statuses ? inArray(postings.status, statuses) : undefined,
        sources ? inArray(postings.source, sources) : undefined,
      )!,
      order: [desc(postings.createdAt), asc(postings.customerId)],
      check,
      absorbs: ['status', 'source'],
      counted: check ? undefined : countedFor(db, gram, q, statuses, sources),
    };
  };
  if (postedWhole(keyword)) return walk(keyword, undefined);
  if ([...keyword].length <= LONGEST_PIECE) return undefined;
  const plainMatches = sql`select 1 from ${customerSearch} where ${fieldsContain(customerSearch, q)}`;
  const [probe] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from (${plainMatches} limit ${WALK_FROM + 1}) m`,
  );
  if ((probe?.n ?? 0) <= WALK_FROM) return undefined;
  return { ...walk(await rarestPiece(db, keyword), fieldsContain(customers, q)), plainMatches };
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
  return unionAll(posted, waitingFor(db, gram, q)).as('postings');
}

/** The customers waiting for their postings who match `q` (and the filters given), as postings of `gram`. */
function waitingFor(db: Executor, gram: string, q: string, statuses?: string[], sources?: string[]) {
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
    .where(
      and(
        eq(customers.id, customerGramsPending.customerId),
        fieldsContain(customers, q),
        statuses ? sql`${customers.status} in ${statuses}` : undefined,
        sources ? sql`${customers.source} in ${sources}` : undefined,
      ),
    )
    .limit(1)
    .as('waiting');
  return db
    .select({
      gram: sql<string>`${gram}::text`.as('gram'),
      createdAt: customer.createdAt,
      customerId: customer.id,
      status: customer.status,
      source: customer.source,
    })
    .from(customerGramsPending)
    .crossJoinLateral(customer);
}

/**
 * How many customers hold `gram` (with the filters given): its counts and the changes not yet
 * folded into them, which count its postings exactly in any snapshot (migration 0025), and the
 * waiting customers who match, who have none.
 */
function countedFor(db: Executor, gram: string, q: string, statuses?: string[], sources?: string[]) {
  const of = (table: typeof customerGramCounts | typeof customerGramCountChanges) =>
    db
      .select({ postings: table.postings })
      .from(table)
      .where(
        and(
          eq(table.gram, gram),
          statuses ? inArray(table.status, statuses) : undefined,
          sources ? inArray(table.source, sources) : undefined,
        ),
      );
  const counts = unionAll(of(customerGramCounts), of(customerGramCountChanges));
  const waiting = waitingFor(db, gram, q, statuses, sources);
  return sql<number>`((select coalesce(sum(c.postings), 0)::int from (${counts}) c)
    + (select count(*)::int from (${waiting}) w))`;
}

type Frequencies = { at: number; byGram: Map<string, number> };
const frequencies = new WeakMap<object, Frequencies>();
const FREQUENCIES_FOR_MS = 10 * 60_000;

/**
 * The keyword's longest posted piece with the fewest postings, by the planner's most common values
 * (1,000 of them, migration 0023): a piece not among them is rarer than all of them. Read from
 * pg_stats every ten minutes; a stale figure only makes a walk a little longer.
 */
async function rarestPiece(db: Executor, keyword: string): Promise<string> {
  const chars = [...keyword];
  const pieces = chars
    .slice(0, -(LONGEST_PIECE - 1))
    .map((_, i) => chars.slice(i, i + LONGEST_PIECE).join(''));
  const byGram = await gramFrequencies(db);
  let best = pieces[0]!;
  for (const gram of pieces) if ((byGram.get(gram) ?? 0) < (byGram.get(best) ?? 0)) best = gram;
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
