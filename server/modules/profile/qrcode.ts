import { and, eq, lt } from 'drizzle-orm';
import QRCode from 'qrcode';
import type { Actor } from '../../auth/sessions.ts';
import { now } from '../../clock.ts';
import type { Db } from '../../db/client.ts';
import { wechatBindStates } from '../../db/schema/index.ts';
import { conflict } from '../../http/errors.ts';
import { authorizeUrl, type WechatConfig } from './oauth.ts';
import { BIND_STATE_TTL_MS, newNonce, signState } from './state.ts';

/** How the QR code is drawn: a size a phone reads from a screen, a quiet zone of two modules. */
export const QR_OPTIONS = { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 240 } as const;

/** States of one person that ended this long ago are deleted when they ask for a new one. */
const KEEP_ENDED_MS = 24 * 3_600_000;

/**
 * `GET /api/me/wechat/qrcode`: a new single-use state for the caller, good for ten minutes, and the
 * QR code of the official account's authorise page carrying it. Scanning it with WeChat leads to
 * the callback (bind.ts), which binds the scanner's openid to the caller.
 */
export async function wechatQrCode(
  db: Db,
  input: { actor: Actor; wechat: WechatConfig | null; publicUrl: string | null; secret: string },
): Promise<{ png: Buffer; expiresAt: Date }> {
  if (!input.wechat) {
    throw conflict(
      'wechat_not_configured',
      'The school has not configured its WeChat official account (WECHAT_APP_ID, WECHAT_APP_SECRET)',
    );
  }
  if (!input.publicUrl) {
    throw conflict('public_url_not_set', 'PUBLIC_URL is not set: WeChat would have no address to return to');
  }
  const at = now();
  // To the second: the state carries the expiry in seconds, and the row must say the same.
  const expiresAt = new Date(Math.floor((at.getTime() + BIND_STATE_TTL_MS) / 1000) * 1000);
  const state = { userId: input.actor.userId, expiresAt, nonce: newNonce() };
  await db.transaction(async (tx) => {
    await tx
      .delete(wechatBindStates)
      .where(
        and(
          eq(wechatBindStates.userId, state.userId),
          lt(wechatBindStates.expiresAt, new Date(at.getTime() - KEEP_ENDED_MS)),
        ),
      );
    await tx.insert(wechatBindStates).values({
      nonce: state.nonce,
      userId: state.userId,
      expiresAt,
      createdAt: at,
      updatedAt: at,
    });
  });
  const url = authorizeUrl(input.wechat, input.publicUrl, signState(state, input.secret));
  return { png: await QRCode.toBuffer(url, QR_OPTIONS), expiresAt };
}
