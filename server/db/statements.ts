import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * Statements this process runs again and again (the session, a page of the pool, a grab) are
 * prepared by name on each connection, so PostgreSQL parses them once and, after a few runs, plans
 * them once. Measured on the pool page at 1M customers: parsing and planning were two thirds of
 * PostgreSQL's time per request (docs/benchmarks.md).
 *
 * A text is prepared from its PREPARE_AFTER-th run on, so one-off texts (an IN list of a size seen
 * once) never take a connection's slots, and each connection keeps at most MAX_PER_CONNECTION.
 */
const PREPARE_AFTER = 3;
const MAX_PER_CONNECTION = 200;
const MAX_TEXTS = 5_000;

type Seen = { runs: number; name: string | null };
const seen = new Map<string, Seen>();

function statementName(text: string): string | null {
  let entry = seen.get(text);
  if (!entry) {
    // Forget the one-off texts now and then; the hot ones come back within PREPARE_AFTER runs.
    if (seen.size >= MAX_TEXTS) seen.clear();
    entry = { runs: 0, name: null };
    seen.set(text, entry);
  }
  entry.runs++;
  if (entry.runs < PREPARE_AFTER) return null;
  entry.name ??= `crm_${createHash('sha1').update(text).digest('base64url')}`;
  return entry.name;
}

type QueryConfig = { text?: unknown; name?: unknown };
type Connection = { parsedStatements: Record<string, string> };

/** pg's client, naming the statements it runs often (see above). */
export class PreparingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query has a dozen overloads; this passes them through.
  override query(config: any, values?: any, callback?: any): any {
    const query = config as QueryConfig | string;
    if (typeof query === 'object' && query !== null && typeof query.text === 'string' && !query.name) {
      const name = statementName(query.text);
      const connection = (this as unknown as { connection: Connection }).connection;
      if (
        name &&
        (connection.parsedStatements[name] !== undefined ||
          Object.keys(connection.parsedStatements).length < MAX_PER_CONNECTION)
      ) {
        return super.query({ ...query, name } as typeof config, values, callback);
      }
    }
    return super.query(config, values, callback);
  }
}
