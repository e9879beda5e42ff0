import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { alias, unionAll } from 'drizzle-orm/pg-core';
import { type Executor, queryRows } from '../../db/client.ts';
import {
  customerGramCountChanges,
  customerGramCounts,
  customerGrams,
  customerGramsPending,
  customerSearch,
  customers,
} from '../../db/schema/index.ts';
import { type LimitOf, limitsFor } from '../../engine/list-sql.ts';
import type { KeywordWalk, WalkRequest } from '../../engine/types.ts';
import { seesEveryContact } from './present.ts';
import { fieldsContain } from './search.ts';

/**
 * Up to `intersectUpTo` postings of its rarest piece, a longer keyword is walked along the
 * customers holding both of its two rarest pieces (a merge of two index ranges: a whole phone
 * number's candidates are then its matches) and counted along that walk. Past it, two common pieces
 * make many candidates to check, and the count is read from customer_search's trigram index
 * instead. A setting, not a constant, so that tests reach both ways with a few hundred customers.
 */
export const walkSettings = { intersectUpTo: 20_000 };

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
 * its rarest 4-character piece (its counts say which), and along the next rarest too when the
 * rarest is not common (walkSettings), each customer checked by the ILIKE search.ts would use.
 * Undefined where the walk does not apply (another reader, a 1- or 2-digit keyword, a character
 * whose lower case JavaScript and PostgreSQL might disagree on).
 */
export async function customerKeywordWalk(request: WalkRequest): Promise<KeywordWalk | undefined> {
  const { db, q, actor, query } = request;
  if (!seesEveryContact(actor) || !lowersAlike(q)) return undefined;
  const keyword = q.toLowerCase();
  const statuses = filterValues(query.status);
  const sources = filterValues(query.source);
  const walk = (gram: string, check: SQL | undefined, alsoHolding?: string): KeywordWalk => {
    // One piece, nothing to check: the same plan for every keyword (KeywordWalk.planOnce).
    const planOnce = !check;
    const limitOf = limitsFor(planOnce);
    const postings = postingsFor(db, gram, q, limitOf, alsoHolding);
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
      counted: check ? undefined : countedFor({ db, gram, q, limitOf, statuses, sources }),
      planOnce,
    };
  };
  if (postedWhole(keyword)) return walk(keyword, undefined);
  if ([...keyword].length <= LONGEST_PIECE) return undefined;
  const [rarest, ...others] = await rarestPieces(db, keyword);
  const check = fieldsContain(customers, q);
  if (rarest.postings <= walkSettings.intersectUpTo) {
    return walk(rarest.gram, check, apartFrom(rarest, others)?.gram);
  }
  const plainMatches = sql`select 1 from ${customerSearch} where ${fieldsContain(customerSearch, q)}`;
  return { ...walk(rarest.gram, check), plainMatches };
}

type Piece = { gram: string; postings: number; at: number };

/**
 * The piece to walk beside `rarest`, among those with at most a few times its postings (both ranges
 * are read whole to be merged): the rarest that shares no character of the keyword with it, else
 * the one furthest from it. Overlapping pieces are found together more often ("2353" and "3235" of
 * a phone number: 119 customers hold both, 35 hold "2353" and "8642"), but a common piece costs more
 * to merge than its candidates cost to check ("8642" has 18,000 postings to "2353"'s 837).
 */
function apartFrom(rarest: Piece, others: Piece[]): Piece | undefined {
  const near = others.filter((piece) => piece.postings <= SECOND_PIECE_UP_TO * Math.max(rarest.postings, 1));
  const distance = (piece: Piece) => Math.abs(piece.at - rarest.at);
  const furthest = (best: Piece | undefined, piece: Piece) =>
    !best || distance(piece) > distance(best) ? piece : best;
  return near.find((piece) => distance(piece) >= LONGEST_PIECE) ?? near.reduce(furthest, undefined);
}

/** How many times the rarest piece's postings the piece walked beside it may have. */
const SECOND_PIECE_UP_TO = 4;

/**
 * The keyword's distinct 4-character pieces, fewest postings first, with how many each has
 * (customer_gram_counts and the changes not yet folded in: what the walk would read) and where the
 * keyword first holds it.
 */
async function rarestPieces(db: Executor, keyword: string): Promise<[Piece, ...Piece[]]> {
  const chars = [...keyword];
  const pieces = [
    ...new Set(
      chars.slice(0, -(LONGEST_PIECE - 1)).map((_, i) => chars.slice(i, i + LONGEST_PIECE).join('')),
    ),
  ];
  const rows = await queryRows<{ gram: string; postings: number }>(
    db,
    sql`select p.gram, ${postingsOf(db, sql`p.gram`)} as postings
        from unnest(${sql.param(pieces)}::text[]) as p(gram)
        order by 2, 1`,
  );
  return rows.map((row) => ({ ...row, at: pieces.indexOf(row.gram) })) as [Piece, ...Piece[]];
}

/**
 * The customers holding `gram`, newest first: its postings, and beside them the customers still
 * waiting for theirs (customer_grams_pending: just added or edited, or a whole import until it
 * ends), checked by ILIKE on `q`, which holds the gram. Page 1 is a merge of the two in order.
 */
function postingsFor(db: Executor, gram: string, q: string, limitOf: LimitOf, alsoHolding?: string) {
  const columns = {
    gram: customerGrams.gram,
    createdAt: customerGrams.createdAt,
    customerId: customerGrams.customerId,
    status: customerGrams.status,
    source: customerGrams.source,
  };
  const also = alias(customerGrams, 'also');
  const posted = alsoHolding
    ? db
        .select(columns)
        .from(customerGrams)
        .innerJoin(
          also,
          and(
            eq(also.gram, alsoHolding),
            eq(also.createdAt, customerGrams.createdAt),
            eq(also.customerId, customerGrams.customerId),
          ),
        )
    : db.select(columns).from(customerGrams);
  return unionAll(posted, waitingFor({ db, gram, q, limitOf })).as('postings');
}

/** A piece read for keyword `q`, with the list's status and source filters when it has them. */
type PieceRead = {
  db: Executor;
  gram: string;
  q: string;
  limitOf: LimitOf;
  statuses?: string[] | undefined;
  sources?: string[] | undefined;
};

/** The customers waiting for their postings who match `q` (and the filters given), as postings of `gram`. */
function waitingFor({ db, gram, q, limitOf, statuses, sources }: PieceRead) {
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
    .limit(limitOf(1))
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
function countedFor(read: PieceRead) {
  const { db, gram, statuses, sources } = read;
  return sql<number>`(${postingsOf(db, sql`${gram}`, statuses, sources)}
    + (select count(*)::int from (${waitingFor(read)}) w))`;
}

/**
 * How many postings `gram` (a value, or a column of the statement around) has, with the filters
 * given: its counts and the changes not yet folded into them.
 */
function postingsOf(db: Executor, gram: SQL, statuses?: string[], sources?: string[]) {
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
  return sql<number>`(select coalesce(sum(c.postings), 0)::int from (${counts}) c)`;
}
