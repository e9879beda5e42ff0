import { and, eq, ne } from 'drizzle-orm';
import type { Actor } from '../../auth/sessions.ts';
import { now } from '../../clock.ts';
import type { NotifyConfig } from '../../config.ts';
import { type Db, type Executor, isUniqueViolation } from '../../db/client.ts';
import { users, wechatBindStates } from '../../db/schema/index.ts';
import { writeAudit } from '../../engine/audit.ts';
import { exchangeCode, type WechatConfig } from './oauth.ts';
import { loadNotifySettings, type NotifySettings } from './settings.ts';
import { readState } from './state.ts';

/**
 * What the WeChat callback did: bound the scanner's openid to the person the QR code named, or why
 * not — and then it bound nothing.
 * - `invalid`: no code or state, a state this server did not sign (forged or altered), or one
 *   naming nobody who may sign in;
 * - `expired`: past its ten minutes; `reused`: a state already used once;
 * - `taken`: that WeChat is bound to someone else;
 * - `wechat_error`: WeChat did not give the openid (its reason, safe to log: no secret, no code).
 */
export type BindOutcome =
  | { kind: 'bound'; name: string }
  | { kind: 'not_configured' }
  | { kind: 'invalid' }
  | { kind: 'expired' }
  | { kind: 'reused' }
  | { kind: 'taken' }
  | { kind: 'wechat_error'; reason: string };

/** The longest code or state looked at: WeChat's are far shorter, anything longer is not theirs. */
const MAX_PARAM = 512;

/**
 * `GET /api/wechat/oauth/callback?code&state`, public: WeChat sends the scanner here. The state is
 * checked (signature, then its row: unused, not expired) before WeChat is asked for the openid, so
 * a forged or stale link costs no call; the call is made outside any transaction (no lock is held
 * while WeChat answers); then one transaction checks the state again under a row lock, binds the
 * openid, marks the state used and audits — so of two callbacks with one state, exactly one binds.
 */
export async function bindWechat(
  db: Db,
  input: {
    code: string | undefined;
    state: string | undefined;
    wechat: WechatConfig | null;
    secret: string;
    timeoutMs: number;
  },
): Promise<BindOutcome> {
  const { wechat } = input;
  if (!wechat) return { kind: 'not_configured' };
  const { code, state: text } = input;
  if (!code || !text || code.length > MAX_PARAM || text.length > MAX_PARAM) return { kind: 'invalid' };
  const state = readState(text, input.secret);
  if (!state) return { kind: 'invalid' };

  const stored = async (tx: Executor, lock: boolean) => {
    const query = tx.select().from(wechatBindStates).where(eq(wechatBindStates.nonce, state.nonce));
    const [row] = lock ? await query.for('update') : await query;
    return row;
  };
  /** Why the state may not bind now, or null when it may. */
  const refusal = (row: Awaited<ReturnType<typeof stored>>, at: Date): BindOutcome | null => {
    // A signed state whose row is gone was cleared a day after it ended.
    if (!row || row.userId !== state.userId || row.expiresAt.getTime() !== state.expiresAt.getTime())
      return state.expiresAt <= at ? { kind: 'expired' } : { kind: 'invalid' };
    if (row.usedAt) return { kind: 'reused' };
    if (row.expiresAt <= at) return { kind: 'expired' };
    return null;
  };

  const early = refusal(await stored(db, false), now());
  if (early) return early;

  const exchange = await exchangeCode(wechat, code, { timeoutMs: input.timeoutMs });
  if (!exchange.ok) return { kind: 'wechat_error', reason: exchange.reason };
  const { openid } = exchange;

  try {
    return await db.transaction(async (tx): Promise<BindOutcome> => {
      const at = now();
      const late = refusal(await stored(tx, true), at);
      if (late) return late;
      const [user] = await tx
        .select({ id: users.id, name: users.name, active: users.active, wechatOpenid: users.wechatOpenid })
        .from(users)
        .where(eq(users.id, state.userId))
        .for('update');
      if (!user?.active) return { kind: 'invalid' };
      const [other] = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.wechatOpenid, openid), ne(users.id, user.id)));
      if (other) return { kind: 'taken' };
      await tx
        .update(wechatBindStates)
        .set({ usedAt: at, updatedAt: at })
        .where(eq(wechatBindStates.nonce, state.nonce));
      if (user.wechatOpenid !== openid) {
        await tx.update(users).set({ wechatOpenid: openid, updatedAt: at }).where(eq(users.id, user.id));
        await writeAudit(tx, {
          actorId: user.id,
          action: 'wechat-bind',
          entity: 'users',
          entityId: user.id,
          // Whether, never which: an openid is for sending, not for the audit log.
          before: { wechatBound: user.wechatOpenid !== null },
          after: { wechatBound: true },
          at,
        });
      }
      return { kind: 'bound', name: user.name };
    });
  } catch (error) {
    // Someone else bound the same WeChat at the same moment: the unique openid kept it theirs.
    if (isUniqueViolation(error)) return { kind: 'taken' };
    throw error;
  }
}

/** `DELETE /api/me/wechat`: forgets my openid (WeChat messages stop); audited when one was bound. */
export async function unbindWechat(
  db: Db,
  input: { actor: Actor; notify: NotifyConfig },
): Promise<NotifySettings> {
  const at = now();
  const userId = input.actor.userId;
  return db.transaction(async (tx) => {
    const [user] = await tx
      .select({ wechatOpenid: users.wechatOpenid })
      .from(users)
      .where(eq(users.id, userId))
      .for('update');
    if (user?.wechatOpenid) {
      await tx.update(users).set({ wechatOpenid: null, updatedAt: at }).where(eq(users.id, userId));
      await writeAudit(tx, {
        actorId: userId,
        action: 'wechat-unbind',
        entity: 'users',
        entityId: userId,
        before: { wechatBound: true },
        after: { wechatBound: false },
        at,
      });
    }
    return loadNotifySettings(tx, { userId, notify: input.notify });
  });
}
