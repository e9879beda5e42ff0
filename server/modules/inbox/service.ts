import { sql } from 'drizzle-orm';
import type { Actor } from '../../auth/sessions.ts';
import { type Db, intArraySql, queryRows } from '../../db/client.ts';
import { type MessageLanguage, messagePath, renderMessage } from '../notify/messages.ts';
import type { NotificationEvent } from '../notify/outbox.ts';

/*
 * The in-app inbox (站内消息, docs/spec.md §6): every event a person is told of, whatever channels they
 * chose — a trigger on the outbox writes one inbox item per event (migration 0020) — worded by the
 * same renderer as every channel. A person reads and marks only their own.
 */

export type InboxItem = {
  id: number;
  event: NotificationEvent;
  title: string;
  text: string;
  /** Where it is acted on, from the site's root ("/customers/12"); null: nowhere to go. */
  link: string | null;
  createdAt: Date;
  readAt: Date | null;
};

export type InboxPage = { items: InboxItem[]; total: number; unread: number };

type Row = {
  id: number;
  event: NotificationEvent;
  payload: unknown;
  created_at: Date | string;
  read_at: Date | string | null;
};

const asDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));

/**
 * The caller's notifications, newest first, a page at a time (`unread`: only those not read yet),
 * with how many there are and how many are unread.
 */
export async function listMyNotifications(
  db: Db,
  input: {
    actor: Actor;
    unread?: boolean;
    page: number;
    pageSize: number;
    language: MessageLanguage;
    timezone: string;
  },
): Promise<InboxPage> {
  const me = input.actor.userId;
  const onlyUnread = input.unread === true;
  const rows = await queryRows<Row>(
    db,
    sql`select i.id, i.event, i.payload, i.created_at, i.read_at
        from inbox_items i
        where i.user_id = ${me} and (not ${onlyUnread}::boolean or i.read_at is null)
        order by i.created_at desc, i.id desc
        limit ${input.pageSize} offset ${(input.page - 1) * input.pageSize}`,
  );
  const [counts] = await queryRows<{ total: number; unread: number }>(
    db,
    sql`select count(*)::int as total, (count(*) filter (where i.read_at is null))::int as unread
        from inbox_items i where i.user_id = ${me}`,
  );
  return {
    items: rows.map((row) => {
      const message = renderMessage(row.event, row.payload, {
        publicUrl: null,
        language: input.language,
        timezone: input.timezone,
      });
      return {
        id: row.id,
        event: row.event,
        title: message.title,
        text: message.text,
        link: messagePath(row.event, row.payload),
        createdAt: asDate(row.created_at),
        readAt: row.read_at === null ? null : asDate(row.read_at),
      };
    }),
    total: onlyUnread ? (counts?.unread ?? 0) : (counts?.total ?? 0),
    unread: counts?.unread ?? 0,
  };
}

/**
 * Marks the caller's notifications read: those of `ids` that are theirs and unread (anyone else's
 * ids are passed over, and stay unread), or with `all` every unread one. Returns how many it marked.
 * Not audited: whether a person has read their own messages is theirs, not the school's record.
 */
export async function markNotificationsRead(
  db: Db,
  input: { actor: Actor; ids?: readonly number[]; all?: boolean; at: Date },
): Promise<{ read: number }> {
  const me = input.actor.userId;
  const which = input.all === true ? sql`true` : sql`i.id = any(${intArraySql(input.ids ?? [])})`;
  const [row] = await queryRows<{ read: number }>(
    db,
    sql`with marked as (
          update inbox_items i set read_at = ${input.at}, updated_at = ${input.at}
          where i.user_id = ${me} and i.read_at is null and ${which}
          returning 1
        )
        select count(*)::int as read from marked`,
  );
  return { read: row?.read ?? 0 };
}
