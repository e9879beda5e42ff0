import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm';
import { type AnyPgColumn, alias, unionAll } from 'drizzle-orm/pg-core';
import { now } from '../../clock.ts';
import { compiled, type Executor, perHandle } from '../../db/client.ts';
import {
  customerGramCountChanges,
  customerGramCounts,
  customerGrams,
  customerGramsPending,
  customerSearch,
  customers,
} from '../../db/schema/index.ts';
import { type LimitOf, limitsFor } from '../../engine/list-sql.ts';
import { likePattern } from '../../engine/query.ts';
import type { KeywordWalk, WalkRequest } from '../../engine/types.ts';
import { seesEveryContact } from './present.ts';
import { fieldsMatch } from './search.ts';

/**
 * Up to `intersectUpTo` postings of its rarest piece, a longer keyword is walked along the
 * customers holding both of its two rarest pieces (a merge of two index ranges: a whole phone
 * number's candidates are then its matches) and counted along that walk. Past it, two common pieces
 * make many candidates to check, and the count is read from customer_search's trigram index
 * instead. A setting, not a constant, so that tests reach both ways with a few hundred customers.
 */
export const walkSettings = { intersectUpTo: 20_000 };

/**
 * No character of the keyword has a case (digits, Chinese characters, punctuation): no text lower-
 * cases into it either, so LIKE finds exactly what ILIKE finds.
 */
const caseless = (q: string) => [...q].every((c) => c.toLowerCase() === c && c.toUpperCase() === c);

/** Every character is ASCII or has no case: JavaScript lower-cases it as PostgreSQL's lower() does. */
const lowersAlike = (q: string) => [...q].every((c) => c <= '\x7f' || c.toLowerCase() === c.toUpperCase());

/** The longest pieces posted (migration 0025). */
const LONGEST_PIECE = 4;

/** The postings hold no 1- or 2-character piece of a contact made only of digits (migration 0023). */
const postedWhole = (keyword: string) =>
  [...keyword].length <= LONGEST_PIECE && !/^[0-9]{1,2}$/.test(keyword);

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
  const { db, q, actor } = request;
  if (!seesEveryContact(actor) || !lowersAlike(q)) return undefined;
  const keyword = q.toLowerCase();
  const statuses = request.filterValues('status')?.map(String);
  const sources = request.filterValues('source')?.map(String);
  const values: WalkValues = { gram: keyword, also: null, pattern: likePattern(q), statuses, sources };
  const filters = { statuses: statuses !== undefined, sources: sources !== undefined, caseless: caseless(q) };
  if (postedWhole(keyword)) return walkOf(db, { kind: 'piece', ...filters }, values);
  if ([...keyword].length <= LONGEST_PIECE) return undefined;
  const [rarest, ...others] = await rarestPieces(db, keyword);
  values.gram = rarest.gram;
  if (rarest.postings > walkSettings.intersectUpTo) return walkOf(db, { kind: 'common', ...filters }, values);
  values.also = apartFrom(rarest, others)?.gram ?? null;
  return walkOf(db, { kind: values.also === null ? 'checked' : 'two pieces', ...filters }, values);
}

/**
 * How a keyword is walked: along one piece whose postings are its matches; along one piece, or
 * two merged, checking each customer; or along a common piece, counted from the trigram index.
 * With or without the status and source filters.
 */
type Shape = {
  kind: 'piece' | 'checked' | 'two pieces' | 'common';
  statuses: boolean;
  sources: boolean;
  /** Customers are checked by LIKE, not ILIKE (search.ts fieldsMatch). */
  caseless: boolean;
};

/** What a walk's placeholders stand for. */
type WalkValues = {
  /** The piece walked. */
  gram: string;
  /** The piece merged with it ('two pieces'). */
  also: string | null;
  /** The ILIKE pattern of the keyword. */
  pattern: string;
  statuses: string[] | undefined;
  sources: string[] | undefined;
};

/** Each shape's walk, built once with placeholders (KeywordWalk.shape). */
const walkShapes = perHandle<Omit<KeywordWalk, 'values'>>(100);

function walkOf(db: Executor, shape: Shape, values: WalkValues): KeywordWalk {
  const name = `${shape.kind}${shape.statuses ? ' statuses' : ''}${shape.sources ? ' sources' : ''}${shape.caseless ? ' caseless' : ''}`;
  return { ...walkShapes(db, name, () => walkSql(db, shape, name)), values };
}

/** A placeholder for one of WalkValues. */
const slot = (name: keyof WalkValues) => sql`${sql.placeholder(name)}`;

function walkSql(db: Executor, shape: Shape, name: string): Omit<KeywordWalk, 'values'> {
  // One piece, nothing to check: the same plan for every keyword (KeywordWalk.planOnce).
  const planOnce = shape.kind === 'piece';
  const read: PieceRead = {
    db,
    gram: slot('gram'),
    pattern: slot('pattern'),
    caseless: shape.caseless,
    limitOf: limitsFor(planOnce),
    statuses: shape.statuses ? slot('statuses') : undefined,
    sources: shape.sources ? slot('sources') : undefined,
  };
  const postings = postingsFor(read, shape.kind === 'two pieces' ? slot('also') : undefined);
  const check = planOnce ? undefined : fieldsMatch(customers, read.pattern, read.caseless);
  return {
    table: postings,
    on: eq(customers.id, postings.customerId),
    // The piece is named outside the union: so PostgreSQL sees each branch in the walk's order and
    // merges them (named inside, it sorted a common piece's whole range: 37 ms for "132", not 0.2).
    where: and(
      eq(postings.gram, read.gram),
      oneOf(postings.status, read.statuses),
      oneOf(postings.source, read.sources),
    )!,
    order: [desc(postings.createdAt), asc(postings.customerId)],
    check,
    absorbs: ['status', 'source'],
    counted: check ? undefined : countedFor(read),
    plainMatches:
      shape.kind === 'common'
        ? sql`select 1 from ${customerSearch} where ${fieldsMatch(customerSearch, read.pattern)}`
        : undefined,
    planOnce,
    shape: name,
  };
}

/** `column` is one of `values` (a text[] placeholder); no condition for none. */
const oneOf = (column: AnyPgColumn, values: SQL | undefined) =>
  values ? sql`${column} = any(${values}::text[])` : undefined;

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

/** Pieces with their postings (rarestPieces). */
const piecesByPostings = compiled<{ pieces: string[] }, { gram: string; postings: number }>(
  ({ pieces }) =>
    sql`select p.gram, ${postingsOf(sql`p.gram`)} as postings from unnest(${pieces}::text[]) as p(gram)`,
);

/**
 * The postings of each piece as last read, per database handle. The counts only choose how a
 * keyword is walked (which pieces, whether past intersectUpTo); every way finds exactly its
 * matches, so a figure minutes old costs at most a slower walk, and a keyword whose pieces were
 * all read lately (a phone number's are among ten thousand) costs no statement before its walk.
 */
const pieceCounts = new WeakMap<Executor, Map<string, { postings: number; readAt: number }>>();
const PIECE_COUNTS_KEPT = 50_000;
const PIECE_COUNT_FRESH_MS = 5 * 60_000;

/**
 * The keyword's distinct 4-character pieces, fewest postings first, with how many each has
 * (customer_gram_counts and the changes not yet folded in: what the walk would read, or what it
 * read lately) and where the keyword first holds it.
 */
async function rarestPieces(db: Executor, keyword: string): Promise<[Piece, ...Piece[]]> {
  const chars = [...keyword];
  const pieces = [
    ...new Set(
      chars.slice(0, -(LONGEST_PIECE - 1)).map((_, i) => chars.slice(i, i + LONGEST_PIECE).join('')),
    ),
  ];
  let known = pieceCounts.get(db);
  if (!known) {
    known = new Map();
    pieceCounts.set(db, known);
  }
  const at = now().getTime();
  const fresh = (gram: string) => {
    const read = known.get(gram);
    return read !== undefined && at - read.readAt < PIECE_COUNT_FRESH_MS;
  };
  const stale = pieces.filter((gram) => !fresh(gram));
  if (stale.length > 0) {
    const rows = await piecesByPostings(db, { pieces: stale });
    if (known.size + rows.length > PIECE_COUNTS_KEPT) known.clear();
    for (const row of rows) known.set(row.gram, { postings: row.postings, readAt: at });
  }
  const counted = pieces.map((gram, i) => ({ gram, postings: known.get(gram)?.postings ?? 0, at: i }));
  return counted.sort((a, b) => a.postings - b.postings || a.at - b.at) as [Piece, ...Piece[]];
}

/** A piece read for a keyword (its ILIKE pattern), with the list's status and source filters when it has them. */
type PieceRead = {
  db: Executor;
  gram: SQL;
  pattern: SQL;
  caseless: boolean;
  limitOf: LimitOf;
  statuses?: SQL | undefined;
  sources?: SQL | undefined;
};

/**
 * The customers holding the piece, newest first: its postings (those also holding `alsoHolding`
 * when given), and beside them the customers still waiting for theirs (customer_grams_pending:
 * just added or edited, or a whole import until it ends), checked by the keyword's ILIKE, whose
 * keyword holds the piece. Page 1 is a merge of the two in order.
 */
function postingsFor(read: PieceRead, alsoHolding?: SQL) {
  const { db } = read;
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
  return unionAll(posted, waitingFor(read)).as('postings');
}

/** The customers waiting for their postings who match the keyword (and the filters given), as postings of the piece. */
function waitingFor({ db, gram, pattern, caseless, limitOf, statuses, sources }: PieceRead) {
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
        fieldsMatch(customers, pattern, caseless),
        oneOf(customers.status, statuses),
        oneOf(customers.source, sources),
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
 * How many customers hold the piece (with the filters given): its counts and the changes not yet
 * folded into them, which count its postings exactly in any snapshot (migration 0025), and the
 * waiting customers who match, who have none.
 */
function countedFor(read: PieceRead) {
  return sql<number>`(${postingsOf(read.gram, read.statuses, read.sources)}
    + (select count(*)::int from (${waitingFor(read)}) w))`;
}

/**
 * How many postings `gram` (a placeholder, or a column of the statement around) has, with the
 * filters given: its counts and the changes not yet folded into them.
 */
function postingsOf(gram: SQL, statuses?: SQL, sources?: SQL) {
  const of = (table: typeof customerGramCounts | typeof customerGramCountChanges) =>
    sql`select ${table.postings} from ${table}
        where ${and(eq(table.gram, gram), oneOf(table.status, statuses), oneOf(table.source, sources))}`;
  return sql<number>`(select coalesce(sum(c.postings), 0)::int
    from (${of(customerGramCounts)} union all ${of(customerGramCountChanges)}) c)`;
}
