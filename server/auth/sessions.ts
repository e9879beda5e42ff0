import { createHash, randomBytes } from 'node:crypto';
import { and, eq, lt, type SQL, sql } from 'drizzle-orm';
import { addDays } from '../clock.ts';
import { type ChangeWatch, type Seen, seenColumns, seenFrom } from '../db/changes.ts';
import { compiled, type Executor, queryRows } from '../db/client.ts';
import { MAX_ID } from '../db/schema/columns.ts';
import { sessions } from '../db/schema/index.ts';
import { isPermissionCode, type PermissionCode } from './catalogue.ts';

export const SESSION_COOKIE = 'crm_session';
/** A session left unused this long ends; one in use ends anyway after ABSOLUTE_DAYS. */
const IDLE_DAYS = 7;
export const ABSOLUTE_DAYS = 30;
/** last_seen is written at most this often, so reads do not each cost a write. */
const TOUCH_EVERY_MS = 60_000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/** The signed-in person behind a request, with the permission codes their roles grant right now. */
export type Actor = {
  userId: number;
  username: string;
  name: string;
  sessionId: number;
  csrfToken: string;
  permissions: ReadonlySet<PermissionCode>;
  /**
   * The grants' version (auth_epoch) the permissions were read at; every answer carries it
   * (`x-auth-epoch`), so a page can tell that grants changed and ask for its menus again.
   */
  authEpoch: string;
  /** The watch the route asked for (config.watch), read before the route's own statements. */
  seen?: Seen;
  /** What the route's read alongside (config.alongside) found; undefined when it did not ride. */
  alongside?: unknown;
};

/**
 * A read a route needs before anything else, carried by the session query (`config.alongside`), so
 * that an answer it gives from that read alone costs one round trip instead of two. `read` is a
 * scalar subquery of `key`, the route's integer path parameter `param`; it runs before the
 * request is authorized, so the gate hands its value to the route only once it is.
 */
export type Alongside = { param: string; read: (key: SQL) => SQL };

/** A path parameter fit for an int4 key, or null (then the route reads for itself, or rejects it). */
export function intKey(raw: unknown): number | null {
  if (typeof raw !== 'string' || !/^[1-9][0-9]{0,9}$/.test(raw)) return null;
  const key = Number(raw);
  return key <= MAX_ID ? key : null;
}

export async function createSession(
  db: Executor,
  input: { userId: number; ip: string | null; userAgent: string | null; at: Date },
): Promise<{ token: string; csrfToken: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  // Housekeeping on the way in: this user's expired sessions are dead rows.
  await db.delete(sessions).where(and(eq(sessions.userId, input.userId), lt(sessions.expiresAt, input.at)));
  await db.insert(sessions).values({
    tokenHash: hashToken(token),
    userId: input.userId,
    csrfToken,
    expiresAt: addDays(input.at, IDLE_DAYS),
    lastSeenAt: input.at,
    ip: input.ip,
    userAgent: input.userAgent?.slice(0, 500) ?? null,
    createdAt: input.at,
    updatedAt: input.at,
  });
  return { token, csrfToken };
}

type SessionRow = {
  session_id: number;
  user_id: number;
  username: string;
  name: string;
  csrf_token: string;
  created_at: Date | string;
  last_seen_at: Date | string;
  epoch: string;
  watch_counter?: string;
  watch_quiet?: boolean;
  alongside?: unknown;
};

/**
 * Permission codes per user, valid for one value of `auth_epoch` (see schema/org.ts). One per app:
 * user ids mean nothing across databases.
 */
export class PermissionCache {
  private readonly byUser = new Map<number, { epoch: string; codes: ReadonlySet<PermissionCode> }>();

  async codes(db: Executor, userId: number, epoch: string): Promise<ReadonlySet<PermissionCode>> {
    const cached = this.byUser.get(userId);
    if (cached?.epoch === epoch) return cached.codes;
    const rows = await queryRows<{ code: string }>(
      db,
      sql`select distinct rp.permission_code as code from user_roles ur
          join role_permissions rp on rp.role_id = ur.role_id
          where ur.user_id = ${userId}`,
    );
    // A code left in the database by an older catalogue grants nothing the code knows of.
    const codes = new Set(rows.map((r) => r.code).filter(isPermissionCode));
    // Stored under the epoch read before loading: a change in between bumps it, so the next request reloads.
    this.byUser.set(userId, { epoch, codes });
    return codes;
  }
}

type SessionValues = { tokenHash: string; at: string; key?: number };
type SessionStatement = ReturnType<typeof sessionStatement>;
const sessionQueries = new Map<ChangeWatch | undefined, Map<Alongside | undefined, SessionStatement>>();

// The watch and the read alongside ride on this query: a cached answer then costs no statement of
// its own, a refusal decided from the read none either.
const sessionStatement = (watch?: ChangeWatch, alongside?: Alongside) =>
  compiled<SessionValues, SessionRow>(
    ({ tokenHash, at, key }) => sql`
    select s.id as session_id, u.id as user_id, u.username, u.name, s.csrf_token, s.created_at, s.last_seen_at,
      (select epoch::text from auth_epoch) as epoch${watch ? sql`, ${seenColumns(watch, 'w')}` : sql``}${
        alongside ? sql`, ${alongside.read(sql`${key}::int`)} as alongside` : sql``
      }
    from sessions s join users u on u.id = s.user_id${watch ? sql` cross join ${seenFrom(watch, 'w')}` : sql``}
    where s.token_hash = ${tokenHash} and s.expires_at > ${at} and u.active`,
  );

/** Every request runs one of these: rendered once per watch and read alongside. */
function sessionQuery(watch?: ChangeWatch, alongside?: Alongside): SessionStatement {
  let byRead = sessionQueries.get(watch);
  if (!byRead) {
    byRead = new Map();
    sessionQueries.set(watch, byRead);
  }
  const kept = byRead.get(alongside);
  if (kept) return kept;
  const statement = sessionStatement(watch, alongside);
  byRead.set(alongside, statement);
  return statement;
}

/**
 * One query per request: the session, its user (who must still be active, so disabling someone
 * ends their sessions at once) and the permission epoch; the codes come from the cache unless a
 * grant or role changed since they were loaded, so a change applies on the very next request.
 */
export async function findActor(
  db: Executor,
  token: string,
  at: Date,
  cache: PermissionCache = new PermissionCache(),
  watch?: ChangeWatch,
  alongside?: { read: Alongside; key: number },
): Promise<Actor | null> {
  const rows = await sessionQuery(watch, alongside?.read)(db, {
    tokenHash: hashToken(token),
    at: at.toISOString(),
    ...(alongside ? { key: alongside.key } : {}),
  });
  const row = rows[0];
  if (!row) return null;
  const lastSeen = new Date(row.last_seen_at).getTime();
  if (at.getTime() - lastSeen > TOUCH_EVERY_MS) {
    const absolute = addDays(new Date(row.created_at), ABSOLUTE_DAYS);
    const idle = addDays(at, IDLE_DAYS);
    await db
      .update(sessions)
      .set({
        lastSeenAt: at,
        expiresAt: new Date(Math.min(idle.getTime(), absolute.getTime())),
        updatedAt: at,
      })
      .where(eq(sessions.id, row.session_id));
  }
  return {
    userId: row.user_id,
    username: row.username,
    name: row.name,
    sessionId: row.session_id,
    csrfToken: row.csrf_token,
    permissions: await cache.codes(db, row.user_id, row.epoch ?? ''),
    authEpoch: row.epoch ?? '',
    ...(watch ? { seen: { counter: row.watch_counter ?? '', quiet: row.watch_quiet === true } } : {}),
    ...(alongside ? { alongside: row.alongside ?? null } : {}),
  };
}

export async function endSession(db: Executor, sessionId: number): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

export async function endUserSessions(db: Executor, userId: number): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}
