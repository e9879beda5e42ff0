import { eq } from 'drizzle-orm';
import type { Actor } from '../../auth/sessions.ts';
import { now } from '../../clock.ts';
import type { NotifyConfig } from '../../config.ts';
import type { Db, Executor } from '../../db/client.ts';
import { type CodeOf, notificationEvent, notifyChannel } from '../../db/schema/enums.ts';
import { users } from '../../db/schema/index.ts';
import { writeAudit } from '../../engine/audit.ts';
import { notFound } from '../../http/errors.ts';
import type { ChannelCode } from '../notify/channels/types.ts';
import type { NotificationEvent } from '../notify/outbox.ts';

/**
 * My notification settings (docs/spec.md §6): the channels I am told on (`users.notify_channels`),
 * the events I chose apart (`users.notify_prefs`, `{ event: channels }`; an event not named follows
 * the general choice), whether my WeChat is bound, the contacts the channels reach me at, and which
 * channels the school has configured. Everyone reads and changes only their own.
 */
export type PerEvent = Partial<Record<NotificationEvent, ChannelCode[]>>;

export type NotifySettings = {
  channels: ChannelCode[];
  perEvent: PerEvent;
  wechatBound: boolean;
  contacts: { email: string | null; phone: string | null };
  configured: { channel: ChannelCode; configured: boolean }[];
  /** Every event one may be told of, in order, with its words. */
  events: { event: NotificationEvent; title: string; titleEn: string }[];
};

/** Whether each channel has its provider's settings (never the settings themselves). */
export function configuredChannels(notify: NotifyConfig): NotifySettings['configured'] {
  const present: Record<ChannelCode, boolean> = {
    sms: notify.sms !== null,
    wechat: notify.wechat !== null,
    dingtalk: notify.dingtalk !== null,
    email: notify.email !== null,
  };
  return notifyChannel.codes.map((channel) => ({ channel, configured: present[channel] }));
}

const events = notificationEvent.codes.map((event) => ({
  event,
  title: notificationEvent.labels[event].zh,
  titleEn: notificationEvent.labels[event].en,
}));

const isChannel = (value: unknown): value is ChannelCode =>
  typeof value === 'string' && (notifyChannel.codes as readonly string[]).includes(value);

/** Channels once each, in the enumeration's order, whatever order they came in; unknown codes dropped. */
export const inOrder = (channels: readonly unknown[]): ChannelCode[] =>
  notifyChannel.codes.filter((code) => channels.some((c) => c === code && isChannel(c)));

/** The per-event choices in the events' order, of known events and channels only. */
export function cleanPerEvent(prefs: Record<string, unknown>): PerEvent {
  const clean: PerEvent = {};
  for (const event of notificationEvent.codes) {
    const chosen = prefs[event];
    if (Array.isArray(chosen)) clean[event as CodeOf<typeof notificationEvent>] = inOrder(chosen);
  }
  return clean;
}

async function readOwn(db: Executor, userId: number, lock = false) {
  const query = db
    .select({
      email: users.email,
      phone: users.phone,
      wechatOpenid: users.wechatOpenid,
      notifyChannels: users.notifyChannels,
      notifyPrefs: users.notifyPrefs,
    })
    .from(users)
    .where(eq(users.id, userId));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound();
  return row;
}

function present(row: Awaited<ReturnType<typeof readOwn>>, notify: NotifyConfig): NotifySettings {
  return {
    channels: inOrder(row.notifyChannels),
    perEvent: cleanPerEvent(row.notifyPrefs ?? {}),
    wechatBound: row.wechatOpenid !== null,
    contacts: { email: row.email, phone: row.phone },
    configured: configuredChannels(notify),
    events,
  };
}

/** `GET /api/me/notify-settings`. */
export async function loadNotifySettings(
  db: Executor,
  input: { userId: number; notify: NotifyConfig },
): Promise<NotifySettings> {
  return present(await readOwn(db, input.userId), input.notify);
}

/**
 * `PUT /api/me/notify-settings`: replaces my general channels and my per-event choices (the route's
 * schema has refused unknown channels and events), audited when anything changed.
 */
export async function saveNotifySettings(
  db: Db,
  input: { actor: Actor; channels: ChannelCode[]; perEvent: PerEvent; notify: NotifyConfig },
): Promise<NotifySettings> {
  const at = now();
  const channels = inOrder(input.channels);
  const perEvent = cleanPerEvent(input.perEvent);
  return db.transaction(async (tx) => {
    const row = await readOwn(tx, input.actor.userId, true);
    const before = { channels: inOrder(row.notifyChannels), perEvent: cleanPerEvent(row.notifyPrefs ?? {}) };
    const after = { channels, perEvent };
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      await tx
        .update(users)
        .set({ notifyChannels: channels, notifyPrefs: perEvent, updatedAt: at })
        .where(eq(users.id, input.actor.userId));
      await writeAudit(tx, {
        actorId: input.actor.userId,
        action: 'notify-settings',
        entity: 'users',
        entityId: input.actor.userId,
        before,
        after,
        at,
      });
    }
    return present({ ...row, notifyChannels: channels, notifyPrefs: perEvent }, input.notify);
  });
}
