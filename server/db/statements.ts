import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * Statements this process runs again and again (the session, a page of the pool, a grab) are
 * prepared by name on each connection, so PostgreSQL parses them once and, after a few runs, plans
 * them once: on the pool page at a million customers, parsing and planning were a large part of
 * PostgreSQL's time per request (docs/benchmarks.md, "Figures moved out of the code's comments").
 *
 * A text is prepared from its PREPARE_AFTER-th run on, so one-off texts (an IN list of a size seen
 * once) never take a connection's slots, and each connection keeps at most MAX_PER_CONNECTION.
 *
 * A migration run while this instance is up may change what a prepared statement returns; the
 * connection then prepares that text again under another name (see PreparingClient).
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

type QueryConfig = { text?: unknown; name?: unknown; submit?: unknown };
type Connection = { parsedStatements: Record<string, string> };

/**
 * PostgreSQL's answer when a prepared statement's result columns changed under it (a migration
 * altered or dropped a column while this instance was running): the statement stays broken on
 * that connection for as long as it lives.
 */
const isStalePlan = (error: unknown) =>
  (error as { code?: string }).code === '0A000' &&
  /cached plan must not change result type/.test((error as Error).message);

/** pg's answer when query_timeout ran out: the server took the statement and went silent. */
const isReadTimeout = (error: unknown) => (error as Error | undefined)?.message === 'Query read timeout';

/**
 * pg's client, naming the statements it runs often (see above), and dropping its connection when
 * the server stops answering (see `abandon`).
 */
export class PreparingClient extends pg.Client {
  /** Statement names this connection gave up on (stale plans), and the names used instead. */
  private readonly renamed = new Map<string, string>();
  private renames = 0;

  constructor(config?: pg.ClientConfig) {
    super(config);
    // A connection that dies while the pool has lent it out (mid-transaction, say) makes pg emit
    // 'error' on a client nobody listens to, which would end the process. Its queries fail with
    // the error already, and the pool drops a client that is no longer queryable.
    this.on('error', () => {});
  }

  /**
   * After a read timeout pg gives the caller an error but leaves the statement running on the
   * connection: the next user of the connection would queue behind it, or find a transaction its
   * rollback never reached. Dropping the connection fails whatever is queued on it at once, and the
   * pool opens a fresh one.
   */
  private abandon(error: unknown): void {
    if (!isReadTimeout(error)) return;
    (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  }

  // biome-ignore lint/suspicious/noExplicitAny: pg's query has a dozen overloads; this passes them through.
  override query(config: any, values?: any, callback?: any): any {
    if (typeof values === 'function') return this.prepared(config, this.watched(values));
    if (typeof callback === 'function') return this.prepared(config, values, this.watched(callback));
    const result = this.prepared(config, values, callback);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(undefined, (error) => this.abandon(error));
    }
    return result;
  }

  private watched(callback: (error: unknown, result?: unknown) => void) {
    return (error: unknown, result?: unknown) => {
      if (error) this.abandon(error);
      callback(error, result);
    };
  }

  // biome-ignore lint/suspicious/noExplicitAny: as query.
  private prepared(config: any, values?: any, callback?: any): any {
    const query = config as QueryConfig | string;
    if (
      typeof query === 'object' &&
      query !== null &&
      typeof query.text === 'string' &&
      !query.name &&
      query.submit === undefined
    ) {
      const shared = statementName(query.text);
      const name = shared && (this.renamed.get(shared) ?? shared);
      const connection = (this as unknown as { connection: Connection }).connection;
      if (
        name &&
        shared &&
        (connection.parsedStatements[name] !== undefined ||
          Object.keys(connection.parsedStatements).length < MAX_PER_CONNECTION)
      ) {
        const named = { ...query, name } as typeof config;
        // Only the promise form heals itself; callers with callbacks get pg's error.
        if (callback !== undefined || typeof values === 'function')
          return super.query(named, values, callback);
        // Outside a transaction the failed run changed nothing, so it is run again under a new name.
        const standalone = this.getTransactionStatus() === 'I';
        return (super.query(named, values) as Promise<unknown>).catch((error: unknown) => {
          if (!isStalePlan(error)) throw error;
          this.renamed.set(shared, `${shared}_${++this.renames}`);
          if (!standalone) throw error;
          return this.prepared(config, values);
        });
      }
    }
    return super.query(config, values, callback);
  }
}
