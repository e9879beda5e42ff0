import { type SQL, sql } from 'drizzle-orm';
import type { PermissionCode } from '../../auth/catalogue.ts';
import { activeHolders } from '../../auth/holders.ts';
import { type Executor, queryRows } from '../../db/client.ts';
import type { CodeOf, notificationEvent } from '../../db/schema/enums.ts';

/** Events staff are told about (docs/spec.md §6), named in db/schema/enums.ts. */
export type NotificationEvent = CodeOf<typeof notificationEvent>;

export type OutboxEvent = {
  userId: number;
  event: NotificationEvent;
  payload: Record<string, unknown>;
  /** The same key is written once, ever: a second sweep or a retried request adds nothing. */
  dedupeKey: string;
};

/**
 * Writes events to the outbox in the caller's transaction: one row per channel the person chose,
 * or, when they chose none, one `skipped` row so the event stays visible in the notifications list.
 * Returns how many of the events were new.
 */
export async function enqueue(tx: Executor, events: OutboxEvent[], at: Date): Promise<number> {
  if (events.length === 0) return 0;
  const source = sql`select * from jsonb_to_recordset(${JSON.stringify(
    events.map((e) => ({ user_id: e.userId, event: e.event, payload: e.payload, dedupe_key: e.dedupeKey })),
  )}::jsonb) as e(user_id int, event text, payload jsonb, dedupe_key text)`;
  const rows = await queryRows<{ key: string }>(tx, sql`${outboxInsert(source, at)} ${returningEventKey}`);
  return new Set(rows.map((r) => r.key)).size;
}

/** Appended to an outbox insert: the event's key once per channel row written, for counting new events. */
const returningEventKey = sql`returning left(dedupe_key, length(dedupe_key) - length(channel) - 1) as key`;

/** A timestamp as JavaScript's `toISOString()` writes it, so keys built in SQL match keys built in code. */
export const isoTimeSql = (ts: SQL) =>
  sql`to_char(${ts} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The outbox insert of `events` — a query with the columns (user_id, event, payload, dedupe_key) —
 * for a statement that writes its notifications itself (the grab, in one round trip). The channels
 * are the person's choice for that event (`notify_prefs`), else their general one. Each event also
 * lands in the person's inbox once, whatever they chose: a trigger on `notifications` writes it
 * (migration 0020), since this insert is itself a part of larger statements' WITH clauses.
 */
export function outboxInsert(events: SQL, at: Date | SQL): SQL {
  return sql`insert into notifications (user_id, channel, event, payload, dedupe_key, status, next_attempt_at, last_error, created_at, updated_at)
        select e.user_id, ch.channel, e.event, e.payload, e.dedupe_key || ':' || ch.channel,
               case when ch.wanted then 'pending' else 'skipped' end,
               case when ch.wanted then ${at}::timestamptz end,
               case when ch.wanted then null else 'no notification channel chosen' end,
               ${at}, ${at}
        from (${events}) as e(user_id, event, payload, dedupe_key)
        join users u on u.id = e.user_id
        cross join lateral (
          select case when u.notify_prefs ? e.event
            then array(select jsonb_array_elements_text(u.notify_prefs -> e.event))
            else u.notify_channels end
        ) as chosen(channels)
        cross join lateral (
          select c, true from unnest(chosen.channels) as c
          union all
          select 'email', false where cardinality(chosen.channels) = 0
        ) as ch(channel, wanted)
        on conflict (dedupe_key) do nothing`;
}

/**
 * Tells every active holder of `code` (finance, the managers…) of one event, once each for `key`:
 * the dedupe key is `event:key:user`.
 */
export async function enqueueForHolders(
  tx: Executor,
  input: {
    code: PermissionCode;
    event: NotificationEvent;
    payload: Record<string, unknown>;
    key: string;
    at: Date;
  },
): Promise<number> {
  const holders = await activeHolders(tx, input.code);
  return enqueue(
    tx,
    holders.map((h) => ({
      userId: h.id,
      event: input.event,
      payload: input.payload,
      dedupeKey: `${input.event}:${input.key}:${h.id}`,
    })),
    input.at,
  );
}
